import { useEffect, useRef, useState } from "react";
import type { ErrorBody } from "../lib/errorBody";
import type { JobsApi } from "./api";
import type { Job } from "./model";
import { pollJob } from "./polling";

/**
 * Polls a job while `active` (see needsPolling), handing each snapshot to `onJob`; stops
 * when the job is final, `active` turns false or the component unmounts. Returns the last
 * failed attempt's error, cleared by the next answer.
 */
export function useJobPolling(jobId: string, active: boolean, onJob: (job: Job) => void, api: JobsApi): ErrorBody | null {
  const [error, setError] = useState<ErrorBody | null>(null);
  // The latest callback, without restarting the poll when its identity changes.
  const onJobRef = useRef(onJob);
  useEffect(() => {
    onJobRef.current = onJob;
  });
  useEffect(() => {
    if (!active) return undefined;
    return pollJob({
      jobId,
      get: api.get,
      onJob: (job) => {
        setError(null);
        onJobRef.current(job);
      },
      onError: setError,
    });
  }, [jobId, active, api]);
  return active ? error : null;
}

/** The current time in milliseconds, ticking every `everyMs` while `active`. */
export function useNow(active: boolean, everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return undefined;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [active, everyMs]);
  return now;
}
