import { describe, expect, it } from "vitest";
import { fileOf, isApiPath, isFinal, JOB_STATES, parseJob } from "./model";
import { jobJson, succeededJson } from "./testing";

describe("parseJob", () => {
  it("reads every field of a succeeded job", () => {
    const job = parseJob(succeededJson());
    expect(job).toEqual({
      job_id: "job_1a2b3c4d5e6f7a8b",
      state: "succeeded",
      stage: "done",
      message: "12,345 rows ready",
      sql: "SELECT * FROM flights WHERE dep_delay > 180",
      spark_sql: "SELECT * FROM flights WHERE dep_delay > 180",
      output_format: "parquet",
      dataset: "nycflights13",
      conversation_id: "c1",
      progress: { stages_done: 3, stages_total: 3, tasks_done: 100, tasks_total: 100 },
      row_count: 12345,
      columns: [
        { name: "carrier", type: "VARCHAR" },
        { name: "dep_delay", type: "DOUBLE" },
      ],
      files: [
        { format: "parquet", name: "job_1a2b3c4d5e6f7a8b.parquet", url: "/api/jobs/job_1a2b3c4d5e6f7a8b/files/parquet", bytes: 1234567 },
        { format: "csv", name: "job_1a2b3c4d5e6f7a8b.csv", url: "/api/jobs/job_1a2b3c4d5e6f7a8b/files/csv", bytes: 2500000 },
      ],
      error: null,
      created_at: "2026-11-21T08:00:00Z",
      started_at: "2026-11-21T08:00:02Z",
      finished_at: "2026-11-21T08:00:14.500000Z",
      elapsed_ms: 12500,
    });
    expect(job && fileOf(job, "csv")?.bytes).toBe(2500000);
  });

  it("reads a failed job's error in the one error shape", () => {
    const error = { code: "sql_error", message: "column dep_dela not found", stage: "query", recoverable: true, trace_id: "t1" };
    expect(parseJob(jobJson({ state: "failed", error }))?.error).toEqual(error);
  });

  it("refuses a payload without an id or with an unknown state", () => {
    expect(parseJob(jobJson({ job_id: 7 }))).toBeNull();
    expect(parseJob(jobJson({ state: "paused" }))).toBeNull();
    expect(parseJob(null)).toBeNull();
    expect(parseJob([jobJson()])).toBeNull();
  });

  it("defaults what is missing and keeps counts whole and non-negative", () => {
    const job = parseJob({ job_id: "job_x", state: "queued", progress: { stages_done: -1, tasks_done: 2.7, tasks_total: "9" }, row_count: -5 });
    expect(job).toMatchObject({
      stage: "queued",
      message: "",
      output_format: "parquet",
      progress: { stages_done: 0, stages_total: 0, tasks_done: 2, tasks_total: 0 },
      row_count: 0,
      files: [],
      columns: [],
      error: null,
      started_at: null,
    });
  });

  it("drops files of an unknown format or pointing off the API", () => {
    const files = [
      { format: "parquet", name: "a.parquet", url: "javascript:alert(1)", bytes: 1 },
      { format: "csv", name: "a.csv", url: "https://evil.example/a.csv", bytes: 1 },
      { format: "csv", name: "a.csv", url: "//evil.example/a.csv", bytes: 1 },
      { format: "xlsx", name: "a.xlsx", url: "/api/jobs/j/files/xlsx", bytes: 1 },
      { format: "csv", name: "ok.csv", url: "/api/jobs/j/files/csv", bytes: 10 },
    ];
    expect(parseJob(succeededJson({ files }))?.files).toEqual([{ format: "csv", name: "ok.csv", url: "/api/jobs/j/files/csv", bytes: 10 }]);
  });
});

describe("isApiPath and isFinal", () => {
  it("accepts only paths on the app's API", () => {
    expect(isApiPath("/api/jobs/job_1/files/csv")).toBe(true);
    expect(isApiPath("/api/jobs/a b")).toBe(false);
    expect(isApiPath("/apix/jobs")).toBe(false);
    expect(isApiPath("/\\evil.example")).toBe(false);
  });

  it("knows the final states", () => {
    expect(JOB_STATES.map((state) => [state, isFinal(state)])).toEqual([
      ["queued", false],
      ["running", false],
      ["succeeded", true],
      ["failed", true],
      ["cancelled", true],
    ]);
  });
});
