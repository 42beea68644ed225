import { describe, expect, it, vi } from "vitest";
import { parseConversation } from "../conversations/api";
import { parseOpenedTemplate, type OpenedTemplate } from "../templates/parse";
import { artifactJson, dataJson, templateJson } from "../templates/testing";
import { createAppStore, type StoreDeps } from "./createAppStore";
import { partialize, restore } from "./persistence";
import { memoryStorage, queryResult } from "./testing";

function opened(): OpenedTemplate {
  const value = parseOpenedTemplate({ template: templateJson(), artifact: artifactJson({ artifact_id: "art_9" }), data: dataJson() });
  if (value === null) throw new Error("fixture does not parse");
  return value;
}

function conversation() {
  const value = parseConversation({
    id: "c7",
    messages: [
      { id: "m1", role: "user", content: "Flights from JFK by month" },
      { id: "m2", role: "assistant", content: "Here.", artifacts: [artifactJson()], sql: ["SELECT 1"] },
    ],
  });
  if (value === null) throw new Error("fixture does not parse");
  return value;
}

describe("app store: conversations and templates", () => {
  it("reopens a conversation, fetching its artifact's rows at default values, and continues it", async () => {
    const fetchArtifactData = vi.fn<StoreDeps["fetchArtifactData"]>(async () => ({ ok: true, result: queryResult({ query_id: "q5" }) }));
    const streamChat = vi.fn<StoreDeps["streamChat"]>(async () => {});
    const store = createAppStore({ fetchArtifactData, streamChat, storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().loadConversation(conversation());
    expect(store.getState()).toMatchObject({ conversationId: "c7", activeArtifact: "art_1" });
    expect(store.getState().artifacts.art_1?.loading).toBe("query");
    await vi.waitFor(() => expect(store.getState().artifacts.art_1?.data?.rowCount).toBe(2));
    expect(fetchArtifactData.mock.calls.map(([id, request]) => [id, request])).toEqual([["art_1", { params: { origin: "JFK" }, refresh: false }]]);
    store.getState().send("And from LGA?");
    expect(streamChat.mock.calls[0]?.[0]).toEqual({ message: "And from LGA?", conversation_id: "c7" });
  });

  it("opens a template into the chat unless a turn streams", () => {
    const stream: StoreDeps["streamChat"] = () => new Promise(() => {});
    const store = createAppStore({ streamChat: stream, storage: memoryStorage(), persistDelayMs: 0 });
    expect(store.getState().openTemplate(opened())).toBe(true);
    expect(store.getState().activeArtifact).toBe("art_9");
    store.getState().send("Another question");
    expect(store.getState().openTemplate(opened())).toBe(false);
    expect(Object.keys(store.getState().artifacts)).toEqual(["art_9"]);
  });

  it("remembers a saved template on the artifact, across a reload", () => {
    const storage = memoryStorage();
    const store = createAppStore({ storage, persistDelayMs: 0 });
    store.getState().openTemplate(opened());
    store.getState().setArtifactTemplate("art_9", { id: "tpl_1", version: 4, name: "Flights" });
    const restored = restore(JSON.parse(JSON.stringify(partialize(store.getState()))));
    expect(restored.artifacts.art_9).toMatchObject({ template: { id: "tpl_1", version: 4, name: "Flights" }, prompt: "Number of flights from JFK by month" });
    const reloaded = createAppStore({ storage, persistDelayMs: 0 });
    expect(reloaded.getState().artifacts.art_9?.template).toEqual({ id: "tpl_1", version: 4, name: "Flights" });
  });

  it("reads records saved before templates existed, and drops a malformed template reference", () => {
    const saved = { messages: [], artifacts: { a1: { code: "x", messageId: "m1", template: { id: "t", version: "2", name: "n" } } } };
    expect(restore(saved).artifacts.a1).toMatchObject({ template: null, prompt: null });
  });

  it("starts a new chat keeping nothing of the old one", () => {
    const storage = memoryStorage();
    const store = createAppStore({ storage, persistDelayMs: 0 });
    store.getState().loadConversation(conversation());
    store.getState().newChat();
    expect(store.getState()).toMatchObject({ conversationId: null, messages: [], artifacts: {}, activeArtifact: null });
  });
});

describe("app store: the conversation's active datasets", () => {
  it("sends the picked datasets with each turn, and none before a pick or when all are unchecked", async () => {
    const streamChat = vi.fn<StoreDeps["streamChat"]>(async () => {});
    const store = createAppStore({ streamChat, storage: memoryStorage(), persistDelayMs: 0 });
    store.getState().send("first");
    await vi.waitFor(() => expect(store.getState().turnAbort).toBeNull());
    store.getState().setDatasets(["sales", "nycflights13"]);
    store.getState().send("second");
    await vi.waitFor(() => expect(store.getState().turnAbort).toBeNull());
    store.getState().setDatasets([]);
    store.getState().send("third");
    expect(streamChat.mock.calls.map(([request]) => request)).toEqual([
      { message: "first" },
      { message: "second", datasets: ["sales", "nycflights13"] },
      { message: "third" },
    ]);
  });

  it("takes a reopened conversation's datasets, keeps them across a reload, and forgets them on a new chat", () => {
    const storage = memoryStorage();
    const store = createAppStore({ storage, persistDelayMs: 0 });
    const stored = parseConversation({ id: "c8", messages: [], datasets: ["sales", 3] });
    if (stored === null) throw new Error("fixture does not parse");
    store.getState().loadConversation(stored);
    expect(store.getState().datasets).toEqual(["sales"]);
    expect(createAppStore({ storage, persistDelayMs: 0 }).getState().datasets).toEqual(["sales"]);
    store.getState().newChat();
    expect(store.getState().datasets).toBeNull();
    store.getState().loadConversation(conversation());
    expect(store.getState().datasets).toBeNull();
  });

  it("reads state saved before datasets could be picked as the default", () => {
    expect(restore({ messages: [], artifacts: {} }).datasets).toBeNull();
    expect(restore({ messages: [], artifacts: {}, datasets: ["a", null, "b"] }).datasets).toEqual(["a", "b"]);
  });
});
