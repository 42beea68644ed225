import { isFinal, type Job, type JobProgress, type JobState } from "./model";

// What the job card and the artifact header say about a job; numbers in the reader's locale.

const STATE_LABELS: Record<JobState, string> = {
  queued: "Queued",
  running: "Running",
  succeeded: "Done",
  failed: "Failed",
  cancelled: "Cancelled",
};

export function stateLabel(state: JobState): string {
  return STATE_LABELS[state];
}

/** "1 row", "12,345 rows". */
export function rowsText(count: number): string {
  return `${count.toLocaleString()} ${count === 1 ? "row" : "rows"}`;
}

/** The progress bar's reading: tasks done of tasks known, or null before Spark planned any. */
export interface ProgressReading {
  /** Tasks done and known; null while the bar is indeterminate. */
  value: number | null;
  max: number | null;
  /** "Stage 2 of 3 · tasks 40/100", or a note while nothing is planned yet. */
  text: string;
}

/** How far Spark got: the stage it works on (the last once all are done) and its task counts. */
export function progressReading(progress: JobProgress): ProgressReading {
  const { stages_done, stages_total, tasks_done, tasks_total } = progress;
  if (stages_total === 0 && tasks_total === 0) return { value: null, max: null, text: "No Spark stages yet" };
  const stage = Math.min(stages_done + 1, Math.max(stages_total, 1));
  const done = Math.min(tasks_done, tasks_total);
  return {
    value: tasks_total > 0 ? done : null,
    max: tasks_total > 0 ? tasks_total : null,
    text: `Stage ${stage.toLocaleString()} of ${stages_total.toLocaleString()} · tasks ${done.toLocaleString()}/${tasks_total.toLocaleString()}`,
  };
}

function instant(iso: string | null): number | null {
  if (iso === null || iso === "") return null;
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : ms;
}

/**
 * How long the job has taken, in milliseconds: the server's figure once it is final, else
 * the time since it started (or was queued) until `now`. Null when the times are unreadable.
 */
export function jobElapsedMs(job: Job, now: number): number | null {
  const start = instant(job.started_at) ?? instant(job.created_at);
  if (isFinal(job.state)) {
    if (job.elapsed_ms !== null) return job.elapsed_ms;
    const end = instant(job.finished_at);
    return start === null || end === null ? null : Math.max(0, end - start);
  }
  return start === null ? null : Math.max(0, now - start);
}

/** "0.8 s", "42.0 s", "3 min 05 s", "2 h 07 min". */
export function formatElapsed(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const seconds = Math.floor(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${String(seconds % 60).padStart(2, "0")} s`;
  return `${Math.floor(seconds / 3600)} h ${String(Math.floor(seconds / 60) % 60).padStart(2, "0")} min`;
}

/** "812 B", "4.2 kB", "1.3 MB" (powers of 1,000, as file managers show them). */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ["kB", "MB", "GB", "TB"];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(1)} ${units[unit]}`;
}

/**
 * The artifact's row count when its rows are a Spark job's preview: "Preview of 1,000 of
 * 12,345 rows", or just the count when the preview holds them all.
 */
export function previewText(shown: number, job: Job): string {
  const total = job.row_count ?? shown;
  return total > shown ? `Preview of ${shown.toLocaleString()} of ${rowsText(total)}` : rowsText(total);
}
