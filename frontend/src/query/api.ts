import { authorizedFetch } from "../auth/authFetch";
import { clientErrorBody, readErrorResponse } from "../chat/sse";
import type { ErrorBody } from "../chat/events";
import { isRecord, type JsonObject } from "../lib/json";
import { ARROW_STREAM, decodeArrowResult } from "./arrowRows";
import { parseQueryResult, type QueryParamSpec, type QueryResult } from "./result";

/** Body of POST /api/artifacts/{artifact_id}/data. */
export interface ArtifactDataRequest {
  params: JsonObject;
  refresh: boolean;
}

export type ArtifactDataResponse = { ok: true; result: QueryResult } | { ok: false; error: ErrorBody };

/**
 * Where an artifact's data is re-run (same origin; `vite dev` proxies it). `full` asks for every
 * row up to the row cap, never downsampled for the chart (for downloads).
 */
export function artifactDataUrl(artifactId: string, full = false): string {
  return `/api/artifacts/${encodeURIComponent(artifactId)}/data${full ? "?full=true" : ""}`;
}

/**
 * The request for an artifact's data: every declared query parameter with its current value
 * (its default when it has none). Values of undeclared names are left out, since the server
 * refuses unknown parameters; with no specs at all, the values are sent as they are.
 */
export function buildDataRequest(specs: readonly QueryParamSpec[], values: JsonObject, refresh: boolean): ArtifactDataRequest {
  if (specs.length === 0) return { params: { ...values }, refresh };
  const params: JsonObject = {};
  for (const spec of specs) params[spec.name] = values[spec.name] ?? spec.default;
  return { params, refresh };
}

/** Each declared query parameter at its default value. */
export function defaultQueryParams(specs: readonly QueryParamSpec[]): JsonObject {
  return Object.fromEntries(specs.map((spec) => [spec.name, spec.default]));
}

/**
 * POSTs a data request for one artifact. Resolves with the new result or the server's error
 * (network failures included); rejects only with an AbortError when `signal` aborts.
 * Asks for Arrow (typed columns the server writes without per-row work) and takes JSON too:
 * the server answers JSON for column types the Arrow decoder does not read. With `full`, the
 * answer holds every row (up to the row cap) instead of the chart's downsampled ones.
 */
export async function fetchArtifactData(
  artifactId: string,
  request: ArtifactDataRequest,
  signal: AbortSignal,
  full = false,
): Promise<ArtifactDataResponse> {
  let response: Response;
  try {
    response = await authorizedFetch(artifactDataUrl(artifactId, full), {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: `${ARROW_STREAM}, application/json;q=0.9` },
      body: JSON.stringify(request),
      signal,
    });
  } catch (error) {
    if (signal.aborted) throw error;
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, error: clientErrorBody("network_error", `Could not reach the server: ${detail}`) };
  }
  if (!response.ok) return { ok: false, error: await readErrorResponse(response) };
  if (response.headers.get("Content-Type") === ARROW_STREAM) return arrowAnswer(response, signal);
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Reported below as a malformed answer.
  }
  const result = isRecord(body) ? parseQueryResult(body) : null;
  if (result === null) return { ok: false, error: clientErrorBody("bad_response", "The server's answer had no usable rows.") };
  return { ok: true, result };
}

async function arrowAnswer(response: Response, signal: AbortSignal): Promise<ArtifactDataResponse> {
  let result: QueryResult | null = null;
  try {
    result = decodeArrowResult(new Uint8Array(await response.arrayBuffer()));
  } catch (error) {
    if (signal.aborted) throw error;
    // Reported below as a malformed answer.
  }
  if (result === null) return { ok: false, error: clientErrorBody("bad_response", "The server's answer had no usable rows.") };
  return { ok: true, result };
}
