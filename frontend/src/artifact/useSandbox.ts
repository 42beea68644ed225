import { useCallback, useEffect, useLayoutEffect, useRef, useState, type RefObject } from "react";
import type { JsonObject } from "../lib/json";
import {
  clampHeight,
  parseSandboxMessage,
  PROTOCOL_VERSION,
  type ConnectMessage,
  type DataMeta,
  type ParamsMessage,
  type RenderMessage,
  type Row,
} from "./protocol";
import { warmFrames, type WarmState } from "./warmFrame";

/** Where a failure came from: the component itself, or the frame (watchdog, navigation). */
export type FailureKind = "component" | "timeout" | "navigation";

// `overlay`: a new component or new data shows "Rendering chart…"; a params-only re-render
// keeps the chart visible (it takes milliseconds, and a colour picker sends many).
export type SandboxStatus =
  | { state: "rendering"; overlay: boolean }
  | { state: "rendered" }
  | { state: "error"; kind: FailureKind; message: string };

/** The latest completed render: its duration in the sandbox, and a count so each one is observable. */
export interface RenderTiming {
  ms: number | null;
  seq: number;
}

export interface SandboxOptions {
  code: string;
  data: Row[];
  params: JsonObject;
  /** Whether `data` is the whole result; it changes only with `data`. */
  meta: DataMeta;
  renderTimeoutMs: number;
  /** The sandbox page; a warm frame for it is adopted when one is ready (see warmFrame.ts). */
  sandboxUrl: string;
}

/**
 * Where the first frame comes from: still deciding (nothing rendered yet), a warm frame
 * adopted in the given state, or a cold one created here.
 */
export type FrameSource = { kind: "pending" } | { kind: "warm"; state: WarmState } | { kind: "cold" };

export interface Sandbox {
  status: SandboxStatus;
  height: number;
  timing: RenderTiming | null;
  /** Increments whenever the frame element is destroyed and recreated (key it with this). */
  frameId: number;
  /** True once the current frame answered the handshake. */
  connected: boolean;
  frameRef: RefObject<HTMLIFrameElement | null>;
  /** Holds the adopted warm frame while `source` is warm and the frame was not recreated. */
  slotRef: RefObject<HTMLDivElement | null>;
  source: FrameSource;
  /** ms from this hook's mount to the first `rendered` (start-up included), for the bench and tests. */
  firstRenderMs: number | null;
  onLoad: () => void;
  /** Renders the current component again, in a fresh frame unless the current one is unused. */
  retry: () => void;
}

const INITIAL_HEIGHT = 400;

/**
 * Drives one sandbox frame: the MessageChannel handshake on its first `load`, render and params
 * messages over the port, the watchdog, and recreating the frame when it hangs or navigates.
 * Messages from the frame are read with `parseSandboxMessage` (fresh objects of known fields).
 */
export function useSandbox({ code, data, params, meta, renderTimeoutMs, sandboxUrl }: SandboxOptions): Sandbox {
  const frameRef = useRef<HTMLIFrameElement>(null);
  const slotRef = useRef<HTMLDivElement>(null);
  const mountedAt = useRef(performance.now());
  const firstRender = useRef<number | null>(null);
  const port = useRef<MessagePort | null>(null);
  const loads = useRef(0);
  const latest = useRef<RenderMessage>({ type: "render", code, data, params, meta });
  // What the current frame already has: when only the params differ, just those are sent.
  const posted = useRef<{ code: string; data: Row[] } | null>(null);
  // False while the frame shows a failure: a fresh frame then waits for Retry instead of rendering.
  const wanted = useRef(true);
  const [frameId, setFrameId] = useState(0);
  const [connected, setConnected] = useState(false);
  const [status, setStatus] = useState<SandboxStatus>({ state: "rendering", overlay: true });
  const [height, setHeight] = useState(INITIAL_HEIGHT);
  const [timing, setTiming] = useState<RenderTiming | null>(null);
  const [source, setSource] = useState<FrameSource>({ kind: "pending" });
  const [firstRenderMs, setFirstRenderMs] = useState<number | null>(null);

  const post = useCallback(() => {
    const channel = port.current;
    if (channel === null || !wanted.current) return;
    const message = latest.current;
    const last = posted.current;
    if (last !== null && last.code === message.code && last.data === message.data) {
      const update: ParamsMessage = { type: "params", params: message.params };
      channel.postMessage(update);
      setStatus({ state: "rendering", overlay: false });
      return;
    }
    channel.postMessage(message);
    posted.current = { code: message.code, data: message.data };
    setStatus({ state: "rendering", overlay: true });
  }, []);

  // Destroys the frame (ending whatever runs in it) and mounts a fresh, idle one.
  const recreate = useCallback((kind: FailureKind, message: string) => {
    // A hung frame's process ends only once no frame of the sandbox's site is left in it.
    if (kind !== "component") warmFrames.discard();
    port.current?.close();
    port.current = null;
    loads.current = 0;
    posted.current = null;
    wanted.current = false;
    setConnected(false);
    setFrameId((id) => id + 1);
    setStatus({ state: "error", kind, message });
  }, []);

  const onReady = useCallback(() => {
    setConnected(true);
    post();
  }, [post]);

  const onPortMessage = useCallback(
    (event: MessageEvent) => {
      const message = parseSandboxMessage(event.data);
      if (message === null) return;
      switch (message.type) {
        case "ready":
          onReady();
          return;
        case "rendered":
          setStatus({ state: "rendered" });
          if (firstRender.current === null) {
            firstRender.current = Math.round(performance.now() - mountedAt.current);
            setFirstRenderMs(firstRender.current);
            // The sandbox's process is healthy: warm the next artifact's frame.
            warmFrames.prewarmLater(sandboxUrl);
          }
          setTiming((previous) => ({ ms: message.ms, seq: (previous?.seq ?? 0) + 1 }));
          return;
        case "error":
          setStatus({
            state: "error",
            kind: "component",
            message: `${message.phase === "compile" ? "Compile" : "Render"} error: ${message.message}`,
          });
          return;
        case "height":
          setHeight(clampHeight(message.height));
          return;
      }
    },
    [onReady, sandboxUrl],
  );

  const onLoad = useCallback(() => {
    loads.current += 1;
    const target = frameRef.current?.contentWindow;
    if (loads.current > 1 || !target) {
      recreate("navigation", "The sandbox tried to navigate away, so it was closed and recreated.");
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = onPortMessage;
    port.current = channel.port1;
    // The frame's origin is opaque ("null"), so "*" is the only target that reaches it; the
    // port rides along and is the only way the two sides talk from here on.
    const connect: ConnectMessage = { type: "connect", protocol: PROTOCOL_VERSION };
    target.postMessage(connect, "*", [channel.port2]);
  }, [onPortMessage, recreate]);

  // Before the first paint: adopt the warm frame (moved into the slot without reloading), or
  // fall back to a cold frame. Only at mount: a recreated frame is always a fresh cold one.
  useLayoutEffect(() => {
    const slot = slotRef.current;
    const claim = slot === null ? null : warmFrames.claim(sandboxUrl);
    if (claim === null || slot === null) {
      setSource({ kind: "cold" });
      return;
    }
    const { frame } = claim;
    frame.dataset.testid = "artifact-frame";
    frame.removeAttribute("tabindex");
    slot.moveBefore(frame, null);
    frameRef.current = frame;
    frame.addEventListener("load", onLoad);
    if (claim.port !== null) {
      // It loaded and got `connect` from the pool: that was its first load, and the port is ours.
      loads.current = 1;
      port.current = claim.port;
      claim.port.onmessage = onPortMessage;
    }
    if (claim.state === "ready") onReady();
    setSource({ kind: "warm", state: claim.state });
    return () => {
      frame.removeEventListener("load", onLoad);
      frame.remove();
    };
    // Once per mount: the callbacks are stable and the URL does not change under a mounted frame.
  }, []);

  useEffect(() => {
    latest.current = { type: "render", code, data, params, meta };
    post();
  }, [code, data, params, meta, post]);

  useEffect(() => () => port.current?.close(), []);

  useEffect(() => {
    if (status.state !== "rendering") return;
    const timer = window.setTimeout(
      () => recreate("timeout", `render timed out (no answer from the sandbox within ${renderTimeoutMs / 1000} s)`),
      renderTimeoutMs,
    );
    return () => window.clearTimeout(timer);
  }, [status, renderTimeoutMs, recreate]);

  const retry = useCallback(() => {
    // A frame that already ran the component is replaced; a fresh idle one is used as it is.
    if (posted.current !== null) recreate("component", "");
    wanted.current = true;
    setStatus({ state: "rendering", overlay: true });
    post();
  }, [post, recreate]);

  return { status, height, timing, frameId, connected, frameRef, slotRef, source, firstRenderMs, onLoad, retry };
}
