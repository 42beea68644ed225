import { parseErrorBody, type ErrorBody } from "../lib/errorBody";
import { isRecord, numberField, stringField } from "../lib/json";

// A Spark job as the server shows it (plotwise/spark/models.py: GET /api/jobs/{id}, the SSE
// `job` event, the `job` field of a data event, `jobs` on a stored message); snake_case kept.

export const JOB_STATES = ["queued", "running", "succeeded", "failed", "cancelled"] as const;
export type JobState = (typeof JOB_STATES)[number];

/** States a job never leaves. */
export const FINAL_STATES: readonly JobState[] = ["succeeded", "failed", "cancelled"];

export const OUTPUT_FORMATS = ["parquet", "csv"] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Spark's counts so far; totals grow as Spark plans more stages (0 before it starts). */
export interface JobProgress {
  stages_done: number;
  stages_total: number;
  tasks_done: number;
  tasks_total: number;
}

/** One written result file of a succeeded job. */
export interface JobFile {
  format: OutputFormat;
  /** The download's file name, e.g. `job_1a2b….parquet`. */
  name: string;
  /** A same-origin API path (`/api/jobs/{job_id}/files/{format}`). */
  url: string;
  /** Size in bytes. */
  bytes: number;
}

/** A column of the job's result (DuckDB type names). */
export interface JobColumn {
  name: string;
  type: string;
}

export interface Job {
  /** `job_` and 16 hex digits. */
  job_id: string;
  state: JobState;
  /** Short machine word: `queued`, `starting`, `running`, `writing`, `done`. */
  stage: string;
  /** Human text for the current step, or the error. */
  message: string;
  sql: string;
  spark_sql: string;
  output_format: OutputFormat;
  dataset: string;
  conversation_id: string | null;
  progress: JobProgress;
  /** Rows of the whole result, once it succeeded. */
  row_count: number | null;
  columns: JobColumn[];
  /** Empty unless succeeded; both formats then, `output_format` first. */
  files: JobFile[];
  error: ErrorBody | null;
  /** ISO 8601 instants (UTC). */
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  elapsed_ms: number | null;
}

/** True once the job can no longer change. */
export function isFinal(state: JobState): boolean {
  return FINAL_STATES.includes(state);
}

function count(obj: Record<string, unknown>, key: string): number {
  return Math.max(0, Math.trunc(numberField(obj, key, 0)));
}

function parseProgress(value: unknown): JobProgress {
  const obj = isRecord(value) ? value : {};
  return {
    stages_done: count(obj, "stages_done"),
    stages_total: count(obj, "stages_total"),
    tasks_done: count(obj, "tasks_done"),
    tasks_total: count(obj, "tasks_total"),
  };
}

/**
 * True for a path on this app's own API. The URL comes from the network and ends up in an
 * `href`: anything else (`javascript:`, another host, `//host`) is refused.
 */
export function isApiPath(url: string): boolean {
  return /^\/api\/[^\s\\]*$/.test(url);
}

function parseFile(value: unknown): JobFile | null {
  if (!isRecord(value)) return null;
  const format = OUTPUT_FORMATS.find((f) => f === value.format);
  const url = stringField(value, "url", null);
  if (format === undefined || url === null || !isApiPath(url)) return null;
  return { format, name: stringField(value, "name", `result.${format}`), url, bytes: count(value, "bytes") };
}

function parseColumns(value: unknown): JobColumn[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).flatMap((c) => (typeof c.name === "string" ? [{ name: c.name, type: stringField(c, "type", "") }] : []));
}

/**
 * Reads a job from an untrusted object, copying known fields only. Returns null without an id
 * or a known state; malformed files (or ones pointing off the API) are dropped.
 */
export function parseJob(value: unknown): Job | null {
  if (!isRecord(value)) return null;
  const jobId = stringField(value, "job_id", null);
  const state = JOB_STATES.find((s) => s === value.state);
  if (jobId === null || state === undefined) return null;
  const rowCount = numberField(value, "row_count", null);
  return {
    job_id: jobId,
    state,
    stage: stringField(value, "stage", state),
    message: stringField(value, "message", ""),
    sql: stringField(value, "sql", ""),
    spark_sql: stringField(value, "spark_sql", ""),
    output_format: OUTPUT_FORMATS.find((f) => f === value.output_format) ?? "parquet",
    dataset: stringField(value, "dataset", ""),
    conversation_id: stringField(value, "conversation_id", null),
    progress: parseProgress(value.progress),
    row_count: rowCount === null ? null : Math.max(0, Math.trunc(rowCount)),
    columns: parseColumns(value.columns),
    files: Array.isArray(value.files) ? value.files.map(parseFile).filter((f): f is JobFile => f !== null) : [],
    error: isRecord(value.error) ? parseErrorBody(value.error) : null,
    created_at: stringField(value, "created_at", ""),
    started_at: stringField(value, "started_at", null),
    finished_at: stringField(value, "finished_at", null),
    elapsed_ms: numberField(value, "elapsed_ms", null),
  };
}

/** The job's file of one format, if it was written. */
export function fileOf(job: Job, format: OutputFormat): JobFile | null {
  return job.files.find((file) => file.format === format) ?? null;
}
