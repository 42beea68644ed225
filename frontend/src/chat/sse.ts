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
export function createSseDecoder(onEvent: (event: ChatEvent) => void): SseDecoder {
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
      if (event !== null) onEvent(event);
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

/**
 * POSTs one chat turn and reports its events in order. Resolves when the body ends; rejects
 * with an AbortError when `signal` aborts. HTTP errors arrive as one `error` event.
 */
export async function streamChat(
  request: ChatRequest,
  onEvent: (event: ChatEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const response = await authorizedFetch(CHAT_URL, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
    body: JSON.stringify(request),
    signal,
  });
  if (!response.ok || response.body === null) {
    onEvent(await httpError(response));
    return;
  }
  const decoder = createSseDecoder(onEvent);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    decoder.feed(value);
  }
  decoder.end();
}
