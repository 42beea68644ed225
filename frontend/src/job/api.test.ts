import { afterEach, describe, expect, it, vi } from "vitest";
import type { Job } from "./model";
import { cancelJobRequest, getJobRequest, jobsApi, requestCancel } from "./api";
import { succeededJson } from "./testing";

describe("job requests", () => {
  it("gets and cancels by escaped id", () => {
    expect(getJobRequest("job_1")).toEqual({ method: "GET", url: "/api/jobs/job_1" });
    expect(cancelJobRequest("job 1")).toEqual({ method: "POST", url: "/api/jobs/job%201/cancel" });
  });
});

describe("jobsApi and requestCancel", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("POSTs the cancel and hands the server's job on", async () => {
    const fetch = vi.fn(async (_url: string, _init?: RequestInit) => Response.json(succeededJson({ state: "cancelled", files: [], row_count: null })));
    vi.stubGlobal("fetch", fetch);
    const seen: Job[] = [];
    expect(await requestCancel(jobsApi, "job_1a2b3c4d5e6f7a8b", (job) => seen.push(job))).toBeNull();
    expect(fetch.mock.calls[0]?.[0]).toBe("/api/jobs/job_1a2b3c4d5e6f7a8b/cancel");
    expect(fetch.mock.calls[0]?.[1]?.method).toBe("POST");
    expect(seen.map((job) => job.state)).toEqual(["cancelled"]);
  });

  it("gives the text to show when the server refuses, and changes nothing", async () => {
    const error = { code: "not_found", message: "job 'job_x' does not exist", stage: null, recoverable: false, trace_id: null };
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ error }, { status: 404 })));
    const seen: Job[] = [];
    expect(await requestCancel(jobsApi, "job_x", (job) => seen.push(job))).toBe("Could not cancel the Spark job: job 'job_x' does not exist");
    expect(seen).toEqual([]);
  });

  it("refuses an answer that is not a job", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ state: "running" })));
    expect(await jobsApi.get("job_1")).toMatchObject({ ok: false, error: { code: "bad_response" } });
  });
});
