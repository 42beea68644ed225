import { describe, expect, it, vi } from "vitest";
import { chatReducer } from "../chat/chatState";
import { createAppStore } from "./createAppStore";
import { newArtifact, withLoading } from "./artifacts";
import { deferredJsonStorage, emptyPersisted, partialize, restore, STORAGE_KEY, STORAGE_VERSION } from "./persistence";
import { CHART_CODE, dataEvent, memoryStorage, queryResult } from "./testing";
import { emptyAppData, type AppData } from "./types";

function streamingState(): AppData {
  let chat = chatReducer({ conversationId: "c1", messages: [] }, { type: "send", userId: "u1", assistantId: "m1", text: "Flights?" });
  chat = chatReducer(chat, { type: "event", id: "m1", event: dataEvent() });
  chat = chatReducer(chat, { type: "event", id: "m1", event: { type: "text", delta: "Half an ans" } });
  const source = { artifactId: "a1", code: CHART_CODE, language: "tsx", queryId: "q1" };
  const record = withLoading(newArtifact("a1", "m1", source, queryResult()), "refresh");
  return {
    ...emptyAppData,
    ...chat,
    artifacts: { a1: { ...record, viewParams: { color: "#ff0000" } } },
    activeArtifact: "a1",
    turnStage: "answer",
    turnAbort: new AbortController(),
  };
}

describe("partialize", () => {
  it("saves chat and artifacts without what only lives with the page", () => {
    const saved = partialize(streamingState());
    expect(Object.keys(saved).sort()).toEqual(["activeArtifact", "artifacts", "conversationId", "datasets", "messages"]);
    expect(saved.messages[1]).toMatchObject({ role: "assistant", status: "streaming", data: [] });
    expect(saved.artifacts.a1).toMatchObject({ loading: null, error: null, viewParams: { color: "#ff0000" }, data: { rowCount: 2 } });
    expect(() => JSON.stringify(saved)).not.toThrow();
  });
});

describe("restore", () => {
  it("shows a turn that was streaming at unload as stopped, and keeps rows and params", () => {
    const restored = restore(JSON.parse(JSON.stringify(partialize(streamingState()))));
    expect(restored.messages.map((m) => m.role === "assistant" && m.status)).toEqual([false, "stopped"]);
    expect(restored.artifacts.a1).toMatchObject({ code: CHART_CODE, viewParams: { color: "#ff0000" }, queryParams: { origin: "JFK" }, loading: null });
    expect(restored.artifacts.a1?.data?.rows).toEqual([[1, 9000], [2, 8000]]);
    expect(restored.activeArtifact).toBe("a1");
    expect(restored.conversationId).toBe("c1");
  });

  it("drops malformed items and falls back for a missing active artifact", () => {
    const restored = restore({
      conversationId: 7,
      messages: [{ id: "u1", role: "user", text: "hi" }, { id: "x", role: "robot" }, null, { id: "m1", role: "assistant", status: "done", markdown: "ok" }],
      artifacts: { a1: { code: 1 }, a2: { code: "x", messageId: "m1", data: "nope" } },
      activeArtifact: "gone",
    });
    expect(restored.conversationId).toBeNull();
    expect(restored.messages.map((m) => m.id)).toEqual(["u1", "m1"]);
    expect(restored.messages[1]).toMatchObject({ toolCalls: [], data: [], artifactKey: null });
    expect(Object.keys(restored.artifacts)).toEqual(["a2"]);
    expect(restored.artifacts.a2).toMatchObject({ data: null, paramSpecs: [], viewParams: {}, artifactId: null });
    expect(restored.activeArtifact).toBe("a2");
  });

  it("reads rows saved before downsampling existed as the whole result, and keeps a saved meta", () => {
    const saved = JSON.parse(JSON.stringify(partialize(streamingState())));
    delete saved.artifacts.a1.data.meta;
    expect(restore(saved).artifacts.a1?.data?.meta).toEqual({ downsampled: false, original_row_count: 2, downsample: null });
    const meta = { downsampled: true, original_row_count: 50_000, downsample: "lttb" };
    saved.artifacts.a1.data.meta = meta;
    expect(restore(saved).artifacts.a1?.data?.meta).toEqual(meta);
  });

  it("gives the empty state for garbage", () => {
    expect(restore("nonsense")).toEqual(emptyPersisted);
    expect(restore(null)).toEqual(emptyPersisted);
  });
});

describe("store persistence", () => {
  it("rehydrates a saved chat in a new store, as after a reload", () => {
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEY, JSON.stringify({ state: partialize(streamingState()), version: STORAGE_VERSION }));
    const store = createAppStore({ storage, persistDelayMs: 0 });
    const state = store.getState();
    expect(state.messages).toHaveLength(2);
    expect(state.messages[1]).toMatchObject({ status: "stopped", markdown: "Half an ans" });
    expect(state.artifacts.a1?.data?.rowCount).toBe(2);
    expect(state.activeArtifact).toBe("a1");
    expect(state.turnAbort).toBeNull();
    expect(typeof state.send).toBe("function");
  });

  it("ignores state saved by another version", () => {
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEY, JSON.stringify({ state: partialize(streamingState()), version: STORAGE_VERSION + 1 }));
    expect(createAppStore({ storage, persistDelayMs: 0 }).getState().messages).toEqual([]);
  });
});

describe("deferredJsonStorage", () => {
  it("writes at most once per delay, the latest state, and drops a pending write on remove", () => {
    vi.useFakeTimers();
    try {
      const storage = memoryStorage();
      const deferred = deferredJsonStorage(storage, 500);
      const value = (conversationId: string) => ({ state: { ...emptyPersisted, conversationId }, version: STORAGE_VERSION });
      deferred.setItem(STORAGE_KEY, value("c1"));
      deferred.setItem(STORAGE_KEY, value("c2"));
      expect(storage.items.size).toBe(0);
      vi.advanceTimersByTime(500);
      expect(JSON.parse(storage.items.get(STORAGE_KEY) ?? "null")).toEqual(value("c2"));
      expect(deferred.getItem(STORAGE_KEY)).toEqual(value("c2"));
      deferred.setItem(STORAGE_KEY, value("c3"));
      deferred.removeItem(STORAGE_KEY);
      vi.advanceTimersByTime(500);
      expect(storage.items.size).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it("reads unparseable storage as nothing saved", () => {
    const storage = memoryStorage();
    storage.setItem(STORAGE_KEY, "{not json");
    expect(deferredJsonStorage(storage, 0).getItem(STORAGE_KEY)).toBeNull();
  });
});
