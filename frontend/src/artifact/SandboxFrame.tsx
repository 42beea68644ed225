import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { JsonObject } from "../lib/json";
import { clampHeight, parseSandboxMessage, type ParamsMessage, type RenderMessage, type Row } from "./protocol";
import { validateComponent } from "./validation";

/** The sandbox page; set VITE_SANDBOX_URL at build time to serve it from a separate origin. */
export const SANDBOX_URL: string = import.meta.env.VITE_SANDBOX_URL ?? "/sandbox/index.html";

/** How long the sandbox may take to answer a render with `rendered` or `error`. */
export const RENDER_TIMEOUT_MS = 5000;

const INITIAL_HEIGHT = 400;

export type FrameState = "rendering" | "rendered" | "error";

// `overlay`: a new component or new data shows "Rendering chart…"; a params-only re-render
// keeps the chart visible (it takes milliseconds, and a colour picker sends many).
type Status = { state: "rendering"; overlay: boolean } | { state: "rendered" } | { state: "error"; message: string };

interface SandboxFrameProps {
  code: string;
  data: Row[];
  params: JsonObject;
}

/** The latest completed render: its duration in the sandbox, and a count so each one is observable. */
interface RenderTiming {
  ms: number | null;
  seq: number;
}

function Host({ state, timing = null, children }: { state: FrameState; timing?: RenderTiming | null; children: ReactNode }) {
  return (
    <div
      className="sandbox-host"
      data-testid="artifact"
      data-state={state}
      data-render-ms={timing?.ms}
      data-render-seq={timing?.seq}
    >
      {children}
    </div>
  );
}

function FrameError({ message, onRetry }: { message: string; onRetry: () => void }) {
  return (
    <div className="artifact-error" role="alert">
      <p data-testid="artifact-error">{message}</p>
      <button type="button" className="button-secondary" data-testid="artifact-retry" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

function LiveFrame({ code, data, params, onRetry }: SandboxFrameProps & { onRetry: () => void }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const ready = useRef(false);
  const loads = useRef(0);
  const latest = useRef<RenderMessage>({ type: "render", code, data, params });
  // What the frame already has: when only the params differ, just those are sent.
  const posted = useRef<{ code: string; data: Row[] } | null>(null);
  const [status, setStatus] = useState<Status>({ state: "rendering", overlay: true });
  const [height, setHeight] = useState(INITIAL_HEIGHT);
  const [timing, setTiming] = useState<RenderTiming | null>(null);

  // The frame's origin is opaque ("null"), so "*" is the only target origin that reaches it;
  // the frame is identified by its window object instead, and closed if it ever navigates.
  const post = useCallback(() => {
    const target = frame.current?.contentWindow;
    if (!target) return;
    const message = latest.current;
    const last = posted.current;
    if (last !== null && last.code === message.code && last.data === message.data) {
      const update: ParamsMessage = { type: "params", params: message.params };
      target.postMessage(update, "*");
      setStatus({ state: "rendering", overlay: false });
      return;
    }
    target.postMessage(message, "*");
    posted.current = { code: message.code, data: message.data };
    setStatus({ state: "rendering", overlay: true });
  }, []);

  useEffect(() => {
    latest.current = { type: "render", code, data, params };
    if (ready.current) post();
  }, [code, data, params, post]);

  // Layout effect: the listener must exist before the frame's first "ready" can arrive.
  useLayoutEffect(() => {
    const onMessage = (event: MessageEvent) => {
      const source = frame.current?.contentWindow;
      if (!source || event.source !== source) return;
      const message = parseSandboxMessage(event.data);
      if (message === null) return;
      switch (message.type) {
        case "ready":
          if (ready.current) {
            setStatus({ state: "error", message: "The sandbox restarted unexpectedly, so it was closed." });
            return;
          }
          ready.current = true;
          post();
          return;
        case "rendered":
          setStatus({ state: "rendered" });
          setTiming((previous) => ({ ms: message.ms, seq: (previous?.seq ?? 0) + 1 }));
          return;
        case "error":
          setStatus({
            state: "error",
            message: `${message.phase === "compile" ? "Compile" : "Render"} error: ${message.message}`,
          });
          return;
        case "height":
          setHeight(clampHeight(message.height));
          return;
      }
    };
    window.addEventListener("message", onMessage);
    return () => window.removeEventListener("message", onMessage);
  }, [post]);

  useEffect(() => {
    if (status.state !== "rendering") return;
    // Removing the frame on timeout also ends a component stuck in an endless loop.
    const timer = window.setTimeout(
      () => setStatus({ state: "error", message: `render timed out (no answer from the sandbox within ${RENDER_TIMEOUT_MS / 1000} s)` }),
      RENDER_TIMEOUT_MS,
    );
    return () => window.clearTimeout(timer);
  }, [status]);

  const onLoad = () => {
    loads.current += 1;
    if (loads.current > 1) setStatus({ state: "error", message: "The sandbox tried to navigate away, so it was closed." });
  };

  return (
    <Host state={status.state} timing={timing}>
      {status.state === "error" ? (
        <FrameError message={status.message} onRetry={onRetry} />
      ) : (
        <>
          <iframe
            ref={frame}
            className="sandbox-frame"
            data-testid="artifact-frame"
            title="Chart"
            sandbox="allow-scripts"
            src={SANDBOX_URL}
            referrerPolicy="no-referrer"
            onLoad={onLoad}
            style={{ height }}
          />
          {status.state === "rendering" && status.overlay && <div className="sandbox-status">Rendering chart…</div>}
        </>
      )}
    </Host>
  );
}

/**
 * Validates `code`, then renders it in a sandboxed iframe with `{data, params}` as props.
 * Code that fails validation never reaches the frame. Retry recreates the frame. New data or
 * params are posted to the same frame (it never reloads for them); keep `data` and `params`
 * referentially stable between renders, since a new reference means a new message.
 */
export function SandboxFrame({ code, data, params }: SandboxFrameProps) {
  const [attempt, setAttempt] = useState(0);
  const validation = useMemo(() => validateComponent(code), [code]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);

  if (!validation.ok) {
    return (
      <Host state="error">
        <FrameError message={`The component was refused: ${validation.problems.join("; ")}`} onRetry={retry} />
      </Host>
    );
  }
  return <LiveFrame key={`${attempt}:${code}`} code={code} data={data} params={params} onRetry={retry} />;
}
