import { callJson, type ApiResult } from "../lib/http";
import { isRecord, numberField, stringField } from "../lib/json";

/** What GET /api/config reports (field names as the UI uses them). */
export interface ServerConfig {
  model: string;
  dataset: string;
  datasets: string[];
  maxRows: number;
  /** The sandbox page, on its own origin. */
  sandboxUrl: string;
  /** The frame watchdog: milliseconds to wait for `rendered` or `error`. */
  renderTimeoutMs: number;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

/**
 * Reads the server's answer; null when a field the UI needs is missing or malformed, or when
 * the sandbox would share `appOrigin` (that would give generated code the app's rights).
 */
export function parseServerConfig(body: unknown, appOrigin: string): ServerConfig | null {
  if (!isRecord(body)) return null;
  const sandboxUrl = stringField(body, "sandbox_url", "");
  const renderTimeoutMs = numberField(body, "render_timeout_ms", 0);
  const datasets = Array.isArray(body.datasets) ? body.datasets.filter((name): name is string => typeof name === "string") : [];
  if (!isHttpUrl(sandboxUrl) || new URL(sandboxUrl).origin === appOrigin) return null;
  if (renderTimeoutMs <= 0) return null;
  return {
    model: stringField(body, "model", "unknown"),
    dataset: stringField(body, "dataset", ""),
    datasets,
    maxRows: numberField(body, "max_rows", 0),
    sandboxUrl,
    renderTimeoutMs,
  };
}

/** GET /api/config. */
export function fetchServerConfig(signal?: AbortSignal): Promise<ApiResult<ServerConfig>> {
  return callJson({ method: "GET", url: "/api/config" }, (body) => parseServerConfig(body, window.location.origin), signal);
}
