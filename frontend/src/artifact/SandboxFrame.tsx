import { useMemo, useState, type ReactNode } from "react";
import { configStore, useServerConfig } from "../config/configStore";
import type { JsonObject } from "../lib/json";
import { wholeData, type DataMeta, type Row } from "./protocol";
import { useSandbox, type RenderTiming } from "./useSandbox";
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

function Host({ state, timing = null, frameId, children }: { state: FrameState; timing?: RenderTiming | null; frameId?: string; children: ReactNode }) {
  return (
    <div
      className="sandbox-host"
      data-testid="artifact"
      data-state={state}
      data-render-ms={timing?.ms}
      data-render-seq={timing?.seq}
      data-frame={frameId}
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
  const sandbox = useSandbox({ code, data, params, meta, renderTimeoutMs });
  const { status } = sandbox;
  const failed = status.state === "error";
  // `data-frame` names the frame instance and whether it answered the handshake ("2:ready").
  const frameId = `${sandbox.frameId}:${sandbox.connected ? "ready" : "loading"}`;
  return (
    <Host state={status.state} timing={sandbox.timing} frameId={frameId}>
      {failed && (
        <FrameError
          message={status.message}
          onRetry={sandbox.retry}
          onFix={onFix && status.kind !== "navigation" ? () => onFix(status.message) : undefined}
        />
      )}
      <iframe
        key={sandbox.frameId}
        ref={sandbox.frameRef}
        className="sandbox-frame"
        data-testid="artifact-frame"
        title="Chart"
        sandbox="allow-scripts"
        src={sandboxUrl}
        referrerPolicy="no-referrer"
        onLoad={sandbox.onLoad}
        // A failed frame stays mounted but hidden: ready for Retry, and a compile error keeps the last good render.
        hidden={failed && status.kind !== "component"}
        style={{ height: sandbox.height }}
      />
      {status.state === "rendering" && status.overlay && <div className="sandbox-status">Rendering chart…</div>}
    </Host>
  );
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
