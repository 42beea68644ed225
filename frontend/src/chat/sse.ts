import { createParser } from "eventsource-parser";
import { authorizedFetch } from "../auth/authFetch";
import { isRecord } from "../lib/json";
import { parseErrorBody, toChatEvent, type ChatEvent, type ErrorBody, type ErrorEvent } from "./events";

/** Where the chat endpoint lives (same origin; `vite dev` proxies it to FastAPI). */
export const CHAT_URL = "/api/chat";

/** A bad stream peer must not grow the parser's buffers without bound. */
const MAX_EVENT_CHARS = 32 * 1024 * 1024;

export interface ChatRequest {
  conversation_id?: string;
  message: string;
  /** "Fix it": the failed artifact and the error its sandbox reported. */
  fix?: { artifact_id: string; error: string };
  /** The model to answer with (one the server offers); the server's default when omitted. */
  model?: string;
  /** The datasets to ask against (DuckDB ones together, or one PostgreSQL source); the conversation's or the default when omitted. */
  datasets?: string[];
}

export interface SseDecoder {
  /** Feeds raw bytes (or already decoded text) as they arrive; chunks may split anywhere. */
  feed(chunk: Uint8Array | string): void;
  /** Call once when the body ends: an event cut off before its blank line is dropped (SSE spec). */
  end(): void;
}

/**
 * Decodes an SSE byte stream into typed chat events. Unknown event types and payloads that are
 * not valid JSON are skipped, so a newer server can add events without breaking this client.
 */
export function createSseDecoder(onEvent: (event: ChatEvent, id: string | undefined) => void): SseDecoder {
  const text = new TextDecoder();
  const parser = createParser({
    maxBufferSize: MAX_EVENT_CHARS,
    onEvent(message) {
      let payload: unknown;
      try {
        payload = JSON.parse(message.data);
      } catch {
        return;
      }
      // The `event:` line is authoritative; a payload claiming another type is ignored.
      if (!isRecord(payload) || (message.event !== undefined && payload.type !== message.event)) return;
      const event = toChatEvent(payload);
      if (event !== null) onEvent(event, message.id);
    },
  });
  return {
    feed(chunk) {
      parser.feed(typeof chunk === "string" ? chunk : text.decode(chunk, { stream: true }));
    },
    end() {
      const rest = text.decode();
      if (rest) parser.feed(rest);
      parser.reset({ consume: true });
    },
  };
}

/** An error built on the client, for failures the server could not report itself. */
export function clientErrorBody(code: string, message: string, recoverable = true): ErrorBody {
  return { code, message, stage: null, recoverable, trace_id: null };
}

/** The error of a failed HTTP response: its `{"error": {...}}` body, or one built from the status. */
export async function readErrorResponse(response: Response): Promise<ErrorBody> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy error page, say): fall back to the status line below.
  }
  if (isRecord(body) && isRecord(body.error)) return parseErrorBody(body.error);
  const status = `${response.status} ${response.statusText}`.trim();
  return clientErrorBody(`http_${response.status}`, `The server answered ${status}.`);
}

async function httpError(response: Response): Promise<ErrorEvent> {
  return { type: "error", ...(await readErrorResponse(response)) };
}

/** The resume endpoint of a turn (`docs/protocol.md`, "Resuming a dropped stream"). */
export function turnUrl(turnId: string): string {
  return `/api/turns/${encodeURIComponent(turnId)}`;
}

/** How a dropped stream is resumed; tests shorten the waits. */
export interface ResumePolicy {
  /** Milliseconds before the first reconnect; each failed one doubles it, up to `maxDelayMs`. */
  firstDelayMs: number;
  maxDelayMs: number;
  /** Reconnects in a row that may fail (no new event) before the turn is given up. */
  maxAttempts: number;
}

export const RESUME_POLICY: ResumePolicy = { firstDelayMs: 250, maxDelayMs: 4000, maxAttempts: 8 };

/** The wait before reconnect number `attempt` (from 0): exponential backoff, capped. */
export function resumeDelayMs(attempt: number, policy: ResumePolicy = RESUME_POLICY): number {
  return Math.min(policy.firstDelayMs * 2 ** attempt, policy.maxDelayMs);
}

function aborted(): DOMException {
  return new DOMException("The turn was stopped", "AbortError");
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(aborted());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(aborted());
    };
    signal.addEventListener("abort", onAbort, { once: true });
  });
}

/** Reads a response body into the decoder; a dropped connection rejects (unless aborted). */
async function readBody(body: ReadableStream<Uint8Array>, decoder: SseDecoder): Promise<void> {
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    decoder.feed(value);
  }
  decoder.end();
}

/**
 * POSTs one chat turn and reports its events in order. A stream that drops before the turn's
 * `done` or `error` is resumed (`GET /api/turns/{id}/events` with `Last-Event-ID` and the
 * turn's resume token) with backoff; events whose id was already seen are dropped, so each is
 * reported exactly once. Resolves when the turn ends (or its stream ends and cannot be
 * resumed); rejects with an AbortError when `signal` aborts. HTTP errors arrive as one `error`
 * event; a turn whose reconnects keep failing rejects with the last network error.
 */
export async function streamChat(
  request: ChatRequest,
  onEvent: (event: ChatEvent) => void,
  signal: AbortSignal,
  policy: ResumePolicy = RESUME_POLICY,
): Promise<void> {
  const seen = new Set<string>();
  let lastId: string | null = null;
  let turn: { id: string; token: string } | null = null;
  let ended = false;
  let fresh = false;
  const decoder = () =>
    createSseDecoder((event, id) => {
      if (id !== undefined) {
        if (seen.has(id)) return;
        seen.add(id);
        lastId = id;
      }
      fresh = true;
      if (event.type === "meta" && event.resume_token !== undefined) turn = { id: event.turn_id, token: event.resume_token };
      if (event.type === "done" || event.type === "error") ended = true;
      onEvent(event);
    });

  let response = await authorizedFetch(CHAT_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(request),
    signal,
  });
  let failures = 0;
  for (;;) {
    if (!response.ok || response.body === null) {
      onEvent(await httpError(response));
      return;
    }
    let dropped: unknown = null;
    fresh = false;
    try {
      await readBody(response.body, decoder());
    } catch (error) {
      if (signal.aborted) throw aborted();
      dropped = error;
    }
    if (ended || turn === null) {
      if (dropped !== null) throw dropped;
      return;
    }
    if (fresh) failures = 0;
    const resumed = await resume(turn, lastId, signal, policy, failures);
    failures = resumed.failures;
    if (resumed.response === null) throw dropped ?? resumed.error;
    response = resumed.response;
  }
}

/** Reconnects to a turn's stream with backoff; null once `maxAttempts` in a row failed. */
async function resume(
  turn: { id: string; token: string },
  lastId: string | null,
  signal: AbortSignal,
  policy: ResumePolicy,
  failures: number,
): Promise<{ response: Response | null; failures: number; error: unknown }> {
  let error: unknown = new Error("the stream dropped and could not be resumed");
  while (failures < policy.maxAttempts) {
    await sleep(resumeDelayMs(failures, policy), signal);
    failures += 1;
    const headers: Record<string, string> = { Accept: "text/event-stream", "X-Resume-Token": turn.token };
    if (lastId !== null) headers["Last-Event-ID"] = lastId;
    try {
      const response = await authorizedFetch(`${turnUrl(turn.id)}/events`, { headers, signal });
      // A 5xx (a proxy between restarts) may pass; a 4xx (the turn is gone) will not.
      if (response.ok || response.status < 500) return { response, failures, error };
    } catch (caught) {
      if (signal.aborted) throw aborted();
      error = caught;
    }
  }
  return { response: null, failures, error };
}

/** Asks the server to stop a turn now (Stop); failures are ignored (the turn then times out). */
export async function stopTurn(turnId: string, resumeToken: string): Promise<void> {
  try {
    await authorizedFetch(turnUrl(turnId), { method: "DELETE", headers: { "X-Resume-Token": resumeToken } });
  } catch {
    // Unreachable server: nothing to stop, or it stops the turn itself after its grace period.
  }
}
