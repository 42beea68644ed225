import type { AssistantMessage, ChatMessage } from "../chat/chatState";
import { isRecord } from "../lib/json";
import { isFinal, parseJob, type Job } from "./model";

/** A Spark job an answer submitted, with the `submit_spark` call it belongs to. */
export interface MessageJob {
  /** The tool call that submitted it; null for a job read from a stored conversation. */
  toolCallId: string | null;
  job: Job;
}

/**
 * The newer of two snapshots of one job. Snapshots can cross (a poll answered after the
 * cancel request's answer): a final state is never replaced by a non-final one.
 */
export function newerJob(current: Job, incoming: Job): Job {
  return isFinal(current.state) && !isFinal(incoming.state) ? current : incoming;
}

/**
 * The list with `job` as the latest snapshot of its entry: the one of the same tool call
 * (else the same job id), or a new entry at the end.
 */
export function upsertJob(jobs: readonly MessageJob[], toolCallId: string | null, job: Job): MessageJob[] {
  const index = jobs.findIndex((entry) => (toolCallId !== null && entry.toolCallId === toolCallId) || entry.job.job_id === job.job_id);
  if (index === -1) return [...jobs, { toolCallId, job }];
  return jobs.map((entry, i) => (i === index ? { toolCallId: entry.toolCallId ?? toolCallId, job: newerJob(entry.job, job) } : entry));
}

function withJobSnapshot(message: AssistantMessage, job: Job): AssistantMessage {
  if (!message.jobs.some((entry) => entry.job.job_id === job.job_id)) return message;
  return { ...message, jobs: message.jobs.map((entry) => (entry.job.job_id === job.job_id ? { ...entry, job: newerJob(entry.job, job) } : entry)) };
}

/**
 * The messages with a new snapshot of a job they show (from polling or a cancel request);
 * the same array when no message shows it.
 */
export function replaceJob(messages: ChatMessage[], job: Job): ChatMessage[] {
  let changed = false;
  const next = messages.map((message) => {
    if (message.role !== "assistant") return message;
    const updated = withJobSnapshot(message, job);
    if (updated !== message) changed = true;
    return updated;
  });
  return changed ? next : messages;
}

/**
 * Whether the page must ask the server about a job: it is not final and no turn streams its
 * snapshots (the answer was reloaded or restored, or its `submit_spark` call already returned
 * while the job runs on in the background).
 */
export function needsPolling(entry: MessageJob, message: Pick<AssistantMessage, "status" | "toolCalls">): boolean {
  if (isFinal(entry.job.state)) return false;
  if (message.status !== "streaming" || entry.toolCallId === null) return true;
  const call = message.toolCalls.find((c) => c.id === entry.toolCallId);
  return call !== undefined && call.result !== null;
}

/** Saved jobs of a message, read back from storage; malformed entries are dropped. */
export function restoreMessageJobs(value: unknown): MessageJob[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item) => {
    if (!isRecord(item)) return [];
    const job = parseJob(item.job);
    if (job === null) return [];
    return [{ toolCallId: typeof item.toolCallId === "string" ? item.toolCallId : null, job }];
  });
}
