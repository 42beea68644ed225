import { Download } from "lucide-react";
import { tokenDownload } from "../auth/tokenDownload";
import { formatBytes, rowsText } from "./format";
import type { Job, OutputFormat } from "./model";
import "./job.css";

const FORMAT_LABELS: Record<OutputFormat, string> = { parquet: "Parquet", csv: "CSV" };

interface JobDownloadsProps {
  job: Job;
  /** Short buttons for the artifact's bar; the card shows full link text and sizes. */
  compact?: boolean;
}

/**
 * Links to a succeeded job's files (every row, not the preview). The server sends them as
 * attachments from same-origin API paths, so plain `download` links need no script, unless the
 * server wants its API token: a link cannot send it, so the click then fetches the file.
 */
export function JobDownloads({ job, compact = false }: JobDownloadsProps) {
  if (job.state !== "succeeded" || job.files.length === 0) return null;
  const rows = job.row_count === null ? "all rows" : `all ${rowsText(job.row_count)}`;
  if (compact) {
    return (
      <>
        {job.files.map((file) => (
          <a
            key={file.format}
            className="artifact-params-button job-download-compact"
            href={file.url}
            download={file.name}
            onClick={(event) => void tokenDownload(file.url, file.name)(event)}
            aria-label={`Download ${FORMAT_LABELS[file.format]}`}
            title={`Download ${rows} as ${FORMAT_LABELS[file.format]} (${formatBytes(file.bytes)})`}
            data-testid={`artifact-download-${file.format}`}
          >
            <Download size={14} aria-hidden /> {FORMAT_LABELS[file.format]}
          </a>
        ))}
      </>
    );
  }
  return (
    <ul className="job-downloads">
      {job.files.map((file) => (
        <li key={file.format}>
          <a
            className="job-download"
            href={file.url}
            download={file.name}
            onClick={(event) => void tokenDownload(file.url, file.name)(event)}
            title={`Download ${rows} (${file.name})`} data-testid={`job-download-${file.format}`}>
            <Download size={14} aria-hidden />
            Download {FORMAT_LABELS[file.format]}
          </a>
          <span className="job-download-size">{formatBytes(file.bytes)}</span>
        </li>
      ))}
    </ul>
  );
}
