import { callJson, segment, type ApiRequest, type ApiResult } from "../lib/http";
import { parseJob, type Job } from "./model";

// The job routes (plotwise/api/jobs.py); same origin, like every API call (`vite dev` proxies).

const BASE = "/api/jobs";

export function getJobRequest(jobId: string): ApiRequest {
  return { method: "GET", url: `${BASE}/${segment(jobId)}` };
}

export function cancelJobRequest(jobId: string): ApiRequest {
  return { method: "POST", url: `${BASE}/${segment(jobId)}/cancel` };
}

/** The jobs API; every call resolves with the job's current snapshot or the server's error. */
export interface JobsApi {
  get: (jobId: string, signal?: AbortSignal) => Promise<ApiResult<Job>>;
  /** The job is `cancelled` within a second; one already final comes back unchanged. */
  cancel: (jobId: string) => Promise<ApiResult<Job>>;
}

/**
 * Asks the server to cancel a job; its answer (the job, `cancelled` or already final) goes to
 * `onJob`. Resolves with the text to show when the request failed, else null.
 */
export async function requestCancel(api: JobsApi, jobId: string, onJob: (job: Job) => void): Promise<string | null> {
  const result = await api.cancel(jobId);
  if (!result.ok) return `Could not cancel the Spark job: ${result.error.message}`;
  onJob(result.value);
  return null;
}

export const jobsApi: JobsApi = {
  get: (jobId, signal) => callJson(getJobRequest(jobId), parseJob, signal),
  cancel: (jobId) => callJson(cancelJobRequest(jobId), parseJob),
};
