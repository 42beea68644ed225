import type { PersistStorage, StorageValue } from "zustand/middleware";
import type { AssistantMessage, ChatMessage } from "../chat/chatState";
import { restoreMessageJobs } from "../job/messageJobs";
import { parseJob } from "../job/model";
import { parseDataMeta } from "../artifact/protocol";
import { isRecord, type JsonObject } from "../lib/json";
import { parseParamSpecs } from "../query/result";
import type { AppData, ArtifactData, ArtifactRecord, PersistedData, TemplateRef } from "./types";

/** localStorage key of the chat and its artifacts. */
export const STORAGE_KEY = "plotwise-chat";

/** Bump when the persisted shape changes incompatibly; older saved state is then dropped. */
export const STORAGE_VERSION = 1;

export const emptyPersisted: PersistedData = { conversationId: null, messages: [], artifacts: {}, activeArtifact: null, datasets: null };

/**
 * What is saved: the chat and artifacts, without what only makes sense while the page lives
 * (requests in flight, their errors, the turn's stage and abort handle). Query results are
 * kept once, in the artifacts; the copies a message holds while its turn streams are not.
 */
export function partialize(state: AppData): PersistedData {
  const messages = state.messages.map((m) => (m.role === "assistant" && m.data.length > 0 ? { ...m, data: [] } : m));
  const artifacts = Object.fromEntries(
    Object.entries(state.artifacts).map(([key, record]) => [key, record.loading || record.error ? { ...record, loading: null, error: null } : record]),
  );
  return { conversationId: state.conversationId, messages, artifacts, activeArtifact: state.activeArtifact, datasets: state.datasets };
}

// Saved state was written by this app at STORAGE_VERSION, but storage can be edited or cut
// short: each item is checked for the fields rendering relies on, and dropped if one is off.

function restoreMessage(value: unknown): ChatMessage | null {
  if (!isRecord(value) || typeof value.id !== "string") return null;
  if (value.role === "user") return typeof value.text === "string" ? { id: value.id, role: "user", text: value.text } : null;
  if (value.role !== "assistant" || typeof value.markdown !== "string" || typeof value.status !== "string") return null;
  const message = value as unknown as AssistantMessage;
  return {
    ...message,
    // The page unloaded while this turn streamed: nothing will finish it now.
    status: message.status === "streaming" ? "stopped" : message.status,
    toolCalls: Array.isArray(value.toolCalls) ? message.toolCalls : [],
    data: [],
    // Saved before Spark jobs existed, this field is missing.
    jobs: restoreMessageJobs(value.jobs),
    artifactKey: typeof value.artifactKey === "string" ? value.artifactKey : null,
  };
}

function jsonObject(value: unknown): JsonObject {
  return isRecord(value) ? (value as JsonObject) : {};
}

function restoreTemplateRef(value: unknown): TemplateRef | null {
  if (!isRecord(value) || typeof value.id !== "string" || typeof value.name !== "string") return null;
  return typeof value.version === "number" && Number.isFinite(value.version) ? { id: value.id, version: value.version, name: value.name } : null;
}

function restoreArtifact(key: string, value: unknown): ArtifactRecord | null {
  if (!isRecord(value) || typeof value.code !== "string" || typeof value.messageId !== "string") return null;
  const data = isRecord(value.data) && Array.isArray(value.data.columns) && Array.isArray(value.data.rows) ? (value.data as unknown as ArtifactData) : null;
  const record = value as unknown as ArtifactRecord;
  return {
    ...record,
    key,
    artifactId: typeof value.artifactId === "string" ? value.artifactId : null,
    paramSpecs: parseParamSpecs(value.paramSpecs),
    queryParams: jsonObject(value.queryParams),
    viewParams: jsonObject(value.viewParams),
    // Saved before downsampling existed, `meta` is missing: the rows were then the whole result.
    data: data === null ? null : { ...data, meta: parseDataMeta(data.meta, data.rows.length) },
    loading: null,
    error: null,
    // Saved before templates existed, these fields are missing; they are only extras.
    prompt: typeof value.prompt === "string" ? value.prompt : null,
    template: restoreTemplateRef(value.template),
    job: parseJob(value.job),
  };
}

/** Reads saved state back: streaming turns become stopped, malformed items are dropped. */
export function restore(persisted: unknown): PersistedData {
  if (!isRecord(persisted)) return emptyPersisted;
  const messages = Array.isArray(persisted.messages)
    ? persisted.messages.map(restoreMessage).filter((m): m is ChatMessage => m !== null)
    : [];
  const artifacts: Record<string, ArtifactRecord> = {};
  if (isRecord(persisted.artifacts)) {
    for (const [key, value] of Object.entries(persisted.artifacts)) {
      const record = restoreArtifact(key, value);
      if (record !== null) artifacts[key] = record;
    }
  }
  const active = persisted.activeArtifact;
  return {
    conversationId: typeof persisted.conversationId === "string" ? persisted.conversationId : null,
    messages,
    artifacts,
    activeArtifact: typeof active === "string" && active in artifacts ? active : (Object.keys(artifacts).at(-1) ?? null),
    // Saved before datasets could be picked, this field is missing: the default then.
    datasets: Array.isArray(persisted.datasets) ? persisted.datasets.filter((name): name is string => typeof name === "string") : null,
  };
}

/** The string storage the store saves to (localStorage, or a map in tests). */
export interface SyncStorage {
  getItem: (name: string) => string | null;
  setItem: (name: string, value: string) => void;
  removeItem: (name: string) => void;
}

/**
 * localStorage that never throws: a full quota or blocked storage (private mode, a sandboxed
 * page) must not break the chat, which then simply is not saved.
 */
export function safeLocalStorage(): SyncStorage {
  const storage = (): Storage | null => {
    try {
      return globalThis.localStorage ?? null;
    } catch {
      return null;
    }
  };
  return {
    getItem: (name) => {
      try {
        return storage()?.getItem(name) ?? null;
      } catch {
        return null;
      }
    },
    setItem: (name, value) => {
      try {
        storage()?.setItem(name, value);
      } catch {
        // Over quota: the previous save stays, which is the best there is.
      }
    },
    removeItem: (name) => {
      try {
        storage()?.removeItem(name);
      } catch {
        // Nothing to undo.
      }
    },
  };
}

/**
 * JSON storage that writes at most once per `delayMs`: the store changes on every streamed
 * token, and serialising all artifacts' rows each time would stall the page. Pending state is
 * written when the page is hidden or unloads, so a reload still finds it.
 */
export function deferredJsonStorage(storage: SyncStorage, delayMs: number): PersistStorage<PersistedData> {
  let pending: { name: string; value: StorageValue<PersistedData> } | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const flush = () => {
    clearTimeout(timer);
    timer = undefined;
    if (pending === null) return;
    const { name, value } = pending;
    pending = null;
    storage.setItem(name, JSON.stringify(value));
  };
  if (typeof window !== "undefined") {
    window.addEventListener("pagehide", flush);
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") flush();
    });
  }
  return {
    getItem: (name) => {
      const text = storage.getItem(name);
      if (text === null) return null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(text);
      } catch {
        return null;
      }
      if (!isRecord(parsed)) return null;
      // The state itself is checked by `restore` (the store's merge), item by item.
      return { state: parsed.state as PersistedData, version: typeof parsed.version === "number" ? parsed.version : undefined };
    },
    setItem: (name, value) => {
      pending = { name, value };
      if (delayMs <= 0) flush();
      else if (timer === undefined) timer = setTimeout(flush, delayMs);
    },
    removeItem: (name) => {
      pending = null;
      clearTimeout(timer);
      timer = undefined;
      storage.removeItem(name);
    },
  };
}
