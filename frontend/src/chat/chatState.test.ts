import { describe, expect, it } from "vitest";
import { chatReducer, initialChatState, isStreaming, type AssistantMessage, type ChatState } from "./chatState";
import type { ChatEvent } from "./events";

function run(events: ChatEvent[]): ChatState {
  let state = chatReducer(initialChatState, { type: "send", userId: "u1", assistantId: "a1", text: "Flights?" });
  for (const event of events) state = chatReducer(state, { type: "event", id: "a1", event });
  return state;
}

function assistant(state: ChatState): AssistantMessage {
  const message = state.messages.find((m) => m.id === "a1");
  if (message?.role !== "assistant") throw new Error("no assistant message");
  return message;
}

describe("chatReducer", () => {
  it("builds the assistant message from a turn's events", () => {
    const state = run([
      { type: "meta", conversation_id: "c1", turn_id: "t1", model: "m" },
      { type: "tool_call", tool_call_id: "tc1", tool: "run_sql", args: { sql: "SELECT 1" } },
      { type: "tool_result", tool_call_id: "tc1", tool: "run_sql", ok: true, row_count: 3, truncated: false, elapsed_ms: 4, error: null },
      { type: "text", delta: "Hello " },
      { type: "text", delta: "world" },
      { type: "done", usage: { input_tokens: 1, output_tokens: 2, requests: 1, tool_calls: 1 }, elapsed_ms: 50 },
    ]);
    expect(state.conversationId).toBe("c1");
    expect(state.messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    const message = assistant(state);
    expect(message.markdown).toBe("Hello world");
    expect(message.status).toBe("done");
    expect(message.toolCalls).toHaveLength(1);
    expect(message.toolCalls[0]?.result?.row_count).toBe(3);
    expect(isStreaming(state.messages)).toBe(false);
  });

  it("keeps the error of a failed turn and ignores events after it", () => {
    const state = run([
      { type: "error", code: "model_error", message: "provider failed", stage: "answer", recoverable: true, trace_id: "t" },
      { type: "text", delta: "late" },
    ]);
    expect(assistant(state)).toMatchObject({ status: "error", markdown: "", error: { code: "model_error", message: "provider failed" } });
  });

  it("marks a turn whose stream ended without done as failed", () => {
    let state = run([{ type: "text", delta: "partial" }]);
    expect(isStreaming(state.messages)).toBe(true);
    state = chatReducer(state, { type: "ended", id: "a1", error: null });
    expect(assistant(state)).toMatchObject({ status: "error", error: { code: "stream_incomplete" } });
  });

  it("marks a stopped turn as stopped, keeping what arrived", () => {
    const state = chatReducer(run([{ type: "text", delta: "so far" }]), { type: "stopped", id: "a1" });
    expect(assistant(state)).toMatchObject({ status: "stopped", markdown: "so far" });
  });
});

describe("revision", () => {
  it("withdraws the refused answer's text and artifact; the fixed one follows", () => {
    const refused = run([
      { type: "text", delta: "Bad.\n\n```tsx\nimport _ from 'lodash';\n```\n" },
      { type: "revision", problems: ['import from "lodash" is not allowed'] },
    ]);
    expect(assistant(refused).markdown).toBe("");
    expect(assistant(refused).artifact).toBeNull();
    const fixed = chatReducer(refused, { type: "event", id: "a1", event: { type: "text", delta: "Fixed." } });
    expect(assistant(fixed).markdown).toBe("Fixed.");
  });
});
