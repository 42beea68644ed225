import { useMemo, useState } from "react";
import { ChartColumn, Code } from "lucide-react";
import type { ArtifactEvent, DataEvent } from "../chat/events";
import type { TurnStatus } from "../chat/chatState";
import type { JsonObject } from "../lib/json";
import type { CodeExtraction } from "./extractCode";
import { artifactRows } from "./records";
import { SandboxFrame } from "./SandboxFrame";
import "./artifact.css";

type Tab = "chart" | "code";

// One shared object, so the frame does not re-render when nothing changed.
const NO_PARAMS: JsonObject = {};

interface ArtifactViewProps {
  extraction: CodeExtraction;
  artifact: ArtifactEvent | null;
  data: DataEvent[];
  status: TurnStatus;
}

interface Renderable {
  code: string;
  queryId: string | null;
}

/** What to render: the server's artifact event, or (if it never came) the finished block itself. */
function renderableOf(props: ArtifactViewProps): Renderable | null {
  if (props.artifact) return { code: props.artifact.code, queryId: props.artifact.query_id };
  if (props.extraction.complete && props.status === "done") {
    return { code: props.extraction.code, queryId: props.data.at(-1)?.query_id ?? null };
  }
  return null;
}

function placeholder(status: TurnStatus, complete: boolean): string {
  if (status === "streaming") return complete ? "Preparing the chart…" : "Writing the component…";
  return "The component was not finished, so there is nothing to render.";
}

/** The answer's component: a "Chart" tab (sandboxed render) and a "Code" tab (streams live). */
export function ArtifactView(props: ArtifactViewProps) {
  const { extraction, artifact, data, status } = props;
  const [chosen, setChosen] = useState<Tab | null>(null);
  const renderable = renderableOf(props);
  const queryId = renderable?.queryId ?? null;
  const rows = useMemo(() => artifactRows(data, queryId), [data, queryId]);
  const source = data.find((event) => event.query_id === queryId);
  // Until the user picks a tab, show the code while it streams and the chart once it can render.
  const tab: Tab = chosen ?? (renderable ? "chart" : "code");
  const code = artifact?.code ?? extraction.code;

  return (
    <section className="artifact" aria-label="Generated component">
      <div className="artifact-bar" role="tablist">
        <button type="button" role="tab" aria-selected={tab === "chart"} onClick={() => setChosen("chart")}>
          <ChartColumn size={15} aria-hidden /> Chart
        </button>
        <button type="button" role="tab" aria-selected={tab === "code"} onClick={() => setChosen("code")}>
          <Code size={15} aria-hidden /> Code
        </button>
        <span className="artifact-meta">
          {!extraction.complete && status === "streaming" ? "streaming…" : (extraction.language ?? "tsx")}
          {source && ` · ${source.row_count.toLocaleString()} rows${source.truncated ? " (truncated)" : ""}`}
        </span>
      </div>
      <div className="artifact-panel" role="tabpanel" hidden={tab !== "chart"}>
        {renderable ? (
          <SandboxFrame code={renderable.code} data={rows} params={NO_PARAMS} />
        ) : (
          <div className="artifact-placeholder">{placeholder(status, extraction.complete)}</div>
        )}
      </div>
      <div className="artifact-panel" role="tabpanel" hidden={tab !== "code"}>
        <pre className="artifact-code">
          <code data-testid="artifact-code">{code}</code>
        </pre>
      </div>
    </section>
  );
}
