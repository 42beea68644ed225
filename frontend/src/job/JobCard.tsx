import { useState } from "react";
import { Ban, TriangleAlert, X, Zap } from "lucide-react";
import { notify } from "../toast/toastStore";
import { jobsApi, requestCancel, type JobsApi } from "./api";
import { formatElapsed, jobElapsedMs, progressReading, rowsText, stateLabel } from "./format";
import { JobDownloads } from "./JobDownloads";
import { isFinal, type Job } from "./model";
import { useJobPolling, useNow } from "./useJobPolling";
import "./job.css";

interface JobCardProps {
  job: Job;
  /** Whether this page must ask the server for newer snapshots (see needsPolling). */
  poll: boolean;
  /** A newer snapshot: polled, or the cancel request's answer. */
  onJob: (job: Job) => void;
  /** The jobs API (tests pass a fake). */
  api?: JobsApi;
}

function Progress({ job }: { job: Job }) {
  // Before Spark planned any task the bar is indeterminate (no value at all).
  const { value, max, text } = progressReading(job.progress);
  return (
    <div className="job-progress">
      <progress
        className="job-progress-bar"
        aria-label="Spark job progress"
        aria-valuetext={text}
        value={value ?? undefined}
        max={max ?? undefined}
        aria-valuemin={value === null ? undefined : 0}
        aria-valuenow={value ?? undefined}
        aria-valuemax={max ?? undefined}
      />
      <span className="job-progress-text">{text}</span>
    </div>
  );
}

function CancelButton({ job, onJob, api }: { job: Job; onJob: (job: Job) => void; api: JobsApi }) {
  const [cancelling, setCancelling] = useState(false);
  const cancel = async () => {
    setCancelling(true);
    const problem = await requestCancel(api, job.job_id, onJob);
    setCancelling(false);
    if (problem !== null) notify("error", problem);
  };
  return (
    <button type="button" className="job-cancel" disabled={cancelling} aria-busy={cancelling} onClick={() => void cancel()}>
      <X size={14} aria-hidden /> Cancel job
    </button>
  );
}

function Outcome({ job }: { job: Job }) {
  switch (job.state) {
    case "succeeded":
      return (
        <>
          <p className="job-card-message">{job.row_count === null ? job.message : `${rowsText(job.row_count)} ready`}</p>
          {job.files.length > 0 ? <JobDownloads job={job} /> : <p className="job-card-note">The server offered no files to download.</p>}
        </>
      );
    case "failed":
      return (
        <div className="job-card-error" role="alert">
          <TriangleAlert size={15} aria-hidden />
          <p>
            {job.error?.message ?? (job.message || "The Spark job failed.")}
            {job.error && <span className="job-card-code"> · {job.error.code}</span>}
          </p>
        </div>
      );
    case "cancelled":
      return (
        <p className="job-card-message job-card-cancelled">
          <Ban size={14} aria-hidden /> Cancelled — no files were written
        </p>
      );
    default:
      return null;
  }
}

/**
 * A Spark job an answer submitted: its state and step, a progress bar with the stage and task
 * counts, the time it has taken and Cancel while it runs; then the row count and download
 * links, the error, or that it was cancelled. Polls the server while `poll` is set.
 */
export function JobCard({ job, poll, onJob, api = jobsApi }: JobCardProps) {
  const final = isFinal(job.state);
  const pollError = useJobPolling(job.job_id, poll && !final, onJob, api);
  const now = useNow(!final);
  const elapsed = jobElapsedMs(job, now);
  return (
    <section className="job-card" data-testid="job-card" data-state={job.state} data-job-id={job.job_id} aria-label="Spark job">
      <header className="job-card-head">
        <Zap size={14} aria-hidden />
        <span className="job-card-title">Spark job</span>
        <span className={`job-state job-state-${job.state}`}>{stateLabel(job.state)}</span>
        {elapsed !== null && (
          <span className="job-card-elapsed" title="Time taken">
            {formatElapsed(elapsed)}
          </span>
        )}
      </header>
      {final ? (
        <Outcome job={job} />
      ) : (
        <>
          <p className="job-card-message" role="status">
            {job.message || stateLabel(job.state)}
          </p>
          <div className="job-card-running">
            <Progress job={job} />
            <CancelButton job={job} onJob={onJob} api={api} />
          </div>
          {pollError && <p className="job-card-note">Could not check on the job: {pollError.message}</p>}
        </>
      )}
    </section>
  );
}
