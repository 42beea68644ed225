import { isJsonValue, isRecord, type JsonObject, type JsonValue } from "../lib/json";

// The message protocol between the app and the sandbox frame. Both sides import this module
// (the sandbox through the @plotwise/protocol alias), so the wire format lives in one place.
//
// Handshake: on the frame's first `load`, the parent posts `connect` to the frame's window with
// one end of a MessageChannel transferred alongside. The sandbox takes the first such port and
// stops listening to window messages; from then on both sides talk only over that port, which
// no other window holds, so nothing else can inject messages. The sandbox answers `ready`.

/** One data row as the component receives it. */
export type Row = Record<string, JsonValue>;

/** How the server reduced a long result for the chart (docs/protocol.md, "Downsampling"). */
export const DOWNSAMPLE_METHODS = ["lttb", "top_n"] as const;
export type DownsampleMethod = (typeof DOWNSAMPLE_METHODS)[number];

/** How the rows a component receives relate to the whole query result (its `meta` prop). */
export interface DataMeta {
  /** True when the rows were reduced for the chart: totals computed from them would be wrong. */
  downsampled: boolean;
  /** Rows of the whole result (the row count when not downsampled). */
  original_row_count: number;
  /** `lttb` (points of each series) or `top_n` (top categories plus "Other"); null when whole. */
  downsample: DownsampleMethod | null;
}

/** The meta of rows that are the whole result. */
export function wholeData(rowCount: number): DataMeta {
  return { downsampled: false, original_row_count: rowCount, downsample: null };
}

/** Reads a DataMeta, copying known fields only; whole data of `rowCount` rows when malformed. */
export function parseDataMeta(value: unknown, rowCount: number): DataMeta {
  if (!isRecord(value)) return wholeData(rowCount);
  const method = DOWNSAMPLE_METHODS.find((m) => m === value.downsample) ?? null;
  const original = value.original_row_count;
  return {
    downsampled: value.downsampled === true && method !== null,
    original_row_count: typeof original === "number" && Number.isSafeInteger(original) && original >= 0 ? original : rowCount,
    downsample: value.downsampled === true ? method : null,
  };
}

/** Parent → sandbox: compile `code` (unless it is the cached one) and render it with these props. */
export interface RenderMessage {
  type: "render";
  code: string;
  data: Row[];
  params: JsonObject;
  meta: DataMeta;
}

/** Parent → sandbox: re-render the current component and data with new view parameters only. */
export interface ParamsMessage {
  type: "params";
  params: JsonObject;
}

/** Everything the parent may send over the port. */
export type ParentMessage = RenderMessage | ParamsMessage;

/** Parent → sandbox window, once: the message that carries the channel's port. */
export interface ConnectMessage {
  type: "connect";
  protocol: typeof PROTOCOL_VERSION;
}

/** Changes when a message's meaning changes, so a stale cached sandbox refuses to connect. */
export const PROTOCOL_VERSION = 2;

export type RenderPhase = "compile" | "render";

/** Sandbox → parent messages. */
export type SandboxMessage =
  | { type: "ready" }
  /** `ms`: from the sandbox receiving the message to the commit (performance.now()). */
  | { type: "rendered"; ms: number | null }
  | { type: "error"; phase: RenderPhase; message: string }
  | { type: "height"; height: number };

/** Bounds of the frame height the parent accepts, in CSS pixels. */
export const MIN_FRAME_HEIGHT = 120;
export const MAX_FRAME_HEIGHT = 2000;

/** Longest error message shown to the user; the sandbox is untrusted and could send megabytes. */
export const MAX_ERROR_LENGTH = 2000;

/** Clamps a frame height reported by the sandbox to [MIN_FRAME_HEIGHT, MAX_FRAME_HEIGHT]. */
export function clampHeight(height: number): number {
  if (!Number.isFinite(height)) return MIN_FRAME_HEIGHT;
  return Math.min(MAX_FRAME_HEIGHT, Math.max(MIN_FRAME_HEIGHT, Math.ceil(height)));
}

/**
 * Reads a message from the sandbox, building a fresh object from known fields only.
 * Returns null for anything malformed or of an unknown type.
 */
export function parseSandboxMessage(value: unknown): SandboxMessage | null {
  if (!isRecord(value)) return null;
  switch (value.type) {
    case "ready":
      return { type: "ready" };
    case "rendered":
      return {
        type: "rendered",
        ms: typeof value.ms === "number" && Number.isFinite(value.ms) && value.ms >= 0 ? value.ms : null,
      };
    case "error": {
      const phase = value.phase === "compile" || value.phase === "render" ? value.phase : null;
      if (phase === null || typeof value.message !== "string") return null;
      return { type: "error", phase, message: value.message.slice(0, MAX_ERROR_LENGTH) };
    }
    case "height":
      return typeof value.height === "number" && Number.isFinite(value.height)
        ? { type: "height", height: value.height }
        : null;
    default:
      return null;
  }
}

function paramsOf(value: unknown): JsonObject | null {
  return isRecord(value) && isJsonValue(value) ? (value as JsonObject) : null;
}

/** Reads a render request from the parent; null when it is not one. */
export function parseRenderMessage(value: unknown): RenderMessage | null {
  if (!isRecord(value) || value.type !== "render" || typeof value.code !== "string") return null;
  const { data } = value;
  const params = paramsOf(value.params);
  if (!Array.isArray(data) || !data.every((row) => isRecord(row) && isJsonValue(row))) return null;
  if (params === null) return null;
  return { type: "render", code: value.code, data: data as Row[], params, meta: parseDataMeta(value.meta, data.length) };
}

/** True for the handshake message (its port travels in `event.ports`, not in the data). */
export function isConnectMessage(value: unknown): value is ConnectMessage {
  return isRecord(value) && value.type === "connect" && value.protocol === PROTOCOL_VERSION;
}

/** Reads a message from the parent (`render` or `params`); null for anything else. */
export function parseParentMessage(value: unknown): ParentMessage | null {
  if (isRecord(value) && value.type === "params") {
    const params = paramsOf(value.params);
    return params === null ? null : { type: "params", params };
  }
  return parseRenderMessage(value);
}
