import { ChevronRight, Database } from "lucide-react";
import type { ToolCall } from "./chatState";
import { sqlOf } from "./events";

const TOOL_LABELS: Record<string, string> = { run_sql: "SQL", submit_spark: "Spark SQL" };

function formatMs(ms: number | null): string | null {
  if (ms === null) return null;
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

function summary(call: ToolCall): string {
  const result = call.result;
  if (result === null) return "running…";
  if (!result.ok) return "failed";
  // A Spark job still running when the tool returned: its card below follows it.
  if (call.tool === "submit_spark" && result.row_count === null) return "sent to Spark";
  const parts = [
    result.row_count === null ? null : `${result.row_count.toLocaleString()} ${result.row_count === 1 ? "row" : "rows"}`,
    result.truncated ? "truncated" : null,
    formatMs(result.elapsed_ms),
  ];
  return parts.filter((part) => part !== null).join(" · ");
}

/** One tool call as a collapsible block: "SQL" (or "Spark SQL") with the query, row count and time. */
export function ToolCallView({ call }: { call: ToolCall }) {
  const sql = sqlOf(call.args);
  const failed = call.result !== null && !call.result.ok;
  const label = TOOL_LABELS[call.tool] ?? call.tool;
  return (
    <details className={`tool-call${failed ? " tool-call-failed" : ""}`} data-testid="tool-call">
      <summary>
        <ChevronRight className="tool-call-chevron" size={14} aria-hidden />
        <Database size={14} aria-hidden />
        <span className="tool-call-label">{label}</span>
        <span className="tool-call-summary">{summary(call)}</span>
      </summary>
      <pre className="tool-call-body">
        <code>{sql ?? JSON.stringify(call.args, null, 2)}</code>
      </pre>
      {failed && call.result?.error && <p className="tool-call-error">{call.result.error}</p>}
    </details>
  );
}
