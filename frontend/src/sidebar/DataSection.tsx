import { RefreshCw } from "lucide-react";
import { previewText } from "../job/format";
import { formatFetchedAt } from "../lib/time";
import { resultRowCount } from "../store/artifacts";
import type { ArtifactRecord } from "../store/types";
import { useAppStore } from "../store/appStore";

/** Where the rows came from and when, and a button that re-runs the SQL past the cache. */
export function DataSection({ record }: { record: ArtifactRecord }) {
  const refreshData = useAppStore((state) => state.refreshData);
  const refreshing = record.loading === "refresh";
  const live = record.artifactId !== null && record.queryId !== null;

  return (
    <section className="sidebar-section" aria-labelledby="sidebar-data">
      <div className="sidebar-section-head">
        <h2 id="sidebar-data">Data</h2>
        {record.cache?.hit && (
          <span className="badge" data-testid="cache-hit" title="The server answered from its result cache">
            cached
          </span>
        )}
      </div>
      <button
        type="button"
        className="button-secondary sidebar-refresh"
        data-testid="refresh-data"
        disabled={refreshing || !live}
        onClick={() => refreshData(record.key)}
      >
        <RefreshCw size={14} aria-hidden className={refreshing ? "spin" : undefined} />
        {refreshing ? "Refreshing…" : "Refresh data"}
      </button>
      {!live && <p className="sidebar-note">This chart has no server query to re-run.</p>}
      {record.error && (
        <p className="inline-error" role="alert" data-testid="data-error" data-code={record.error.code}>
          {record.error.message}
        </p>
      )}
      {record.fetchedAt && (
        <p className="sidebar-fetched" data-testid="fetched-at">
          Data fetched at <time dateTime={record.fetchedAt}>{formatFetchedAt(record.fetchedAt)}</time>
        </p>
      )}
      <dl className="sidebar-facts">
        <dt>Version</dt>
        <dd data-testid="data-version">{record.dataVersion ?? "—"}</dd>
        <dt>Rows</dt>
        <dd data-testid="row-count">
          {record.data === null
            ? "—"
            : record.job !== null
              ? previewText(resultRowCount(record.data), record.job)
              : `${resultRowCount(record.data).toLocaleString()}${record.data.truncated ? " (truncated)" : ""}${
                  record.data.meta.downsampled ? ` (${record.data.rows.length.toLocaleString()} charted)` : ""
                }`}
        </dd>
      </dl>
    </section>
  );
}
