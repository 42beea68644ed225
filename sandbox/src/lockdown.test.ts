import { describe, expect, it } from "vitest";
import { BLOCKED_GLOBALS, removeGlobals } from "./lockdown";

describe("removeGlobals", () => {
  it("deletes configurable globals", () => {
    const target: Record<string, unknown> = { RTCPeerConnection: class {}, fetch: () => null, keep: 1 };
    expect(removeGlobals(target, ["RTCPeerConnection", "fetch", "absent"])).toEqual([]);
    expect(Object.keys(target)).toEqual(["keep"]);
  });

  it("pins a non-deletable but redefinable name to undefined", () => {
    const proto = { RTCDataChannel: class {} };
    const target: object = Object.create(proto);
    expect(removeGlobals(target, ["RTCDataChannel"])).toEqual([]);
    expect(Reflect.get(target, "RTCDataChannel")).toBeUndefined();
  });

  it("reports a name it cannot remove", () => {
    const target = {};
    Object.defineProperty(target, "RTCPeerConnection", { value: class {}, configurable: false, writable: false });
    expect(removeGlobals(target, ["RTCPeerConnection"])).toEqual(["RTCPeerConnection"]);
  });

  it("blocks WebRTC, which the sandbox CSP does not cover", () => {
    expect(BLOCKED_GLOBALS).toEqual(
      expect.arrayContaining(["RTCPeerConnection", "webkitRTCPeerConnection", "RTCDataChannel"]),
    );
  });
});
