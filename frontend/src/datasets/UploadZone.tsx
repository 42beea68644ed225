import { useEffect, useRef, useState, type ChangeEvent, type DragEvent } from "react";
import { FileUp, X } from "lucide-react";
import { progressText, uploadPercent } from "./format";
import { ACCEPT } from "./names";
import { uploadStore, useUpload, type UploadPhase } from "./uploadStore";
import "./upload.css";

/** An upload on its way: the file, a progress bar (bytes and percent), Cancel. */
export function UploadProgress({ phase }: { phase: Extract<UploadPhase, { step: "uploading" }> }) {
  const percent = uploadPercent(phase.loaded, phase.total);
  const text = phase.sent ? "Reading the file…" : progressText(phase.loaded, phase.total);
  return (
    <div className="upload-progress" data-testid="upload-progress" data-sent={phase.sent}>
      <p className="upload-file" title={phase.fileName}>
        {phase.sent ? "Reading" : "Uploading"} <strong>{phase.fileName}</strong>
      </p>
      <progress
        max={100}
        value={phase.sent ? undefined : percent}
        aria-label={`Upload of ${phase.fileName}`}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={phase.sent ? undefined : percent}
        aria-valuetext={text}
      />
      <div className="upload-progress-row">
        <span aria-live="polite">{text}</span>
        <button type="button" className="button-secondary" data-testid="upload-cancel" onClick={() => uploadStore.getState().cancel()}>
          Cancel
        </button>
      </div>
    </div>
  );
}

/** Why an upload was refused, in the server's words. */
export function UploadFailure({ phase }: { phase: Extract<UploadPhase, { step: "failed" }> }) {
  return (
    <div className="inline-error upload-error" role="alert" data-testid="upload-error" data-code={phase.error.code}>
      <p>
        <strong>Upload of “{phase.fileName}” refused.</strong> {phase.error.message}
      </p>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => uploadStore.getState().dismiss()}>
        <X size={14} aria-hidden />
      </button>
    </div>
  );
}

/** Files dropped outside the zone would replace the page with the file: ignore them while the zone shows. */
function useDropGuard(): void {
  useEffect(() => {
    const ignore = (event: globalThis.DragEvent) => {
      if (event.dataTransfer?.types.includes("Files")) event.preventDefault();
    };
    window.addEventListener("dragover", ignore);
    window.addEventListener("drop", ignore);
    return () => {
      window.removeEventListener("dragover", ignore);
      window.removeEventListener("drop", ignore);
    };
  }, []);
}

/**
 * Where a data file goes in: dropped on the zone, or picked with "Choose file" (a real button,
 * so the keyboard reaches it). Shows the upload's progress with Cancel, or why it failed.
 */
export function UploadZone() {
  const phase = useUpload((state) => state.phase);
  const input = useRef<HTMLInputElement>(null);
  const [over, setOver] = useState(false);
  useDropGuard();

  const busy = phase.step === "uploading" || phase.step === "review";
  const start = (file: File | undefined) => {
    if (file !== undefined) uploadStore.getState().start(file);
  };
  const onPick = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared so picking the same file again (after fixing it) fires a change.
    event.target.value = "";
    start(file);
  };
  const onDragOver = (event: DragEvent) => {
    if (busy || !event.dataTransfer.types.includes("Files")) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "copy";
    setOver(true);
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    if (!busy) start(event.dataTransfer.files[0]);
  };

  return (
    <div className="upload">
      <div
        className="upload-zone"
        role="group"
        aria-label="Upload a data file"
        aria-describedby="upload-formats"
        data-testid="upload-zone"
        data-over={over || undefined}
        aria-disabled={busy || undefined}
        onDragOver={onDragOver}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        <FileUp size={18} aria-hidden />
        <p>Drop a data file here, or</p>
        <button type="button" className="button-secondary" data-testid="dataset-choose-file" disabled={busy} onClick={() => input.current?.click()}>
          Choose file
        </button>
        <p id="upload-formats" className="upload-formats">
          CSV, TSV, Parquet, JSON, NDJSON or Excel; .gz and .zip too.
        </p>
        <input ref={input} type="file" accept={ACCEPT} hidden data-testid="dataset-file-input" aria-label="Data file to upload" onChange={onPick} />
      </div>
      {phase.step === "uploading" && <UploadProgress phase={phase} />}
      {phase.step === "failed" && <UploadFailure phase={phase} />}
      {phase.step === "idle" && phase.notice !== null && (
        <p className="upload-notice" role="status" data-testid="upload-notice">
          {phase.notice}
        </p>
      )}
    </div>
  );
}
