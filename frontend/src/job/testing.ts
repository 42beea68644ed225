import { parseJob, type Job } from "./model";

// Fixtures shared by the job tests: a job as the server's JSON has it (Pydantic's dump).

const JOB_ID = "job_1a2b3c4d5e6f7a8b";

/** A running job's JSON, as GET /api/jobs/{id} and the `job` event carry it. */
export function jobJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    job_id: JOB_ID,
    state: "running",
    stage: "running",
    message: "Running on Spark…",
    sql: "SELECT * FROM flights WHERE dep_delay > 180",
    spark_sql: "SELECT * FROM flights WHERE dep_delay > 180",
    output_format: "parquet",
    dataset: "nycflights13",
    conversation_id: "c1",
    progress: { stages_done: 1, stages_total: 3, tasks_done: 40, tasks_total: 100 },
    row_count: null,
    columns: [],
    files: [],
    error: null,
    created_at: "2026-11-21T08:00:00Z",
    started_at: "2026-11-21T08:00:02Z",
    finished_at: null,
    elapsed_ms: null,
    ...overrides,
  };
}

/** The JSON of the same job once it succeeded: 12,345 rows in both files. */
export function succeededJson(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return jobJson({
    state: "succeeded",
    stage: "done",
    message: "12,345 rows ready",
    progress: { stages_done: 3, stages_total: 3, tasks_done: 100, tasks_total: 100 },
    row_count: 12345,
    columns: [
      { name: "carrier", type: "VARCHAR" },
      { name: "dep_delay", type: "DOUBLE" },
    ],
    files: [
      { format: "parquet", name: `${JOB_ID}.parquet`, url: `/api/jobs/${JOB_ID}/files/parquet`, bytes: 1_234_567 },
      { format: "csv", name: `${JOB_ID}.csv`, url: `/api/jobs/${JOB_ID}/files/csv`, bytes: 2_500_000 },
    ],
    finished_at: "2026-11-21T08:00:14.500000Z",
    elapsed_ms: 12500,
    ...overrides,
  });
}

/** A parsed job; throws when the JSON is not one (a broken fixture). */
export function job(json: Record<string, unknown> = jobJson()): Job {
  const parsed = parseJob(json);
  if (parsed === null) throw new Error("not a job");
  return parsed;
}
