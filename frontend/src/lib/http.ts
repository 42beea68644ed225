import { authorizedFetch, type ApiRequestInit } from "../auth/authFetch";
import { clientErrorBody, readErrorResponse } from "../chat/sse";
import type { ErrorBody } from "../chat/events";
import type { JsonValue } from "./json";

/** One HTTP call to the API, described as data so request building can be tested on its own. */
export interface ApiRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  url: string;
  /** Sent as JSON; left out for requests without a body. */
  body?: JsonValue;
}

/** What a call gives back: its parsed value, or the one JSON error shape. */
export type ApiResult<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

/** A downloaded file: its content and the name the server suggested, if any. */
export interface DownloadedFile {
  blob: Blob;
  filename: string | null;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function send(request: ApiRequest, accept: string, signal?: AbortSignal): Promise<Response | ErrorBody> {
  const init: ApiRequestInit = { method: request.method, headers: { Accept: accept }, signal };
  if (request.body !== undefined) {
    init.headers = { Accept: accept, "Content-Type": "application/json" };
    init.body = JSON.stringify(request.body);
  }
  try {
    return await authorizedFetch(request.url, init);
  } catch (error) {
    if (signal?.aborted) throw error;
    return clientErrorBody("network_error", `Could not reach the server: ${errorMessage(error)}`);
  }
}

/**
 * Makes the call and reads a JSON answer with `parse` (which gets null for an empty `204`).
 * Failures, network ones included, come back as an error; rejects only with an AbortError.
 */
export async function callJson<T>(request: ApiRequest, parse: (body: unknown) => T | null, signal?: AbortSignal): Promise<ApiResult<T>> {
  const response = await send(request, "application/json", signal);
  if (!(response instanceof Response)) return { ok: false, error: response };
  if (!response.ok) return { ok: false, error: await readErrorResponse(response) };
  let body: unknown = null;
  if (response.status !== 204) {
    try {
      body = await response.json();
    } catch {
      // Reported below as a malformed answer.
    }
  }
  const value = parse(body);
  if (value === null) return { ok: false, error: clientErrorBody("bad_response", "The server's answer was not what this page expected.") };
  return { ok: true, value };
}

/** Makes the call and keeps the answer as a file (an export, a standalone HTML page). */
export async function callFile(request: ApiRequest, signal?: AbortSignal): Promise<ApiResult<DownloadedFile>> {
  const response = await send(request, "*/*", signal);
  if (!(response instanceof Response)) return { ok: false, error: response };
  if (!response.ok) return { ok: false, error: await readErrorResponse(response) };
  try {
    const blob = await response.blob();
    return { ok: true, value: { blob, filename: filenameFromDisposition(response.headers.get("Content-Disposition")) } };
  } catch (error) {
    return { ok: false, error: clientErrorBody("network_error", `The download broke off: ${errorMessage(error)}`) };
  }
}

/**
 * The file name a `Content-Disposition` header suggests (`filename*=UTF-8''…` preferred), or
 * null. Path separators are dropped: the name comes from the network.
 */
export function filenameFromDisposition(header: string | null): string | null {
  if (header === null) return null;
  const extended = /filename\*\s*=\s*(?:UTF-8|utf-8)''([^;]+)/.exec(header);
  let name: string | null = null;
  if (extended?.[1] !== undefined) {
    try {
      name = decodeURIComponent(extended[1].trim());
    } catch {
      name = null;
    }
  }
  if (name === null) {
    const plain = /filename\s*=\s*(?:"([^"]*)"|([^;]+))/.exec(header);
    name = plain?.[1] ?? plain?.[2]?.trim() ?? null;
  }
  const base = name?.split(/[\\/]/).pop()?.trim() ?? "";
  return base === "" || base === "." || base === ".." ? null : base;
}

/** A path segment for an id from the server. */
export function segment(id: string): string {
  return encodeURIComponent(id);
}
