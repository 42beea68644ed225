import type { ErrorBody } from "../lib/errorBody";
import type { JobsApi } from "./api";
import { isFinal, type Job } from "./model";

/** How often a running job is asked about, in milliseconds. */
export const POLL_MS = 1000;

/** The longest wait between two attempts while the server keeps failing, in milliseconds. */
export const MAX_POLL_BACKOFF_MS = 10_000;

export interface PollOptions {
  jobId: string;
  get: JobsApi["get"];
  /** Each snapshot, as it arrives; the last one is final. */
  onJob: (job: Job) => void;
  /** A failed attempt; polling goes on unless the server no longer knows the job. */
  onError: (error: ErrorBody) => void;
  intervalMs?: number;
}

// The job is gone (a 404): asking again will not bring it back.
function isGone(error: ErrorBody): boolean {
  return error.code === "not_found" || error.code === "http_404";
}

/**
 * Asks the server for a job's snapshot at once, then `intervalMs` after each answer (one
 * request at a time), until the job is final or the server does not know it. Failed attempts
 * wait twice as long each time, up to MAX_POLL_BACKOFF_MS.
 *
 * Returns a function that stops polling and aborts the request in flight.
 */
export function pollJob({ jobId, get, onJob, onError, intervalMs = POLL_MS }: PollOptions): () => void {
  const abort = new AbortController();
  let timer: ReturnType<typeof setTimeout> | undefined;
  let failures = 0;

  const schedule = () => {
    const wait = failures === 0 ? intervalMs : Math.min(intervalMs * 2 ** failures, MAX_POLL_BACKOFF_MS);
    timer = setTimeout(() => void attempt(), wait);
  };

  const attempt = async () => {
    let result: Awaited<ReturnType<JobsApi["get"]>>;
    try {
      result = await get(jobId, abort.signal);
    } catch {
      // Only an abort rejects: polling was stopped.
      return;
    }
    if (abort.signal.aborted) return;
    if (result.ok) {
      failures = 0;
      onJob(result.value);
      if (!isFinal(result.value.state)) schedule();
      return;
    }
    onError(result.error);
    failures += 1;
    if (!isGone(result.error)) schedule();
  };

  void attempt();
  return () => {
    abort.abort();
    clearTimeout(timer);
  };
}
