import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from "react";
import type { JsonObject } from "../lib/json";
import { clampHeight, parseSandboxMessage, type RenderMessage, type Row } from "./protocol";
import { validateComponent } from "./validation";

/** The sandbox page; set VITE_SANDBOX_URL at build time to serve it from a separate origin. */
export const SANDBOX_URL: string = import.meta.env.VITE_SANDBOX_URL ?? "/sandbox/index.html";

/** How long the sandbox may take to answer a render with `rendered` or `error`. */
export const RENDER_TIMEOUT_MS = 5000;

const INITIAL_HEIGHT = 400;

export type FrameState = "rendering" | "rendered" | "error";

type Status = { state: "rendering" } | { state: "rendered" } | { state: "error"; message: string };

interface SandboxFrameProps {
  code: string;
  data: Row[];
  params: JsonObject;
}

function Host({ state, children }: { state: FrameState; children: ReactNode }) {
  return (
    <div className="sandbox-host" data-testid="artifact" data-state={state}>
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
  const [status, setStatus] = useState<Status>({ state: "rendering" });
  const [height, setHeight] = useState(INITIAL_HEIGHT);

  // The frame's origin is opaque ("null"), so "*" is the only target origin that reaches it;
  // the frame is identified by its window object instead, and closed if it ever navigates.
  const post = useCallback(() => frame.current?.contentWindow?.postMessage(latest.current, "*"), []);

  useEffect(() => {
    latest.current = { type: "render", code, data, params };
    if (!ready.current) return;
    setStatus({ state: "rendering" });
    post();
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
    <Host state={status.state}>
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
          {status.state === "rendering" && <div className="sandbox-status">Rendering chart…</div>}
        </>
      )}
    </Host>
  );
}

/**
 * Validates `code`, then renders it in a sandboxed iframe with `{data, params}` as props.
 * Code that fails validation never reaches the frame. Retry recreates the frame.
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
