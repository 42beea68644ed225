import { useState } from "react";
import { BookmarkPlus, Download } from "lucide-react";
import { JobDownloads } from "../job/JobDownloads";
import { fileNameFor, saveBlob } from "../lib/download";
import { appStore } from "../store/appStore";
import type { ArtifactRecord } from "../store/types";
import { SaveTemplateDialog } from "../templates/SaveTemplateDialog";
import { notify } from "../toast/toastStore";
import { effectiveParams, fetchStandalone } from "./standalone";
import { artifactTitle } from "./title";

// Read when a button is pressed, not subscribed to: the chat's messages change on every token.
function currentTitle(record: ArtifactRecord): string {
  return artifactTitle(record, appStore.getState().messages);
}

/**
 * "Save as template" and "Download HTML" for one artifact (both need the server's copy of
 * it), and, when its rows are a Spark job's preview, the job's Parquet and CSV files.
 */
export function ArtifactActions({ record }: { record: ArtifactRecord }) {
  const [saving, setSaving] = useState(false);
  const [downloading, setDownloading] = useState(false);
  const artifactId = record.artifactId;
  const why = artifactId === null ? "The server has no copy of this chart, so it cannot be saved or exported." : undefined;

  const download = async () => {
    if (artifactId === null) return;
    setDownloading(true);
    const title = currentTitle(record);
    const result = await fetchStandalone(artifactId, effectiveParams(record), title);
    setDownloading(false);
    if (!result.ok) {
      notify("error", `Could not build the HTML page: ${result.error.message}`);
      return;
    }
    const filename = fileNameFor(title, "html");
    saveBlob(result.value.blob, filename);
    notify("success", `Downloaded ${filename}.`);
  };

  return (
    <>
      {record.job && <JobDownloads job={record.job} compact />}
      <button
        type="button"
        className="artifact-params-button"
        data-testid="save-template"
        disabled={artifactId === null}
        title={why ?? (record.template ? `From template “${record.template.name}” (v${record.template.version})` : "Save as template")}
        onClick={() => setSaving(true)}
      >
        <BookmarkPlus size={14} aria-hidden /> Save template
      </button>
      <button
        type="button"
        className="artifact-params-button"
        data-testid="download-html"
        disabled={artifactId === null || downloading}
        title={why ?? "Download as a self-contained HTML page"}
        aria-busy={downloading}
        onClick={() => void download()}
      >
        <Download size={14} aria-hidden /> {downloading ? "Preparing…" : "HTML"}
      </button>
      {saving && artifactId !== null && (
        <SaveTemplateDialog record={record} artifactId={artifactId} initialName={currentTitle(record)} onClose={() => setSaving(false)} />
      )}
    </>
  );
}
