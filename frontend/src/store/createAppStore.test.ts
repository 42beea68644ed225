import { describe, expect, it, vi } from "vitest";
import type { ChatEvent } from "../chat/events";
import type { ChatRequest } from "../chat/sse";
import type { ArtifactDataRequest, ArtifactDataResponse } from "../query/api";
import { createAppStore, type AppStore, type StoreDeps } from "./createAppStore";
import { STORAGE_KEY } from "./persistence";
import { CHART_CODE, dataEvent, memoryStorage, queryResult } from "./testing";

const TURN: ChatEvent[] = [
  { type: "meta", conversation_id: "c1", turn_id: "t1", model: "m" },
  { type: "stage", stage: "query", message: "Running SQL" },
  dataEvent(),
  { type: "text", delta: "Here it is.\n\n```tsx\n" + CHART_CODE + "\n```\n" },
  { type: "artifact", artifact_id: "a1", code: CHART_CODE, language: "tsx", query_id: "q1", job_id: null },
  { type: "done", usage: { input_tokens: 1, output_tokens: 1, requests: 1, tool_calls: 1 }, elapsed_ms: 10 },
];

function scripted(events: ChatEvent[], requests: ChatRequest[] = []): StoreDeps["streamChat"] {
  return async (request, onEvent) => {
    requests.push(request);
    for (const event of events) onEvent(event);
  };
}

type DataCall = { artifactId: string; request: ArtifactDataRequest; signal: AbortSignal };

function dataServer(answer: (call: DataCall) => ArtifactDataResponse) {
  const calls: DataCall[] = [];
  const fetchArtifactData: StoreDeps["fetchArtifactData"] = async (artifactId, request, signal) => {
    const call = { artifactId, request, signal };
    calls.push(call);
    return answer(call);
  };
  return { calls, fetchArtifactData };
}

async function afterTurn(store: AppStore): Promise<void> {
  await vi.waitFor(() => expect(store.getState().turnAbort).toBeNull());
}

describe("app store: a chat turn", () => {
  it("adds the messages, binds the artifact to its data and makes it active", async () => {
    const store = createAppStore({ streamChat: scripted(TURN), storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("Flights from JFK by month");
    await afterTurn(store);
    const { messages, artifacts, activeArtifact, conversationId, turnStage } = store.getState();
    expect(messages.map((m) => m.role)).toEqual(["user", "assistant"]);
    expect(conversationId).toBe("c1");
    expect(turnStage).toBeNull();
    expect(activeArtifact).toBe("a1");
    const record = artifacts.a1;
    expect(record).toMatchObject({
      artifactId: "a1",
      messageId: messages[1]?.id,
      code: CHART_CODE,
      queryId: "q1",
      queryParams: { origin: "JFK" },
      viewParams: {},
      fetchedAt: "2026-11-21T08:00:00Z",
      dataVersion: "v1",
      data: { rowCount: 2, truncated: false },
      loading: null,
    });
    expect(record?.paramSpecs.map((s) => s.name)).toEqual(["origin"]);
    expect(messages[1]).toMatchObject({ role: "assistant", status: "done", artifactKey: "a1" });
  });

  it("sends the conversation id on the next turn and keeps an older artifact under a reused id", async () => {
    const requests: ChatRequest[] = [];
    const store = createAppStore({ streamChat: scripted(TURN, requests), storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("first");
    await afterTurn(store);
    store.getState().send("second");
    await afterTurn(store);
    expect(requests).toEqual([{ message: "first" }, { message: "second", conversation_id: "c1" }]);
    const keys = Object.keys(store.getState().artifacts);
    expect(keys).toHaveLength(2);
    expect(store.getState().activeArtifact).toBe(keys[1]);
  });

  it("tracks the stage while streaming, stops the turn on the server and marks it stopped", async () => {
    let release: () => void = () => {};
    const stream: StoreDeps["streamChat"] = (_request, onEvent, signal) =>
      new Promise((_resolve, reject) => {
        onEvent({ type: "meta", conversation_id: "c1", turn_id: "t1", model: "m", resume_token: "tok" });
        onEvent({ type: "stage", stage: "query", message: "Running SQL" });
        release = () => reject(new DOMException("aborted", "AbortError"));
        signal.addEventListener("abort", () => release());
      });
    const stopped: string[][] = [];
    const stopTurn: StoreDeps["stopTurn"] = async (turnId, token) => {
      stopped.push([turnId, token]);
    };
    const store = createAppStore({ streamChat: stream, stopTurn, storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("slow");
    expect(store.getState().turnStage).toBe("query");
    store.getState().send("ignored while streaming");
    expect(store.getState().messages).toHaveLength(2);
    store.getState().stop();
    // Stop reaches the server (the turn and its query end there at once), then the stream ends.
    expect(stopped).toEqual([["t1", "tok"]]);
    await afterTurn(store);
    expect(store.getState().messages[1]).toMatchObject({ status: "stopped" });
    expect(store.getState().turnStage).toBeNull();
  });
});

describe("app store: parameters and data", () => {
  async function withArtifact(answer: (call: DataCall) => ArtifactDataResponse) {
    const server = dataServer(answer);
    const storage = memoryStorage();
    const store = createAppStore({ streamChat: scripted(TURN), fetchArtifactData: server.fetchArtifactData, storage, persistDelayMs: 0 });
    store.getState().send("Flights from JFK by month");
    await afterTurn(store);
    return { store, server, storage };
  }

  it("changes a view parameter without any request", async () => {
    const { store, server } = await withArtifact(() => ({ ok: true, result: queryResult() }));
    store.getState().setViewParam("a1", "color", "#ff0000");
    expect(store.getState().artifacts.a1?.viewParams).toEqual({ color: "#ff0000" });
    store.getState().resetViewParams("a1");
    expect(store.getState().artifacts.a1?.viewParams).toEqual({});
    expect(server.calls).toHaveLength(0);
  });

  it("re-runs the query with all current values and applies the response, keeping the code", async () => {
    const lga = queryResult({ query_id: "q2", rows: [[1, 5000]], row_count: 1, params: { origin: "LGA" }, fetched_at: "2026-11-21T08:05:00Z", data_version: "v2", cache: { key: "k2", hit: true, stored_at: null, expires_at: null } });
    const { store, server } = await withArtifact(() => ({ ok: true, result: lga }));
    store.getState().setQueryParam("a1", "origin", "LGA");
    expect(store.getState().artifacts.a1?.loading).toBe("query");
    await vi.waitFor(() => expect(store.getState().artifacts.a1?.loading).toBeNull());
    expect(server.calls.map((c) => [c.artifactId, c.request])).toEqual([["a1", { params: { origin: "LGA" }, refresh: false }]]);
    expect(store.getState().artifacts.a1).toMatchObject({
      code: CHART_CODE,
      queryId: "q2",
      queryParams: { origin: "LGA" },
      data: { rows: [[1, 5000]], rowCount: 1 },
      fetchedAt: "2026-11-21T08:05:00Z",
      dataVersion: "v2",
      cache: { hit: true },
      error: null,
    });
  });

  it("refreshes with refresh: true and resets query parameters to their defaults", async () => {
    const { store, server } = await withArtifact(() => ({ ok: true, result: queryResult({ fetched_at: "2026-11-21T09:00:00Z" }) }));
    store.getState().refreshData("a1");
    expect(store.getState().artifacts.a1?.loading).toBe("refresh");
    await vi.waitFor(() => expect(store.getState().artifacts.a1?.fetchedAt).toBe("2026-11-21T09:00:00Z"));
    store.getState().setQueryParam("a1", "origin", "EWR");
    store.getState().resetQueryParams("a1");
    await vi.waitFor(() => expect(store.getState().artifacts.a1?.loading).toBeNull());
    expect(server.calls.map((c) => c.request)).toEqual([
      { params: { origin: "JFK" }, refresh: true },
      { params: { origin: "EWR" }, refresh: false },
      { params: { origin: "JFK" }, refresh: false },
    ]);
    expect(server.calls[1]?.signal.aborted).toBe(true);
  });

  it("keeps the previous data when the server refuses the values, and shows its message", async () => {
    const error = { code: "bad_request", message: "parameter 'origin' must be one of EWR, JFK, LGA", stage: null, recoverable: false, trace_id: null };
    const { store } = await withArtifact(() => ({ ok: false, error }));
    store.getState().setQueryParam("a1", "origin", "XXX");
    await vi.waitFor(() => expect(store.getState().artifacts.a1?.error).toEqual(error));
    expect(store.getState().artifacts.a1).toMatchObject({ loading: null, queryId: "q1", data: { rowCount: 2 } });
  });

  it("clears messages, artifacts, the conversation and the saved copy", async () => {
    const { store, storage } = await withArtifact(() => ({ ok: true, result: queryResult() }));
    expect(storage.items.has(STORAGE_KEY)).toBe(true);
    store.getState().clearHistory();
    expect(store.getState()).toMatchObject({ messages: [], artifacts: {}, activeArtifact: null, conversationId: null });
    expect(storage.items.has(STORAGE_KEY)).toBe(false);
  });
});

describe("app store: Fix it", () => {
  it("sends the artifact's error back as a new turn of the same conversation", async () => {
    const requests: ChatRequest[] = [];
    const store = createAppStore({ streamChat: scripted(TURN, requests), storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("Flights from JFK by month");
    await afterTurn(store);
    const error = `Render error: TypeError: x is undefined ${"!".repeat(3000)}`;
    store.getState().fixArtifact("a1", error);
    await afterTurn(store);
    expect(requests).toHaveLength(2);
    const fix = requests[1];
    expect(fix?.conversation_id).toBe("c1");
    expect(fix?.fix).toEqual({ artifact_id: "a1", error: error.slice(0, 2000) });
    expect(fix?.message.startsWith("Fix the chart: Render error: TypeError: x is undefined")).toBe(true);
    expect(fix?.message.length).toBeLessThan(400);
    expect(store.getState().messages.map((m) => m.role)).toEqual(["user", "assistant", "user", "assistant"]);
  });

  it("does nothing for an artifact the server never announced", () => {
    const requests: ChatRequest[] = [];
    const store = createAppStore({ streamChat: scripted(TURN, requests), storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().fixArtifact("missing", "Render error: boom");
    expect(requests).toHaveLength(0);
    expect(store.getState().messages).toHaveLength(0);
  });
});

describe("app store: the model", () => {
  it("names the model picked when each turn starts, Fix it included", async () => {
    const requests: ChatRequest[] = [];
    let model: string | null = "openai:gpt-4.1";
    const store = createAppStore({ streamChat: scripted(TURN, requests), storage: memoryStorage(), requestModel: () => model, persistDelayMs: 0 });
    store.getState().send("first");
    await afterTurn(store);
    model = "local";
    store.getState().fixArtifact("a1", "Render error: boom");
    await afterTurn(store);
    expect(requests.map((r) => r.model)).toEqual(["openai:gpt-4.1", "local"]);
    expect(requests[0]).toEqual({ message: "first", model: "openai:gpt-4.1" });
  });

  it("names no model before the configuration is known", async () => {
    const requests: ChatRequest[] = [];
    const store = createAppStore({ streamChat: scripted(TURN, requests), storage: memoryStorage(), requestModel: () => null, persistDelayMs: 0 });
    store.getState().send("first");
    await afterTurn(store);
    expect(requests).toEqual([{ message: "first" }]);
  });
});
