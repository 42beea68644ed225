import { describe, expect, it } from "vitest";
import { jobJson, succeededJson } from "../job/testing";
import type { ChatEvent } from "./events";
import { sqlOf, toChatEvent } from "./events";
import { createSseDecoder } from "./sse";

// The Spark additions to the turn's events: `job`, `job` on `data`, `job_id` on `artifact`.

function frame(type: string, id: number, payload: object): string {
  return `event: ${type}\r\nid: t1:${id}\r\ndata: ${JSON.stringify({ type, ...payload })}\r\n\r\n`;
}

const DATA = {
  query_id: "tc1",
  sql: "SELECT * FROM flights WHERE dep_delay > 180",
  columns: [{ name: "carrier", type: "VARCHAR" }],
  rows: [["9E"], ["AA"]],
  row_count: 2,
  truncated: true,
  elapsed_ms: 12500,
  fetched_at: "2026-11-21T08:00:14Z",
  data_version: "v1",
};

describe("toChatEvent: Spark jobs", () => {
  it("reads a job event: the tool call and the job snapshot", () => {
    const event = toChatEvent({ type: "job", tool_call_id: "tc1", job: jobJson() });
    expect(event).toMatchObject({ type: "job", tool_call_id: "tc1", job: { job_id: "job_1a2b3c4d5e6f7a8b", state: "running", progress: { stages_done: 1, tasks_total: 100 } } });
  });

  it("drops a job event without its tool call or with a malformed job", () => {
    expect(toChatEvent({ type: "job", job: jobJson() })).toBeNull();
    expect(toChatEvent({ type: "job", tool_call_id: "tc1", job: jobJson({ state: "exploded" }) })).toBeNull();
    expect(toChatEvent({ type: "job", tool_call_id: "tc1" })).toBeNull();
  });

  it("reads the job of a Spark preview's data event, and null for DuckDB's", () => {
    const spark = toChatEvent({ type: "data", ...DATA, job: succeededJson() });
    expect(spark?.type === "data" && spark.job).toMatchObject({ state: "succeeded", row_count: 12345 });
    const duck = toChatEvent({ type: "data", ...DATA, job: null });
    expect(duck?.type === "data" && duck.job).toBeNull();
    const broken = toChatEvent({ type: "data", ...DATA, job: { state: "succeeded" } });
    expect(broken?.type === "data" && broken.job).toBeNull();
  });

  it("reads an artifact's job id", () => {
    expect(toChatEvent({ type: "artifact", artifact_id: "a1", code: "x", language: "tsx", query_id: "tc1", job_id: "job_1" })).toMatchObject({ job_id: "job_1" });
    expect(toChatEvent({ type: "artifact", artifact_id: "a1", code: "x", language: "tsx", query_id: "q1" })).toMatchObject({ job_id: null });
  });

  it("finds the SQL of a submit_spark call", () => {
    expect(sqlOf({ query: "SELECT 1", output_format: "csv" })).toBe("SELECT 1");
    expect(sqlOf({ sql: "SELECT 2" })).toBe("SELECT 2");
    expect(sqlOf({ table: "flights" })).toBeNull();
  });
});

describe("a Spark turn on the wire", () => {
  it("decodes the job's snapshots in order, then its preview", () => {
    const stream = [
      frame("tool_call", 1, { tool_call_id: "tc1", tool: "submit_spark", args: { query: DATA.sql, output_format: "parquet" } }),
      frame("job", 2, { tool_call_id: "tc1", job: jobJson({ state: "queued", stage: "queued", progress: {} }) }),
      frame("job", 3, { tool_call_id: "tc1", job: jobJson() }),
      frame("job", 4, { tool_call_id: "tc1", job: succeededJson() }),
      frame("tool_result", 5, { tool_call_id: "tc1", tool: "submit_spark", ok: true, row_count: 12345, truncated: true, elapsed_ms: 12500, error: null }),
      frame("data", 6, { ...DATA, job: succeededJson() }),
    ].join("");
    const events: ChatEvent[] = [];
    const decoder = createSseDecoder((event) => events.push(event));
    // Split mid-frame, as a network would.
    decoder.feed(stream.slice(0, 333));
    decoder.feed(stream.slice(333));
    decoder.end();
    expect(events.map((e) => (e.type === "job" ? `job:${e.job.state}` : e.type))).toEqual(["tool_call", "job:queued", "job:running", "job:succeeded", "tool_result", "data"]);
  });
});
