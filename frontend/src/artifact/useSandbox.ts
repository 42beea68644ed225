import { useCallback, useEffect, useRef, useState, type RefObject } from "react";
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
}

export interface Sandbox {
  status: SandboxStatus;
  height: number;
  timing: RenderTiming | null;
  /** Increments whenever the frame element is destroyed and recreated (key it with this). */
  frameId: number;
  /** True once the current frame answered the handshake. */
  connected: boolean;
  frameRef: RefObject<HTMLIFrameElement | null>;
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
export function useSandbox({ code, data, params, meta, renderTimeoutMs }: SandboxOptions): Sandbox {
  const frameRef = useRef<HTMLIFrameElement>(null);
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
    port.current?.close();
    port.current = null;
    loads.current = 0;
    posted.current = null;
    wanted.current = false;
    setConnected(false);
    setFrameId((id) => id + 1);
    setStatus({ state: "error", kind, message });
  }, []);

  const onPortMessage = useCallback(
    (event: MessageEvent) => {
      const message = parseSandboxMessage(event.data);
      if (message === null) return;
      switch (message.type) {
        case "ready":
          setConnected(true);
          post();
          return;
        case "rendered":
          setStatus({ state: "rendered" });
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
    [post],
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

  return { status, height, timing, frameId, connected, frameRef, onLoad, retry };
}
