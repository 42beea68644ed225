import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { ErrorBody } from "../lib/errorBody";
import type { ApiResult } from "../lib/http";
import type { JobsApi } from "./api";
import type { Job } from "./model";
import { MAX_POLL_BACKOFF_MS, pollJob, POLL_MS } from "./polling";
import { job, jobJson, succeededJson } from "./testing";

const networkError: ErrorBody = { code: "network_error", message: "Could not reach the server", stage: null, recoverable: true, trace_id: null };
const notFound: ErrorBody = { code: "not_found", message: "job 'job_1' does not exist", stage: null, recoverable: false, trace_id: null };

/** A server that answers each GET with the next scripted answer (the last one repeats). */
function server(answers: ApiResult<Job>[]) {
  const calls: { jobId: string; signal: AbortSignal | undefined; at: number }[] = [];
  const get: JobsApi["get"] = async (jobId, signal) => {
    calls.push({ jobId, signal, at: Date.now() });
    return answers[Math.min(calls.length - 1, answers.length - 1)] as ApiResult<Job>;
  };
  return { calls, get };
}

const ok = (value: Job): ApiResult<Job> => ({ ok: true, value });
const fail = (error: ErrorBody): ApiResult<Job> => ({ ok: false, error });

describe("pollJob", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(0);
  });
  afterEach(() => vi.useRealTimers());

  it("asks at once, then every second, and stops at the final snapshot", async () => {
    const snapshots = [job(jobJson({ state: "queued" })), job(), job(succeededJson())];
    const { calls, get } = server(snapshots.map(ok));
    const seen: Job[] = [];
    pollJob({ jobId: "job_1a2b3c4d5e6f7a8b", get, onJob: (j) => seen.push(j), onError: () => undefined });
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(seen.map((j) => j.state)).toEqual(["queued", "running", "succeeded"]);
    expect(calls.map((c) => c.at)).toEqual([0, POLL_MS, 2 * POLL_MS]);
    expect(calls.every((c) => c.jobId === "job_1a2b3c4d5e6f7a8b")).toBe(true);
  });

  it("stops when told: no further request, and the one in flight is aborted", async () => {
    const { calls, get } = server([ok(job())]);
    const stop = pollJob({ jobId: "j", get, onJob: () => undefined, onError: () => undefined });
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(calls).toHaveLength(2);
    stop();
    await vi.advanceTimersByTimeAsync(10 * POLL_MS);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.signal?.aborted).toBe(true);
  });

  it("drops an answer that arrives after it was stopped", async () => {
    let release: (value: ApiResult<Job>) => void = () => undefined;
    const get: JobsApi["get"] = () => new Promise((resolve) => (release = resolve));
    const seen: Job[] = [];
    const stop = pollJob({ jobId: "j", get, onJob: (j) => seen.push(j), onError: () => undefined });
    stop();
    release(ok(job(succeededJson())));
    await vi.advanceTimersByTimeAsync(POLL_MS);
    expect(seen).toEqual([]);
  });

  it("reports failures and backs off, then goes on at the normal pace", async () => {
    const { calls, get } = server([fail(networkError), fail(networkError), ok(job()), ok(job(succeededJson()))]);
    const errors: ErrorBody[] = [];
    pollJob({ jobId: "j", get, onJob: () => undefined, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(30 * POLL_MS);
    expect(errors).toEqual([networkError, networkError]);
    // 0, then 2 s after the first failure, 4 s after the second, 1 s after the success.
    expect(calls.map((c) => c.at)).toEqual([0, 2 * POLL_MS, 6 * POLL_MS, 7 * POLL_MS]);
  });

  it("waits at most the longest backoff between attempts", async () => {
    const { calls, get } = server([fail(networkError)]);
    const stop = pollJob({ jobId: "j", get, onJob: () => undefined, onError: () => undefined });
    await vi.advanceTimersByTimeAsync(60_000);
    stop();
    const gaps = calls.slice(1).map((c, i) => c.at - (calls[i]?.at ?? 0));
    expect(Math.max(...gaps)).toBe(MAX_POLL_BACKOFF_MS);
  });

  it("gives up on a job the server does not know", async () => {
    const { calls, get } = server([fail(notFound)]);
    const errors: ErrorBody[] = [];
    pollJob({ jobId: "j", get, onJob: () => undefined, onError: (e) => errors.push(e) });
    await vi.advanceTimersByTimeAsync(60_000);
    expect(calls).toHaveLength(1);
    expect(errors).toEqual([notFound]);
  });
});
