import { describe, expect, it } from "vitest";
import {
  clampHeight,
  isConnectMessage,
  MAX_ERROR_LENGTH,
  parseParentMessage,
  parseRenderMessage,
  parseSandboxMessage,
  PROTOCOL_VERSION,
} from "./protocol";

describe("parseSandboxMessage", () => {
  it("reads each known message type", () => {
    expect(parseSandboxMessage({ type: "ready" })).toEqual({ type: "ready" });
    expect(parseSandboxMessage({ type: "rendered", ms: 12.5 })).toEqual({ type: "rendered", ms: 12.5 });
    expect(parseSandboxMessage({ type: "height", height: 384 })).toEqual({ type: "height", height: 384 });
    expect(parseSandboxMessage({ type: "error", phase: "render", message: "boom" })).toEqual({
      type: "error",
      phase: "render",
      message: "boom",
    });
  });

  it("reads a missing or invalid render time as null", () => {
    for (const ms of [undefined, "5", -1, Number.NaN]) {
      expect(parseSandboxMessage({ type: "rendered", ms })).toEqual({ type: "rendered", ms: null });
    }
  });

  it("copies known fields only", () => {
    expect(parseSandboxMessage({ type: "ready", state: "rendered", __proto__: { x: 1 } })).toEqual({ type: "ready" });
  });

  it("rejects unknown types and malformed fields", () => {
    for (const value of [
      null,
      "ready",
      { type: "navigate", url: "x" },
      { type: "height", height: "400" },
      { type: "height", height: Number.NaN },
      { type: "error", phase: "other", message: "x" },
      { type: "error", phase: "compile" },
    ]) {
      expect(parseSandboxMessage(value)).toBeNull();
    }
  });

  it("truncates long error messages", () => {
    const message = parseSandboxMessage({ type: "error", phase: "compile", message: "x".repeat(10_000) });
    expect(message?.type === "error" && message.message.length).toBe(MAX_ERROR_LENGTH);
  });
});

describe("clampHeight", () => {
  it("keeps heights within [120, 2000]", () => {
    expect(clampHeight(10)).toBe(120);
    expect(clampHeight(384.2)).toBe(385);
    expect(clampHeight(1e9)).toBe(2000);
    expect(clampHeight(Number.POSITIVE_INFINITY)).toBe(120);
  });
});

describe("parseRenderMessage", () => {
  it("accepts code with row objects and params", () => {
    const message = { type: "render", code: "x", data: [{ a: 1, b: null }], params: {} };
    expect(parseRenderMessage(message)).toEqual({ ...message, meta: { downsampled: false, original_row_count: 1, downsample: null } });
  });

  it("carries the data's meta, and reads a malformed or missing one as whole data", () => {
    const meta = { downsampled: true, original_row_count: 100_000, downsample: "lttb" };
    const message = { type: "render", code: "x", data: [{ a: 1 }, { a: 2 }], params: {}, meta: { ...meta, extra: "dropped" } };
    expect(parseRenderMessage(message)?.meta).toEqual(meta);
    const whole = { downsampled: false, original_row_count: 2, downsample: null };
    expect(parseRenderMessage({ ...message, meta: undefined })?.meta).toEqual(whole);
    expect(parseRenderMessage({ ...message, meta: "lttb" })?.meta).toEqual(whole);
    expect(parseRenderMessage({ ...message, meta: { ...meta, downsample: "magic" } })?.meta).toMatchObject({ downsampled: false, downsample: null });
    expect(parseRenderMessage({ ...message, meta: { ...meta, downsampled: "yes" } })?.meta).toMatchObject({ downsampled: false, downsample: null });
    expect(parseRenderMessage({ ...message, meta: { ...meta, original_row_count: -1 } })?.meta.original_row_count).toBe(2);
  });
});

describe("parseParentMessage", () => {
  it("reads a params-only re-render and a full render", () => {
    expect(parseParentMessage({ type: "params", params: { color: "#fff" }, code: "x" })).toEqual({ type: "params", params: { color: "#fff" } });
    const render = { type: "render", code: "x", data: [], params: {}, meta: { downsampled: false, original_row_count: 0, downsample: null } };
    expect(parseParentMessage(render)).toEqual(render);
  });

  it("rejects params that are not a plain JSON object", () => {
    expect(parseParentMessage({ type: "params", params: [1] })).toBeNull();
    expect(parseParentMessage({ type: "params", params: { d: new Date(0) } })).toBeNull();
    expect(parseParentMessage({ type: "navigate" })).toBeNull();
  });
});

describe("isConnectMessage", () => {
  it("accepts the handshake of this protocol version only", () => {
    expect(isConnectMessage({ type: "connect", protocol: PROTOCOL_VERSION })).toBe(true);
    expect(isConnectMessage({ type: "connect", protocol: PROTOCOL_VERSION - 1 })).toBe(false);
    expect(isConnectMessage({ type: "connect" })).toBe(false);
    expect(isConnectMessage({ type: "render", protocol: PROTOCOL_VERSION })).toBe(false);
    expect(isConnectMessage("connect")).toBe(false);
  });
});

describe("parseSandboxMessage against prototype pollution", () => {
  it("never returns the untrusted object itself", () => {
    const hostile = JSON.parse('{"type": "height", "height": 300, "__proto__": {"polluted": true}}') as unknown;
    const message = parseSandboxMessage(hostile);
    expect(message).toEqual({ type: "height", height: 300 });
    expect(message).not.toBe(hostile);
    expect(Object.getPrototypeOf(message)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
