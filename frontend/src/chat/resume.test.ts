import { afterEach, describe, expect, it, vi } from "vitest";
import type { ChatEvent } from "./events";
import { resumeDelayMs, streamChat, type ResumePolicy } from "./sse";

const FAST: ResumePolicy = { firstDelayMs: 1, maxDelayMs: 4, maxAttempts: 3 };

function frame(id: number, type: string, payload: object): string {
  return `event: ${type}\nid: t1:${id}\ndata: ${JSON.stringify({ type, ...payload })}\n\n`;
}

const META = frame(0, "meta", { conversation_id: "c1", turn_id: "t1", model: "m", resume_token: "secret" });
const text = (id: number) => frame(id, "text", { delta: `d${id}` });
const DONE = frame(9, "done", { usage: { input_tokens: 1, output_tokens: 1, requests: 1, tool_calls: 0 }, elapsed_ms: 1 });

/** A 200 SSE response sending `chunks`, then ending, or failing as a dropped connection does. */
function sse(chunks: string[], drop = false): Response {
  const queue = [...chunks];
  // One chunk per read: an error() would discard chunks still queued.
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const chunk = queue.shift();
      if (chunk !== undefined) controller.enqueue(new TextEncoder().encode(chunk));
      else if (drop) controller.error(new TypeError("network error"));
      else controller.close();
    },
  });
  return new Response(body, { status: 200, headers: { "Content-Type": "text/event-stream" } });
}

interface Call {
  url: string;
  method: string;
  headers: Record<string, string>;
}

function stubFetch(responses: (Response | Error)[]): Call[] {
  const calls: Call[] = [];
  vi.stubGlobal("fetch", (url: string, init: RequestInit = {}) => {
    calls.push({ url, method: init.method ?? "GET", headers: { ...(init.headers as Record<string, string>) } });
    const next = responses.shift();
    if (next === undefined) return Promise.reject(new Error("no more responses"));
    return next instanceof Error ? Promise.reject(next) : Promise.resolve(next);
  });
  return calls;
}

async function run(signal = new AbortController().signal): Promise<ChatEvent[]> {
  const events: ChatEvent[] = [];
  await streamChat({ message: "q" }, (event) => events.push(event), signal, FAST);
  return events;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe("streamChat resuming a dropped stream", () => {
  it("reconnects with Last-Event-ID and the token, and reports each event once", async () => {
    const calls = stubFetch([
      sse([META, text(1), text(2), "event: text\nid: t1:3\ndata: {\"type\":\"te"], true),
      sse([text(2), text(3)], true),
      new TypeError("offline"),
      sse([text(3), text(4), DONE]),
    ]);
    const events = await run();
    expect(events.map((e) => (e.type === "text" ? e.delta : e.type))).toEqual(["meta", "d1", "d2", "d3", "d4", "done"]);
    expect(calls.map((c) => [c.method, c.url, c.headers["Last-Event-ID"], c.headers["X-Resume-Token"]])).toEqual([
      ["POST", "/api/chat", undefined, undefined],
      ["GET", "/api/turns/t1/events", "t1:2", "secret"],
      ["GET", "/api/turns/t1/events", "t1:3", "secret"],
      ["GET", "/api/turns/t1/events", "t1:3", "secret"],
    ]);
  });

  it("resumes a stream that ended without done or error", async () => {
    const calls = stubFetch([sse([META, text(1)]), sse([DONE])]);
    const events = await run();
    expect(events.map((e) => e.type)).toEqual(["meta", "text", "done"]);
    expect(calls).toHaveLength(2);
  });

  it("does not reconnect after done, nor without a resume token", async () => {
    let calls = stubFetch([sse([META, text(1), DONE])]);
    await run();
    expect(calls).toHaveLength(1);
    calls = stubFetch([sse([frame(0, "meta", { conversation_id: "c1", turn_id: "t1", model: "m" }), text(1)])]);
    expect((await run()).map((e) => e.type)).toEqual(["meta", "text"]);
    expect(calls).toHaveLength(1);
  });

  it("reports a turn the server no longer has as its error, without retrying", async () => {
    const gone = new Response(JSON.stringify({ error: { code: "not_found", message: "no turn", stage: null, recoverable: false, trace_id: null } }), {
      status: 404,
      headers: { "Content-Type": "application/json" },
    });
    const calls = stubFetch([sse([META, text(1)], true), gone]);
    const events = await run();
    expect(events.at(-1)).toMatchObject({ type: "error", code: "not_found" });
    expect(calls).toHaveLength(2);
  });

  it("gives up after maxAttempts failed reconnects in a row", async () => {
    const calls = stubFetch([sse([META, text(1)], true), new TypeError("a"), new TypeError("b"), new TypeError("c"), sse([DONE])]);
    await expect(run()).rejects.toThrow();
    expect(calls).toHaveLength(1 + FAST.maxAttempts);
  });

  it("does not reconnect once stopped", async () => {
    const abort = new AbortController();
    const calls = stubFetch([sse([META, text(1)], true), sse([DONE])]);
    const events: ChatEvent[] = [];
    const done = streamChat({ message: "q" }, (event) => {
      events.push(event);
      if (event.type === "text") abort.abort();
    }, abort.signal, { ...FAST, firstDelayMs: 50 });
    await expect(done).rejects.toMatchObject({ name: "AbortError" });
    expect(calls).toHaveLength(1);
  });

  it("backs off exponentially up to the cap", () => {
    expect([0, 1, 2, 3, 4, 5, 9].map((n) => resumeDelayMs(n))).toEqual([250, 500, 1000, 2000, 4000, 4000, 4000]);
  });
});
