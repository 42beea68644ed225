import { useState } from "react";
import { Download } from "lucide-react";
import { fileNameFor, saveBlob } from "../lib/download";
import { buildDataRequest, fetchArtifactData } from "../query/api";
import { toCsv } from "../query/csv";
import { appStore } from "../store/appStore";
import type { ArtifactRecord } from "../store/types";
import { notify } from "../toast/toastStore";
import type { DataMeta } from "./protocol";
import { artifactTitle } from "./title";

/** "showing 2,000 of 100,000 points, downsampled (LTTB)", or for categories the top ones and "Other". */
export function downsampleText(shown: number, meta: DataMeta): string {
  const of = `showing ${shown.toLocaleString()} of ${meta.original_row_count.toLocaleString()}`;
  if (meta.downsample === "top_n") return `${of} rows: the top ${(shown - 1).toLocaleString()} categories, the rest summed as “Other”`;
  return `${of} points, downsampled (LTTB)`;
}

/**
 * Under a chart whose rows the server downsampled: how many it shows of how many, and a
 * download of every row as CSV (`?full=true`; a Spark job's files are in the artifact's actions).
 */
export function DownsampleNote({ record }: { record: ArtifactRecord }) {
  const [busy, setBusy] = useState(false);
  const data = record.data;
  if (data === null || !data.meta.downsampled) return null;
  const artifactId = record.artifactId;

  const download = async () => {
    if (artifactId === null) return;
    setBusy(true);
    const request = buildDataRequest(record.paramSpecs, record.queryParams, false);
    const answer = await fetchArtifactData(artifactId, request, new AbortController().signal, true);
    setBusy(false);
    if (!answer.ok) {
      notify("error", `Could not fetch every row: ${answer.error.message}`);
      return;
    }
    const filename = fileNameFor(artifactTitle(record, appStore.getState().messages), "csv");
    saveBlob(new Blob([toCsv(answer.result.columns, answer.result.rows)], { type: "text/csv;charset=utf-8" }), filename);
    notify("success", `Downloaded ${answer.result.row_count.toLocaleString()} rows as ${filename}.`);
  };

  return (
    <p className="artifact-downsampled" data-testid="artifact-downsampled">
      <span>{downsampleText(data.rows.length, data.meta)}</span>
      {record.job === null && artifactId !== null && (
        <button type="button" className="artifact-params-button" data-testid="download-full" disabled={busy} aria-busy={busy} onClick={() => void download()}>
          <Download size={14} aria-hidden /> {busy ? "Fetching…" : "All rows (CSV)"}
        </button>
      )}
    </p>
  );
}
