import { useMemo, useState } from "react";
import { ChartColumn, Code, SlidersHorizontal } from "lucide-react";
import type { TurnStatus } from "../chat/chatState";
import { previewText } from "../job/format";
import { formatFetchedAt } from "../lib/time";
import { useAppStore } from "../store/appStore";
import { resultRowCount } from "../store/artifacts";
import type { ArtifactRecord } from "../store/types";
import { ArtifactActions } from "./ArtifactActions";
import { DownsampleNote } from "./DownsampleNote";
import type { CodeExtraction } from "./extractCode";
import type { Row } from "./protocol";
import { toRecords } from "./records";
import { SandboxFrame } from "./SandboxFrame";
import { usableSchema, viewParamValues } from "./viewParams";
import "./artifact.css";

type Tab = "chart" | "code";

// One shared array, so the frame is not sent new data when there is none.
const NO_ROWS: Row[] = [];

interface ArtifactViewProps {
  extraction: CodeExtraction;
  /** The artifact in the store, once the server announced it (or the turn finished). */
  record: ArtifactRecord | null;
  status: TurnStatus;
  active: boolean;
  /** Makes this the sidebar's artifact; `reveal` also unfolds a folded sidebar. */
  onActivate: (key: string, reveal: boolean) => void;
}

function placeholder(status: TurnStatus, complete: boolean): string {
  if (status === "streaming") return complete ? "Preparing the chart…" : "Writing the component…";
  return "The component was not finished, so there is nothing to render.";
}

/**
 * "12 rows", "1,000 rows (truncated)", or for a Spark job's preview "Preview of 1,000 of 12,345
 * rows"; a downsampled result counts its rows before downsampling (the note under the chart
 * says how many it shows).
 */
function rowsSummary(record: ArtifactRecord): string {
  const data = record.data;
  if (data === null) return "";
  const rows = resultRowCount(data);
  if (record.job !== null) return previewText(rows, record.job);
  return `${rows.toLocaleString()} rows${data.truncated ? " (truncated)" : ""}`;
}

function LiveChart({ record }: { record: ArtifactRecord }) {
  // A reopened answer has no rows until they are fetched; rendering it with none could fail.
  if (record.data === null && record.loading !== null) return <div className="artifact-placeholder">Loading the data…</div>;
  if (record.data === null && record.error !== null) return <div className="artifact-placeholder">The data could not be loaded: {record.error.message}</div>;
  return <LiveFrame record={record} />;
}

function LiveFrame({ record }: { record: ArtifactRecord }) {
  const rows = useMemo(() => (record.data ? toRecords(record.data.columns, record.data.rows) : NO_ROWS), [record.data]);
  const schema = useMemo(() => usableSchema(record.code), [record.code]);
  const params = useMemo(() => viewParamValues(schema, record.viewParams), [schema, record.viewParams]);
  const fixArtifact = useAppStore((state) => state.fixArtifact);
  const streaming = useAppStore((state) => state.turnAbort !== null);
  // Only an artifact the server knows can be fixed, and not while another turn streams.
  const onFix = record.artifactId !== null && !streaming ? (error: string) => fixArtifact(record.key, error) : undefined;
  return (
    <>
      <SandboxFrame code={record.code} data={rows} params={params} meta={record.data?.meta} onFix={onFix} />
      <DownsampleNote record={record} />
      {record.fetchedAt && <p className="artifact-fetched">Data fetched at {formatFetchedAt(record.fetchedAt)}</p>}
    </>
  );
}

/** The answer's component: a "Chart" tab (sandboxed render) and a "Code" tab (streams live). */
export function ArtifactView({ extraction, record, status, active, onActivate }: ArtifactViewProps) {
  const [chosen, setChosen] = useState<Tab | null>(null);
  // Until the user picks a tab, show the code while it streams and the chart once it can render.
  const tab: Tab = chosen ?? (record ? "chart" : "code");
  // The record's code is what renders; parameter changes and refreshes never touch it.
  const code = record?.code ?? extraction.code;
  const activate = () => {
    if (record && !active) onActivate(record.key, false);
  };

  return (
    <section
      className="artifact"
      aria-label="Generated component"
      data-active={active || undefined}
      data-loading={record?.loading ?? undefined}
      // Clicking into the chart focuses its frame; that focus bubbles here as focusin.
      onFocus={activate}
      onPointerDown={activate}
    >
      <div className="artifact-bar" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "chart"} onClick={() => setChosen("chart")}>
          <ChartColumn size={15} aria-hidden /> Chart
        </button>
        <button type="button" role="tab" aria-selected={tab === "code"} onClick={() => setChosen("code")}>
          <Code size={15} aria-hidden /> Code
        </button>
        <span className="artifact-meta">
          {record?.loading ? (
            <span className="artifact-updating" role="status">
              {record.loading === "refresh" ? "Refreshing data…" : "Updating data…"}
            </span>
          ) : (
            <>
              {!extraction.complete && status === "streaming" ? "streaming…" : (extraction.language ?? record?.language ?? "tsx")}
              {record?.data && (
                <>
                  {" · "}
                  <span data-testid="artifact-rows">{rowsSummary(record)}</span>
                </>
              )}
            </>
          )}
        </span>
        {record && (
          <button
            type="button"
            className="artifact-params-button"
            aria-pressed={active}
            data-testid="artifact-activate"
            onClick={() => onActivate(record.key, true)}
            title="Show this chart's parameters in the sidebar"
          >
            <SlidersHorizontal size={14} aria-hidden /> Parameters
          </button>
        )}
        {record && <ArtifactActions record={record} />}
      </div>
      <div className="artifact-panel" role="tabpanel" hidden={tab !== "chart"}>
        {record ? <LiveChart record={record} /> : <div className="artifact-placeholder">{placeholder(status, extraction.complete)}</div>}
      </div>
      <div className="artifact-panel" role="tabpanel" hidden={tab !== "code"}>
        <pre className="artifact-code">
          <code data-testid="artifact-code">{code}</code>
        </pre>
      </div>
    </section>
  );
}
