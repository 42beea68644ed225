import { describe, expect, it } from "vitest";
import type { ChatMessage, ToolCall } from "../chat/chatState";
import { needsPolling, newerJob, replaceJob, restoreMessageJobs, upsertJob, type MessageJob } from "./messageJobs";
import { job, jobJson, succeededJson } from "./testing";

const running = job();
const done = job(succeededJson());
const other = job(jobJson({ job_id: "job_ffffffffffffffff" }));

describe("upsertJob", () => {
  it("adds a job, then keeps only the latest snapshot of its tool call", () => {
    let jobs = upsertJob([], "tc1", job(jobJson({ state: "queued" })));
    jobs = upsertJob(jobs, "tc1", running);
    jobs = upsertJob(jobs, "tc2", other);
    jobs = upsertJob(jobs, "tc1", done);
    expect(jobs).toEqual([
      { toolCallId: "tc1", job: done },
      { toolCallId: "tc2", job: other },
    ]);
  });

  it("matches a job by id when the entry has no tool call, and takes the call's id", () => {
    expect(upsertJob([{ toolCallId: null, job: running }], "tc9", done)).toEqual([{ toolCallId: "tc9", job: done }]);
  });

  it("never lets an older running snapshot replace a final one", () => {
    expect(newerJob(done, running)).toBe(done);
    expect(newerJob(running, done)).toBe(done);
    expect(upsertJob([{ toolCallId: "tc1", job: done }], "tc1", running)).toEqual([{ toolCallId: "tc1", job: done }]);
  });
});

function answer(jobs: MessageJob[], overrides: Partial<Extract<ChatMessage, { role: "assistant" }>> = {}): ChatMessage {
  return {
    id: "m1",
    role: "assistant",
    status: "done",
    model: null,
    markdown: "",
    stage: null,
    toolCalls: [],
    data: [],
    jobs,
    artifact: null,
    artifactKey: null,
    error: null,
    usage: null,
    elapsedMs: null,
    ...overrides,
  };
}

describe("replaceJob", () => {
  it("updates the message that shows the job, and only that", () => {
    const messages: ChatMessage[] = [{ id: "u1", role: "user", text: "Late flights" }, answer([{ toolCallId: "tc1", job: running }]), answer([{ toolCallId: "tc2", job: other }], { id: "m2" })];
    const next = replaceJob(messages, done);
    expect(next[1]).toMatchObject({ jobs: [{ toolCallId: "tc1", job: done }] });
    expect(next[0]).toBe(messages[0]);
    expect(next[2]).toBe(messages[2]);
  });

  it("gives the same array back when no message shows the job", () => {
    const messages = [answer([{ toolCallId: "tc2", job: other }])];
    expect(replaceJob(messages, done)).toBe(messages);
  });
});

describe("needsPolling", () => {
  const call = (result: ToolCall["result"]): ToolCall => ({ id: "tc1", tool: "submit_spark", args: { query: "SELECT 1" }, result });
  const toolResult: ToolCall["result"] = { type: "tool_result", tool_call_id: "tc1", tool: "submit_spark", ok: true, row_count: null, truncated: false, elapsed_ms: 30000, error: null };
  const entry: MessageJob = { toolCallId: "tc1", job: running };

  it("leaves a job to the turn while its call waits for it", () => {
    expect(needsPolling(entry, { status: "streaming", toolCalls: [call(null)] })).toBe(false);
  });

  it("polls once the call returned with the job still running, or the turn is over", () => {
    expect(needsPolling(entry, { status: "streaming", toolCalls: [call(toolResult)] })).toBe(true);
    expect(needsPolling(entry, { status: "done", toolCalls: [call(null)] })).toBe(true);
    expect(needsPolling(entry, { status: "stopped", toolCalls: [] })).toBe(true);
    expect(needsPolling({ toolCallId: null, job: running }, { status: "streaming", toolCalls: [] })).toBe(true);
  });

  it("never polls a final job", () => {
    expect(needsPolling({ toolCallId: "tc1", job: done }, { status: "done", toolCalls: [] })).toBe(false);
  });
});

describe("restoreMessageJobs", () => {
  it("reads saved entries back and drops malformed ones", () => {
    const saved = JSON.parse(JSON.stringify([{ toolCallId: "tc1", job: done }, { toolCallId: 3, job: running }, { toolCallId: "tc3", job: { state: "running" } }, "junk"]));
    expect(restoreMessageJobs(saved)).toEqual([
      { toolCallId: "tc1", job: done },
      { toolCallId: null, job: running },
    ]);
    expect(restoreMessageJobs(undefined)).toEqual([]);
  });
});
