import type { DatasetKind } from "./parse";

const LABELS: Record<DatasetKind, string> = { bundled: "bundled", upload: "upload", postgres: "PostgreSQL" };

/** Where a dataset comes from: shipped with Plotwise, uploaded, or a PostgreSQL source. */
export function KindBadge({ kind }: { kind: DatasetKind }) {
  return (
    <span className="badge dataset-kind" data-kind={kind} data-testid="dataset-kind">
      {LABELS[kind]}
    </span>
  );
}
