import { renderToStaticMarkup } from "react-dom/server";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { JobsApi } from "./api";
import { JobCard } from "./JobCard";
import { JobDownloads } from "./JobDownloads";
import type { Job } from "./model";
import { job, jobJson, succeededJson } from "./testing";

// The card as the server renders it to HTML: every state's text, links and ARIA, without a DOM.

const unusedApi: JobsApi = {
  get: () => Promise.reject(new Error("the card must not fetch while rendering")),
  cancel: () => Promise.reject(new Error("the card must not cancel while rendering")),
};

function render(shown: Job): string {
  return renderToStaticMarkup(<JobCard job={shown} poll onJob={() => undefined} api={unusedApi} />);
}

/** The opening tag of the first element matching `pattern` (e.g. `<progress`). */
function tag(html: string, start: string): string {
  const at = html.indexOf(start);
  expect(at, `${start} in ${html}`).toBeGreaterThanOrEqual(0);
  return html.slice(at, html.indexOf(">", at) + 1);
}

const n = (value: number) => value.toLocaleString();

describe("JobCard", () => {
  afterEach(() => vi.useRealTimers());

  it("shows a running job's step, a progress bar with stage and tasks, the elapsed time and Cancel", () => {
    vi.useFakeTimers();
    vi.setSystemTime(Date.parse("2026-11-21T08:00:06.5Z"));
    const html = render(job());
    expect(tag(html, "<section")).toContain('data-testid="job-card"');
    expect(tag(html, "<section")).toContain('data-state="running"');
    expect(html).toContain("Running on Spark…");
    const bar = tag(html, "<progress");
    expect(bar).toContain('aria-label="Spark job progress"');
    expect(bar).toContain('value="40"');
    expect(bar).toContain('max="100"');
    expect(bar).toContain('aria-valuenow="40"');
    expect(bar).toContain('aria-valuemax="100"');
    expect(bar).toContain('aria-valuetext="Stage 2 of 3 · tasks 40/100"');
    expect(html).toContain("Stage 2 of 3 · tasks 40/100");
    expect(html).toContain("4.5 s");
    const cancel = tag(html, '<button type="button" class="job-cancel"');
    expect(cancel).not.toContain("disabled");
    expect(html).toMatch(/<button[^>]*class="job-cancel"[^>]*>.*Cancel job<\/button>/);
    expect(html).not.toContain("Download");
  });

  it("shows an indeterminate bar while the job waits for a Spark slot", () => {
    const html = render(job(jobJson({ state: "queued", stage: "queued", message: "Waiting for a Spark slot…", progress: {}, started_at: null })));
    expect(html).toContain('data-state="queued"');
    expect(html).toContain("Waiting for a Spark slot…");
    const bar = tag(html, "<progress");
    expect(bar).not.toContain("value=");
    expect(bar).not.toContain("aria-valuenow");
    expect(html).toContain("Cancel job");
  });

  it("gives the row count and both downloads once the job succeeded, and no Cancel", () => {
    const html = render(job(succeededJson()));
    expect(html).toContain('data-state="succeeded"');
    expect(html).toContain(`${n(12345)} rows ready`);
    expect(html).toContain("12.5 s");
    expect(html).toContain('<a class="job-download" href="/api/jobs/job_1a2b3c4d5e6f7a8b/files/parquet" download="job_1a2b3c4d5e6f7a8b.parquet"');
    expect(html).toContain('<a class="job-download" href="/api/jobs/job_1a2b3c4d5e6f7a8b/files/csv" download="job_1a2b3c4d5e6f7a8b.csv"');
    expect(html).toMatch(/<a [^>]*files\/parquet[^>]*>(<svg.*?<\/svg>)?Download Parquet<\/a>/);
    expect(html).toMatch(/<a [^>]*files\/csv[^>]*>(<svg.*?<\/svg>)?Download CSV<\/a>/);
    expect(html).toContain("1.2 MB");
    expect(html).not.toContain("Cancel job");
    expect(html).not.toContain("<progress");
  });

  it("says so when a succeeded job offers no files", () => {
    const html = render(job(succeededJson({ files: [] })));
    expect(html).toContain("The server offered no files to download.");
    expect(html).not.toContain("<a ");
  });

  it("shows a failed job's error as an alert", () => {
    const error = { code: "sql_error", message: "[UNRESOLVED_COLUMN] dep_dela cannot be resolved", stage: "query", recoverable: false, trace_id: null };
    const html = render(job(jobJson({ state: "failed", stage: "done", message: "failed", error, finished_at: "2026-11-21T08:00:03Z" })));
    expect(html).toContain('data-state="failed"');
    expect(html).toMatch(/role="alert"[^>]*>.*\[UNRESOLVED_COLUMN\] dep_dela cannot be resolved/);
    expect(html).toContain("sql_error");
    expect(html).not.toContain("Cancel job");
    expect(html).not.toContain("Download");
  });

  it("says that a cancelled job wrote no files", () => {
    const html = render(job(jobJson({ state: "cancelled", stage: "done", message: "Cancelled", elapsed_ms: 1800 })));
    expect(html).toContain('data-state="cancelled"');
    expect(html).toContain("Cancelled — no files were written");
    expect(html).toContain("1.8 s");
    expect(html).not.toContain("Cancel job");
  });
});

describe("JobDownloads, compact (the artifact's bar)", () => {
  it("names the links for the format and describes the whole result", () => {
    const html = renderToStaticMarkup(<JobDownloads job={job(succeededJson())} compact />);
    const parquet = tag(html, '<a class="artifact-params-button job-download-compact" href="/api/jobs/job_1a2b3c4d5e6f7a8b/files/parquet"');
    expect(parquet).toContain('aria-label="Download Parquet"');
    expect(parquet).toContain('download="job_1a2b3c4d5e6f7a8b.parquet"');
    expect(parquet).toContain(`title="Download all ${n(12345)} rows as Parquet (1.2 MB)"`);
    expect(tag(html, '<a class="artifact-params-button job-download-compact" href="/api/jobs/job_1a2b3c4d5e6f7a8b/files/csv"')).toContain('aria-label="Download CSV"');
  });

  it("renders nothing for a job without files", () => {
    expect(renderToStaticMarkup(<JobDownloads job={job()} compact />)).toBe("");
  });
});
