import { describe, expect, it, vi } from "vitest";
import type { AssistantMessage, ChatAction, ChatMessage } from "../chat/chatState";
import type { ChatEvent } from "../chat/events";
import { parseConversation } from "../conversations/api";
import { needsPolling } from "../job/messageJobs";
import type { Job } from "../job/model";
import { job, jobJson, succeededJson } from "../job/testing";
import { artifactJson } from "../templates/testing";
import { createAppStore, type AppStore, type StoreDeps } from "./createAppStore";
import { newArtifact } from "./artifacts";
import { partialize, STORAGE_KEY, STORAGE_VERSION } from "./persistence";
import { CHART_CODE, dataEvent, memoryStorage, queryResult } from "./testing";
import { applyChatAction } from "./turn";
import { emptyAppData } from "./types";

// Spark jobs in the chat's state: the `job` events of a turn, snapshots from polling or a
// cancel, a reload, a restored conversation and an artifact whose rows are a job's preview.

const SQL = "SELECT * FROM flights WHERE dep_delay > 180";
const queued = job(jobJson({ state: "queued", stage: "queued", message: "Waiting for a Spark slot…", progress: {} }));
const running = job();
const succeeded = job(succeededJson());
const previewEvent = dataEvent({ query_id: "tc1", sql: SQL, row_count: 2, truncated: true, params: {}, param_specs: [], job: succeeded });

const on = (event: ChatEvent): ChatAction => ({ type: "event", id: "m1", event });
const toolCall = on({ type: "tool_call", tool_call_id: "tc1", tool: "submit_spark", args: { query: SQL, output_format: "parquet" } });
const toolResult = (rowCount: number | null) =>
  on({ type: "tool_result", tool_call_id: "tc1", tool: "submit_spark", ok: true, row_count: rowCount, truncated: false, elapsed_ms: 1, error: null });
const jobEvent = (snapshot = running) => on({ type: "job", tool_call_id: "tc1", job: snapshot });
const artifact = on({ type: "artifact", artifact_id: "a1", code: CHART_CODE, language: "tsx", query_id: "tc1", job_id: succeeded.job_id });
const preview = on(previewEvent);
const done = on({ type: "done", usage: { input_tokens: 1, output_tokens: 1, requests: 2, tool_calls: 1 }, elapsed_ms: 20000 });

function run(actions: ChatAction[]) {
  let state = { ...emptyAppData };
  for (const action of actions) state = { ...state, ...applyChatAction(state, action) };
  return state;
}

function answerOf(state: { messages: ChatMessage[] }): AssistantMessage {
  const message = state.messages[1];
  if (message?.role !== "assistant") throw new Error("no answer");
  return message;
}

describe("applyChatAction: a turn with a Spark job", () => {
  const send: ChatAction = { type: "send", userId: "u1", assistantId: "m1", text: "Every flight delayed over 3 hours" };

  it("keeps the latest snapshot per tool call, and leaves it to the stream while the call waits", () => {
    const state = run([send, toolCall, jobEvent(queued), jobEvent(running)]);
    const answer = answerOf(state);
    expect(answer.jobs).toEqual([{ toolCallId: "tc1", job: running }]);
    expect(needsPolling(answer.jobs[0]!, answer)).toBe(false);
  });

  it("ends with the final snapshot and binds the preview, job included, to the artifact", () => {
    const state = run([send, toolCall, jobEvent(queued), jobEvent(running), jobEvent(succeeded), toolResult(12345), preview, artifact, done]);
    const answer = answerOf(state);
    expect(answer.jobs).toEqual([{ toolCallId: "tc1", job: succeeded }]);
    expect(needsPolling(answer.jobs[0]!, answer)).toBe(false);
    expect(state.artifacts.a1).toMatchObject({ queryId: "tc1", data: { rowCount: 2, truncated: true }, job: { job_id: succeeded.job_id, row_count: 12345 } });
  });

  it("polls a job its call left running, even while the answer still streams", () => {
    const state = run([send, toolCall, jobEvent(running), toolResult(null), on({ type: "text", delta: "It runs in the background." })]);
    const answer = answerOf(state);
    expect(answer.status).toBe("streaming");
    expect(needsPolling(answer.jobs[0]!, answer)).toBe(true);
  });

  it("takes the job from a preview whose job events it missed", () => {
    const answer = answerOf(run([send, toolCall, preview]));
    expect(answer.jobs).toEqual([{ toolCallId: "tc1", job: succeeded }]);
  });

  it("ignores job events after the turn ended", () => {
    const answer = answerOf(run([send, toolCall, jobEvent(running), done, jobEvent(succeeded)]));
    expect(answer.jobs[0]?.job.state).toBe("running");
  });
});

function scripted(events: ChatEvent[]): StoreDeps["streamChat"] {
  return async (_request, onEvent) => {
    for (const event of events) onEvent(event);
  };
}

async function afterTurn(store: AppStore): Promise<void> {
  await vi.waitFor(() => expect(store.getState().turnAbort).toBeNull());
}

const events = (actions: ChatAction[]): ChatEvent[] => actions.flatMap((a) => (a.type === "event" ? [a.event] : []));

describe("app store: job snapshots from polling and cancelling", () => {
  it("updates the answer's job, and never back from a final state", async () => {
    const store = createAppStore({ streamChat: scripted(events([toolCall, jobEvent(running), toolResult(null), done])), storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("Every flight delayed over 3 hours");
    await afterTurn(store);
    const cancelled = job(jobJson({ state: "cancelled", stage: "done", message: "Cancelled" }));
    store.getState().updateJob(cancelled);
    expect(answerOf(store.getState()).jobs).toEqual([{ toolCallId: "tc1", job: cancelled }]);
    store.getState().updateJob(running);
    expect(answerOf(store.getState()).jobs[0]?.job.state).toBe("cancelled");
  });

  it("leaves the state alone for a job no answer shows", async () => {
    const store = createAppStore({ streamChat: scripted(events([done])), storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("Hello");
    await afterTurn(store);
    const before = store.getState().messages;
    store.getState().updateJob(succeeded);
    expect(store.getState().messages).toBe(before);
  });

  it("keeps jobs across a reload, so a running one is polled again", async () => {
    const storage = memoryStorage();
    const store = createAppStore({ streamChat: scripted(events([toolCall, jobEvent(running), toolResult(null), done])), storage, persistDelayMs: 0 });
    store.getState().send("Every flight delayed over 3 hours");
    await afterTurn(store);
    const reloaded = createAppStore({ storage, persistDelayMs: 0 }).getState();
    const answer = answerOf(reloaded);
    expect(answer.jobs).toEqual([{ toolCallId: "tc1", job: running }]);
    expect(needsPolling(answer.jobs[0]!, answer)).toBe(true);
  });

  it("restores a saved artifact's job, and drops a malformed one", () => {
    const storage = memoryStorage();
    const source = createAppStore({ storage: memoryStorage(), persistDelayMs: 0 });
    source.setState({ artifacts: { a1: previewRecord("a1", succeeded), a2: previewRecord("a2", null) } });
    const saved = partialize(source.getState());
    const broken = { ...saved, artifacts: { ...saved.artifacts, a2: { ...saved.artifacts.a2, job: { state: "succeeded" } } } };
    storage.setItem(STORAGE_KEY, JSON.stringify({ state: broken, version: STORAGE_VERSION }));
    const artifacts = createAppStore({ storage, persistDelayMs: 0 }).getState().artifacts;
    expect(artifacts.a1?.job).toEqual(succeeded);
    expect(artifacts.a2?.job).toBeNull();
  });
});

/** An artifact rendering the preview of a Spark job (or of a DuckDB query, with `job` null). */
function previewRecord(key: string, withJob: Job | null) {
  const source = { artifactId: key, code: CHART_CODE, language: "tsx", queryId: "tc1" };
  return newArtifact(key, "m1", source, queryResult({ query_id: "tc1", sql: SQL, truncated: true, job: withJob }));
}

describe("app store: a restored conversation with a Spark job", () => {
  it("shows the stored jobs, polls a running one, and reads the artifact's preview with its job", async () => {
    const conversation = parseConversation({
      id: "c1",
      title: "Late flights",
      messages: [
        { id: "m1", role: "user", content: "Every flight delayed over 3 hours" },
        { id: "m2", role: "assistant", content: "Here.", artifacts: [artifactJson({ query_id: "tc1", sql: SQL, param_specs: [], job_id: succeeded.job_id })], sql: [], jobs: [succeededJson()] },
        { id: "m3", role: "user", content: "And all of 2013?" },
        { id: "m4", role: "assistant", content: "Still running.", artifacts: [], sql: [], jobs: [jobJson({ job_id: "job_0000000000000002" }), { job_id: 3 }] },
      ],
    });
    if (conversation === null) throw new Error("fixture does not parse");
    const fetchArtifactData: StoreDeps["fetchArtifactData"] = async () => ({ ok: true, result: queryResult({ query_id: "tc1", sql: SQL, params: {}, param_specs: [], truncated: true, job: succeeded }) });
    const store = createAppStore({ fetchArtifactData, storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().loadConversation(conversation);
    const answers = store.getState().messages.filter((m): m is AssistantMessage => m.role === "assistant");
    expect(answers[0]?.jobs).toEqual([{ toolCallId: null, job: succeeded }]);
    const later = answers[1];
    expect(later?.jobs.map((entry) => entry.job.job_id)).toEqual(["job_0000000000000002"]);
    expect(later && later.jobs[0] && needsPolling(later.jobs[0], later)).toBe(true);
    await vi.waitFor(() => expect(store.getState().artifacts.art_1?.loading).toBeNull());
    expect(store.getState().artifacts.art_1).toMatchObject({ data: { rowCount: 2, truncated: true }, job: { row_count: 12345, files: [{ format: "parquet" }, { format: "csv" }] } });
  });
});
