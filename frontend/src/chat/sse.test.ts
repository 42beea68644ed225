import { describe, expect, it } from "vitest";
import type { ChatEvent } from "./events";
import { createSseDecoder } from "./sse";

function frame(type: string, id: number, payload: object): string {
  return `event: ${type}\r\nid: t1:${id}\r\ndata: ${JSON.stringify({ type, ...payload })}\r\n\r\n`;
}

const STREAM = [
  frame("meta", 0, { conversation_id: "c1", turn_id: "t1", model: "test" }),
  frame("stage", 1, { stage: "query", message: "Running SQL" }),
  frame("tool_call", 2, { tool_call_id: "tc1", tool: "run_sql", args: { sql: "SELECT 1" } }),
  frame("tool_result", 3, { tool_call_id: "tc1", tool: "run_sql", ok: true, row_count: 1, truncated: false, elapsed_ms: 2.5, error: null }),
  frame("data", 4, {
    query_id: "q1",
    sql: "SELECT 1",
    columns: [{ name: "x", type: "INTEGER" }],
    rows: [[1]],
    row_count: 1,
    truncated: false,
    elapsed_ms: 2.5,
    fetched_at: "2026-11-21T08:00:00Z",
    data_version: "v1",
  }),
  frame("text", 5, { delta: "line one\nline two ✓" }),
  frame("artifact", 6, { artifact_id: "a1", code: "export default () => null", language: "tsx", query_id: "q1" }),
  frame("done", 7, { usage: { input_tokens: 10, output_tokens: 5, requests: 1, tool_calls: 1 }, elapsed_ms: 99 }),
].join("");

function decodeInChunks(chunks: (string | Uint8Array)[]): ChatEvent[] {
  const events: ChatEvent[] = [];
  const decoder = createSseDecoder((event) => events.push(event));
  for (const chunk of chunks) decoder.feed(chunk);
  decoder.end();
  return events;
}

describe("createSseDecoder", () => {
  it("decodes a whole turn into typed events, in order", () => {
    const events = decodeInChunks([STREAM]);
    expect(events.map((e) => e.type)).toEqual(["meta", "stage", "tool_call", "tool_result", "data", "text", "artifact", "done"]);
    expect(events[5]).toEqual({ type: "text", delta: "line one\nline two ✓" });
    expect(events[4]).toMatchObject({ type: "data", query_id: "q1", columns: [{ name: "x", type: "INTEGER" }], rows: [[1]] });
    expect(events[7]).toEqual({
      type: "done",
      usage: { input_tokens: 10, output_tokens: 5, requests: 1, tool_calls: 1 },
      elapsed_ms: 99,
    });
  });

  it("gives the same events for chunks split mid-line, mid-CRLF and mid-character", () => {
    const bytes = new TextEncoder().encode(STREAM);
    const whole = decodeInChunks([STREAM]);
    for (const size of [1, 3, 7, 64]) {
      const chunks: Uint8Array[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.slice(i, i + size));
      expect(decodeInChunks(chunks), `chunk size ${size}`).toEqual(whole);
    }
  });

  it("skips unknown types, bad JSON, mismatched types and invalid payloads", () => {
    const events = decodeInChunks([
      "event: future\ndata: {\"type\":\"future\"}\n\n",
      "event: text\ndata: not json\n\n",
      'event: text\ndata: {"type":"done","usage":{},"elapsed_ms":1}\n\n',
      'event: stage\ndata: {"type":"stage","stage":"dancing","message":"x"}\n\n',
      ": keep-alive comment\n\n",
      'event: text\ndata: {"type":"text","delta":"ok"}\n\n',
    ]);
    expect(events).toEqual([{ type: "text", delta: "ok" }]);
  });

  it("reads an error event in the one error shape", () => {
    const events = decodeInChunks([frame("error", 0, { code: "sql_refused", message: "DROP is not allowed", stage: "query", recoverable: false, trace_id: "t1" })]);
    expect(events).toEqual([
      { type: "error", code: "sql_refused", message: "DROP is not allowed", stage: "query", recoverable: false, trace_id: "t1" },
    ]);
  });

  it("drops an event cut off before its blank line, as the SSE spec says", () => {
    const events = decodeInChunks(['event: text\ndata: {"type":"text","delta":"whole"}\n\nevent: text\ndata: {"type":"text","delta":"cut']);
    expect(events).toEqual([{ type: "text", delta: "whole" }]);
  });
});
