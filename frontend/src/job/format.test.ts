import { describe, expect, it } from "vitest";
import { formatBytes, formatElapsed, jobElapsedMs, previewText, progressReading, rowsText } from "./format";
import { job, jobJson, succeededJson } from "./testing";

const n = (value: number) => value.toLocaleString();

describe("progressReading", () => {
  it("reads the stage in progress and the tasks done of those known", () => {
    expect(progressReading({ stages_done: 1, stages_total: 3, tasks_done: 40, tasks_total: 100 })).toEqual({
      value: 40,
      max: 100,
      text: "Stage 2 of 3 · tasks 40/100",
    });
  });

  it("names the last stage once all are done, and never more tasks than known", () => {
    expect(progressReading({ stages_done: 3, stages_total: 3, tasks_done: 101, tasks_total: 100 })).toEqual({
      value: 100,
      max: 100,
      text: "Stage 3 of 3 · tasks 100/100",
    });
  });

  it("is indeterminate before Spark planned anything", () => {
    expect(progressReading({ stages_done: 0, stages_total: 0, tasks_done: 0, tasks_total: 0 })).toEqual({ value: null, max: null, text: "No Spark stages yet" });
    expect(progressReading({ stages_done: 0, stages_total: 1, tasks_done: 0, tasks_total: 0 })).toMatchObject({ value: null, text: "Stage 1 of 1 · tasks 0/0" });
  });
});

describe("jobElapsedMs", () => {
  const start = Date.parse("2026-11-21T08:00:02Z");

  it("counts from the start (else the queueing) to now while the job runs", () => {
    expect(jobElapsedMs(job(), start + 4200)).toBe(4200);
    expect(jobElapsedMs(job(jobJson({ state: "queued", started_at: null })), start + 1000)).toBe(3000);
  });

  it("takes the server's figure once final, else the start to the end", () => {
    expect(jobElapsedMs(job(succeededJson()), start + 999_999)).toBe(12500);
    expect(jobElapsedMs(job(succeededJson({ elapsed_ms: null })), 0)).toBe(12500);
    expect(jobElapsedMs(job(jobJson({ state: "cancelled", created_at: "not a time", started_at: null })), 0)).toBeNull();
  });
});

describe("formatting", () => {
  it("writes durations, sizes and row counts", () => {
    expect(formatElapsed(800)).toBe("0.8 s");
    expect(formatElapsed(42_049)).toBe("42.0 s");
    expect(formatElapsed(185_000)).toBe("3 min 05 s");
    expect(formatElapsed(7_620_000)).toBe("2 h 07 min");
    expect(formatBytes(812)).toBe("812 B");
    expect(formatBytes(1_234_567)).toBe("1.2 MB");
    expect(formatBytes(4_200_000_000)).toBe("4.2 GB");
    expect(rowsText(1)).toBe("1 row");
    expect(rowsText(12345)).toBe(`${n(12345)} rows`);
  });

  it("says a preview is one, and gives the full count", () => {
    expect(previewText(1000, job(succeededJson()))).toBe(`Preview of ${n(1000)} of ${n(12345)} rows`);
    expect(previewText(12, job(succeededJson({ row_count: 12 })))).toBe("12 rows");
  });
});
