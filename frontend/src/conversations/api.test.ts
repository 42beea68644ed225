import { describe, expect, it } from "vitest";
import { jobJson, succeededJson } from "../job/testing";
import { artifactJson } from "../templates/testing";
import { deleteConversationRequest, getConversationRequest, listConversationsRequest, parseConversation, parseConversationList } from "./api";

describe("conversation requests", () => {
  it("lists, reads and deletes by escaped id", () => {
    expect(listConversationsRequest()).toEqual({ method: "GET", url: "/api/conversations?limit=50&offset=0" });
    expect(getConversationRequest("c 1")).toEqual({ method: "GET", url: "/api/conversations/c%201" });
    expect(deleteConversationRequest("c1")).toEqual({ method: "DELETE", url: "/api/conversations/c1" });
  });
});

describe("parseConversationList", () => {
  it("reads the rows and skips one without an id", () => {
    const body = { items: [{ id: "c1", title: "Flights by carrier", created_at: "a", updated_at: "b", message_count: 4 }, { title: "no id" }], total: 2 };
    expect(parseConversationList(body)).toEqual({ items: [{ id: "c1", title: "Flights by carrier", created_at: "a", updated_at: "b", message_count: 4 }], total: 2 });
    expect(parseConversationList([])).toBeNull();
  });
});

describe("parseConversation", () => {
  it("reads messages with their SQL, artifacts and error", () => {
    const conversation = parseConversation({
      id: "c1",
      title: "Flights",
      created_at: "a",
      updated_at: "b",
      messages: [
        { id: "m1", role: "user", content: "Flights?", created_at: "a", artifacts: [], sql: [] },
        { id: "m2", role: "assistant", content: "Here.", created_at: "a", artifacts: [artifactJson(), { nope: 1 }], sql: ["SELECT 1", 2] },
        { id: "m3", role: "assistant", content: "", artifacts: [], sql: [], error: { code: "sql_error", message: "bad column", stage: "query", recoverable: true, trace_id: "t" } },
        { id: "m4", role: "system", content: "hidden" },
      ],
    });
    expect(conversation?.messages.map((m) => m.id)).toEqual(["m1", "m2", "m3"]);
    expect(conversation?.messages[1]).toMatchObject({ sql: ["SELECT 1"], artifacts: [{ artifact_id: "art_1", query_id: "q1" }] });
    expect(conversation?.messages[2]?.error).toEqual({ code: "sql_error", message: "bad column", stage: "query", recoverable: true, trace_id: "t" });
    expect(parseConversation({ id: "c1" })).toBeNull();
  });

  it("reads an answer's Spark jobs, skipping malformed ones, and none when the field is missing", () => {
    const conversation = parseConversation({
      id: "c1",
      messages: [
        { id: "m2", role: "assistant", content: "Here.", artifacts: [artifactJson({ job_id: "job_1a2b3c4d5e6f7a8b" })], sql: [], jobs: [succeededJson(), { job_id: "job_x" }, jobJson({ job_id: "job_2" })] },
        { id: "m4", role: "assistant", content: "Older answer." },
      ],
    });
    expect(conversation?.messages[0]?.jobs.map((job) => [job.job_id, job.state])).toEqual([
      ["job_1a2b3c4d5e6f7a8b", "succeeded"],
      ["job_2", "running"],
    ]);
    expect(conversation?.messages[0]?.artifacts[0]?.job_id).toBe("job_1a2b3c4d5e6f7a8b");
    expect(conversation?.messages[1]?.jobs).toEqual([]);
  });
});
