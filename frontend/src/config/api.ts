import { callJson, type ApiResult } from "../lib/http";
import { isRecord, numberField, stringField } from "../lib/json";

/** What GET /api/config reports (field names as the UI uses them). */
export interface ServerConfig {
  /** The default model. */
  model: string;
  /** The models a chat request may name, the default first. */
  models: string[];
  dataset: string;
  datasets: string[];
  maxRows: number;
  /** The sandbox page, on its own origin. */
  sandboxUrl: string;
  /** The frame watchdog: milliseconds to wait for `rendered` or `error`. */
  renderTimeoutMs: number;
  /** PLOTWISE_MAX_UPLOAD_MB, when the server tells it (uploads over it are refused before sending). */
  maxUploadMb: number | null;
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:";
  } catch {
    return false;
  }
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

/**
 * Reads the server's answer; null when a field the UI needs is missing or malformed, or when
 * the sandbox would share `appOrigin` (that would give generated code the app's rights).
 */
export function parseServerConfig(body: unknown, appOrigin: string): ServerConfig | null {
  if (!isRecord(body)) return null;
  const sandboxUrl = stringField(body, "sandbox_url", "");
  const renderTimeoutMs = numberField(body, "render_timeout_ms", 0);
  const datasets = stringList(body.datasets);
  if (!isHttpUrl(sandboxUrl) || new URL(sandboxUrl).origin === appOrigin) return null;
  if (renderTimeoutMs <= 0) return null;
  const model = stringField(body, "model", "unknown");
  return {
    model,
    models: [...new Set([model, ...stringList(body.models)])],
    dataset: stringField(body, "dataset", ""),
    datasets,
    maxRows: numberField(body, "max_rows", 0),
    sandboxUrl,
    renderTimeoutMs,
    maxUploadMb: numberField(body, "max_upload_mb", null),
  };
}

/** GET /api/config. */
export function fetchServerConfig(signal?: AbortSignal): Promise<ApiResult<ServerConfig>> {
  return callJson({ method: "GET", url: "/api/config" }, (body) => parseServerConfig(body, window.location.origin), signal);
}
