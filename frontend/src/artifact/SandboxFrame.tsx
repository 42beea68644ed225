import { useLayoutEffect, useMemo, useState, type ReactNode } from "react";
import { configStore, useServerConfig } from "../config/configStore";
import type { JsonObject } from "../lib/json";
import { wholeData, type DataMeta, type Row } from "./protocol";
import { useSandbox, type FrameSource, type RenderTiming } from "./useSandbox";
import { validateComponent } from "./validation";

export type FrameState = "connecting" | "rendering" | "rendered" | "error";

interface SandboxFrameProps {
  code: string;
  data: Row[];
  params: JsonObject;
  /** Whether `data` is the whole result or the server's reduction (the `meta` prop); whole when omitted. */
  meta?: DataMeta;
  /** Asks the model to fix the component, given the error it raised; no "Fix it" button without it. */
  onFix?: (error: string) => void;
}

interface HostProps {
  state: FrameState;
  timing?: RenderTiming | null;
  frameId?: string;
  /** The warm frame's state when it was adopted ("ready": it was warm before the artifact came). */
  warm?: string;
  firstRenderMs?: number | null;
  children: ReactNode;
}

function Host({ state, timing = null, frameId, warm, firstRenderMs, children }: HostProps) {
  return (
    <div
      className="sandbox-host"
      data-testid="artifact"
      data-state={state}
      data-render-ms={timing?.ms}
      data-render-seq={timing?.seq}
      data-frame={frameId}
      data-warm={warm}
      data-first-render-ms={firstRenderMs ?? undefined}
    >
      {children}
    </div>
  );
}

interface FrameErrorProps {
  message: string;
  onRetry: () => void;
  onFix?: () => void;
}

function FrameError({ message, onRetry, onFix }: FrameErrorProps) {
  return (
    <div className="artifact-error" role="alert">
      <p data-testid="artifact-error">{message}</p>
      {onFix && (
        <button type="button" className="button-secondary" data-testid="artifact-fix" onClick={onFix}>
          Fix it
        </button>
      )}
      <button type="button" className="button-secondary" data-testid="artifact-retry" onClick={onRetry}>
        Retry
      </button>
    </div>
  );
}

interface LiveFrameProps extends SandboxFrameProps {
  sandboxUrl: string;
  renderTimeoutMs: number;
  meta: DataMeta;
}

function LiveFrame({ code, data, params, meta, onFix, sandboxUrl, renderTimeoutMs }: LiveFrameProps) {
  const sandbox = useSandbox({ code, data, params, meta, renderTimeoutMs, sandboxUrl });
  const { status, source, frameRef, height } = sandbox;
  const failed = status.state === "error";
  // A failed frame stays mounted but hidden: ready for Retry, and a compile error keeps the last good render.
  const hidden = failed && status.kind !== "component";
  // The first frame is the adopted warm one until a failure recreates it (always cold).
  const adopted = sandbox.frameId === 0 && source.kind !== "cold";
  useLayoutEffect(() => {
    const frame = frameRef.current;
    if (!adopted || frame === null) return;
    frame.style.height = `${height}px`;
    frame.hidden = hidden;
  }, [adopted, frameRef, height, hidden, source]);
  // `data-frame` names the frame instance and whether it answered the handshake ("2:ready").
  const frameId = `${sandbox.frameId}:${sandbox.connected ? "ready" : "loading"}`;
  return (
    <Host state={status.state} timing={sandbox.timing} frameId={frameId} warm={warmLabel(source)} firstRenderMs={sandbox.firstRenderMs}>
      {failed && (
        <FrameError
          message={status.message}
          onRetry={sandbox.retry}
          onFix={onFix && status.kind !== "navigation" ? () => onFix(status.message) : undefined}
        />
      )}
      {adopted ? (
        // The adopted frame is moved in here by useSandbox (never re-created by React).
        <div ref={sandbox.slotRef} className="sandbox-slot" />
      ) : (
        <iframe
          key={sandbox.frameId}
          ref={frameRef}
          className="sandbox-frame"
          data-testid="artifact-frame"
          title="Chart"
          sandbox="allow-scripts"
          src={sandboxUrl}
          referrerPolicy="no-referrer"
          onLoad={sandbox.onLoad}
          hidden={hidden}
          style={{ height }}
        />
      )}
      {status.state === "rendering" && status.overlay && <div className="sandbox-status">Rendering chart…</div>}
    </Host>
  );
}

function warmLabel(source: FrameSource): string | undefined {
  return source.kind === "warm" ? source.state : undefined;
}

/**
 * Validates `code`, then renders it in a sandboxed iframe on the sandbox origin with
 * `{data, params, meta}` as props. Code that fails validation never reaches the frame. New data or
 * params go to the same frame (it never reloads for them); keep `data` and `params`
 * referentially stable between renders, since a new reference means a new message.
 */
export function SandboxFrame({ code, data, params, meta, onFix }: SandboxFrameProps) {
  const [attempt, setAttempt] = useState(0);
  const dataMeta = useMemo(() => meta ?? wholeData(data.length), [meta, data.length]);
  const validation = useMemo(() => validateComponent(code), [code]);
  const config = useServerConfig();

  if (!validation.ok) {
    return (
      <Host state="error">
        <FrameError message={`The component was refused: ${validation.problems.join("; ")}`} onRetry={() => setAttempt(attempt + 1)} />
      </Host>
    );
  }
  if (config.status === "loading") {
    return (
      <Host state="connecting">
        <div className="artifact-placeholder">Connecting to the server…</div>
      </Host>
    );
  }
  if (config.status === "error") {
    return (
      <Host state="error">
        <FrameError message={`The chart cannot be shown: ${config.error.message}`} onRetry={() => configStore.getState().load()} />
      </Host>
    );
  }
  return (
    <LiveFrame
      key={`${attempt}:${code}`}
      code={code}
      data={data}
      params={params}
      meta={dataMeta}
      onFix={onFix}
      sandboxUrl={config.config.sandboxUrl}
      renderTimeoutMs={config.config.renderTimeoutMs}
    />
  );
}
