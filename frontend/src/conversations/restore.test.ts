import { describe, expect, it } from "vitest";
import { artifactJson } from "../templates/testing";
import { parseConversation } from "./api";
import { conversationToData, refetchable } from "./restore";

function stored() {
  const conversation = parseConversation({
    id: "c1",
    title: "Flights",
    messages: [
      { id: "m1", role: "user", content: "Flights from JFK by month" },
      { id: "m2", role: "assistant", content: "Here.\n\n```tsx\nexport default function A() { return null; }\n```\n", artifacts: [artifactJson(), artifactJson({ artifact_id: "art_2" })], sql: ["SELECT 1"] },
      { id: "m3", role: "user", content: "And a table?" },
      { id: "m4", role: "assistant", content: "No SQL ran.", artifacts: [artifactJson({ artifact_id: "art_3", sql: null, query_id: null })], sql: [] },
      { id: "m5", role: "user", content: "Broken?" },
      { id: "m6", role: "assistant", content: "", error: { code: "sql_error", message: "bad", stage: "query", recoverable: false } },
      { id: "m7", role: "user", content: "Left early" },
      { id: "m8", role: "assistant", content: "Half an", error: { code: "cancelled", message: "the client disconnected", stage: null, recoverable: true } },
    ],
  });
  if (conversation === null) throw new Error("fixture does not parse");
  return conversation;
}

describe("conversationToData", () => {
  it("maps messages, SQL and the first artifact of each answer, keeping the conversation id", () => {
    const data = conversationToData(stored());
    expect(data.conversationId).toBe("c1");
    expect(data.messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant", "user", "assistant", "user", "assistant"]);
    expect(data.messages[0]).toEqual({ id: "m1", role: "user", text: "Flights from JFK by month" });
    expect(data.messages[1]).toMatchObject({ role: "assistant", status: "done", markdown: expect.stringContaining("```tsx"), artifactKey: "art_1", data: [] });
    const answer = data.messages[1];
    expect(answer?.role === "assistant" && answer.toolCalls).toEqual([
      { id: "m2-sql-0", tool: "run_sql", args: { sql: "SELECT 1" }, result: expect.objectContaining({ ok: true, row_count: null }) },
    ]);
    expect(data.messages[5]).toMatchObject({ status: "error", error: { code: "sql_error", message: "bad" }, artifactKey: null });
    expect(data.messages[7]).toMatchObject({ status: "stopped", error: null, markdown: "Half an" });
    expect(Object.keys(data.artifacts)).toEqual(["art_1", "art_3"]);
    expect(data.artifacts.art_1).toMatchObject({ messageId: "m2", queryId: "q1", queryParams: { origin: "JFK" }, viewParams: {}, data: null, prompt: "Number of flights from JFK by month", template: null });
    expect(data.activeArtifact).toBe("art_3");
  });

  it("fetches rows again only for artifacts with SQL", () => {
    expect(refetchable(conversationToData(stored()).artifacts)).toEqual(["art_1"]);
  });
});
