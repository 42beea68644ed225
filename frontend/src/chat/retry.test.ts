import { describe, expect, it } from "vitest";
import type { AssistantMessage, ChatMessage } from "./chatState";
import { isIncomplete, retryQuestion } from "./retry";

const error = { code: "model_error", message: "rate limited", stage: null, recoverable: true, trace_id: null };

function answer(overrides: Partial<AssistantMessage> = {}): AssistantMessage {
  return {
    id: "a1",
    role: "assistant",
    status: "error",
    model: "openai:gpt",
    markdown: "",
    stage: null,
    toolCalls: [],
    data: [],
    jobs: [],
    artifact: null,
    artifactKey: null,
    error,
    usage: null,
    elapsedMs: null,
    ...overrides,
  };
}

const question: ChatMessage = { id: "u1", role: "user", text: "Flights by origin" };

describe("retryQuestion", () => {
  it("asks the question again for the last answer when its error is recoverable", () => {
    expect(retryQuestion([question, answer()], 1)).toBe("Flights by origin");
  });

  it("offers nothing for an error that a retry cannot fix", () => {
    const refused = answer({ error: { ...error, code: "model_rejected", recoverable: false } });
    expect(retryQuestion([question, refused], 1)).toBeNull();
  });

  it("offers nothing once a later turn moved the conversation on, or for a finished answer", () => {
    const later: ChatMessage[] = [question, answer(), { id: "u2", role: "user", text: "Next" }, answer({ id: "a2", status: "done", error: null })];
    expect(retryQuestion(later, 1)).toBeNull();
    expect(retryQuestion(later, 3)).toBeNull();
  });
});

describe("isIncomplete", () => {
  it("marks a failed answer that had shown text, not an empty one or a finished one", () => {
    expect(isIncomplete(answer({ markdown: "Here are the" }))).toBe(true);
    expect(isIncomplete(answer({ markdown: "  " }))).toBe(false);
    expect(isIncomplete(answer({ status: "done", error: null, markdown: "All done" }))).toBe(false);
  });
});
