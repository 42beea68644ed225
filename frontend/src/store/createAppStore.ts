import { persist } from "zustand/middleware";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { ChatAction } from "../chat/chatState";
import type { ChatEvent } from "../chat/events";
import { clientErrorBody, stopTurn, streamChat, type ChatRequest } from "../chat/sse";
import type { StoredConversation } from "../conversations/api";
import { conversationToData, refetchable } from "../conversations/restore";
import { replaceJob } from "../job/messageJobs";
import type { Job } from "../job/model";
import type { JsonValue } from "../lib/json";
import { requestDatasets } from "../datasets/picker";
import { currentRequestModel } from "../model/modelStore";
import { buildDataRequest, defaultQueryParams, fetchArtifactData } from "../query/api";
import { addOpenedTemplate } from "../templates/open";
import type { OpenedTemplate } from "../templates/parse";
import { updateArtifact, withError, withLoading, withParam, withResult } from "./artifacts";
import {
  deferredJsonStorage,
  emptyPersisted,
  partialize,
  restore,
  safeLocalStorage,
  STORAGE_KEY,
  STORAGE_VERSION,
  type SyncStorage,
} from "./persistence";
import { applyChatAction } from "./turn";
import { emptyAppData, type AppData, type ArtifactRecord, type DataLoading, type PersistedData, type TemplateRef } from "./types";

/** What the UI can do; every change to the state goes through one of these. */
export interface AppActions {
  /** Starts a turn; ignored while another turn streams or when `text` is blank. */
  send: (text: string) => void;
  /**
   * "Fix it": starts a turn that sends the artifact's error back to the model, which answers
   * with a corrected component; ignored while another turn streams or before the server
   * announced the artifact.
   */
  fixArtifact: (key: string, error: string) => void;
  /** Aborts the turn in flight (the server then cancels the run). */
  stop: () => void;
  /** Shows an artifact in the sidebar; `reveal` also unfolds the sidebar on narrow screens. */
  setActiveArtifact: (key: string, reveal?: boolean) => void;
  setSidebarOpen: (open: boolean) => void;
  /** Changes a view parameter: the frame re-renders, nothing is fetched. */
  setViewParam: (key: string, name: string, value: JsonValue) => void;
  resetViewParams: (key: string) => void;
  /** Changes a query parameter and re-runs the artifact's SQL with all current values. */
  setQueryParam: (key: string, name: string, value: JsonValue) => void;
  resetQueryParams: (key: string) => void;
  /** Re-runs the artifact's SQL bypassing the server's result cache. */
  refreshData: (key: string) => void;
  /** Forgets the conversation, its messages and artifacts in this browser (the server keeps its copy). */
  clearHistory: () => void;
  /** Starts a fresh conversation; the one left stays on the server. */
  newChat: () => void;
  /** Replaces the chat with a stored conversation and fetches its artifacts' rows again. */
  loadConversation: (conversation: StoredConversation) => void;
  /** Adds an opened template to the chat; returns false (and adds nothing) while a turn streams. */
  openTemplate: (opened: OpenedTemplate) => boolean;
  /**
   * Sets the conversation's active datasets for the next turns (null: the default). Only the
   * client's state: the caller tells the server (PUT /api/conversations/{id}/datasets).
   */
  setDatasets: (datasets: string[] | null) => void;
  /** Remembers the template an artifact was saved as (or a new version of it). */
  setArtifactTemplate: (key: string, template: TemplateRef) => void;
  /**
   * A newer snapshot of a Spark job an answer shows (polled, or a cancel request's answer);
   * a final state is never replaced by an older running one.
   */
  updateJob: (job: Job) => void;
}

export type AppState = AppData & AppActions;
export type AppStore = StoreApi<AppState>;

/** Network and storage the store uses; tests pass fakes. */
export interface StoreDeps {
  streamChat: typeof streamChat;
  /** Stop on the server (`DELETE /api/turns/{id}`): the turn and its query end at once. */
  stopTurn: typeof stopTurn;
  fetchArtifactData: typeof fetchArtifactData;
  storage: SyncStorage;
  /** The model a new turn names, null for the server's default (read as each turn starts). */
  requestModel: () => string | null;
  /** Saves happen at most this often (0: on every change, as tests want). */
  persistDelayMs: number;
}

/** Longest error a "Fix it" request carries (the server's limit, and the sandbox's). */
export const MAX_FIX_ERROR = 2000;

/** Longest part of the error repeated in the chat message a "Fix it" sends. */
const FIX_MESSAGE_ERROR = 300;

/** How often the app saves to localStorage at most, in milliseconds. */
export const PERSIST_DELAY_MS = 500;

let nextId = 0;
// Unique across reloads (ids are saved); crypto.randomUUID is missing outside secure contexts.
function newId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${Date.now().toString(36)}-${nextId}`;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Creates the app's store, persisted to `deps.storage` (localStorage by default). */
export function createAppStore(overrides: Partial<StoreDeps> = {}): AppStore {
  const deps: StoreDeps = {
    streamChat,
    stopTurn,
    fetchArtifactData,
    storage: safeLocalStorage(),
    requestModel: currentRequestModel,
    persistDelayMs: PERSIST_DELAY_MS,
    ...overrides,
  };
  // One data request per artifact: a newer one aborts the older, so the latest values win.
  const dataRequests = new Map<string, AbortController>();
  // The running turn as the server knows it (from its meta event), for Stop.
  let serverTurn: { id: string; token: string } | null = null;
  const stopServerTurn = () => {
    if (serverTurn !== null) void deps.stopTurn(serverTurn.id, serverTurn.token);
    serverTurn = null;
  };

  return createStore<AppState>()(
    persist<AppState, [], [], PersistedData>(
      (set, get, api) => {
        const dispatch = (action: ChatAction) => set((state) => applyChatAction(state, action));
        const setRecord = (key: string, update: (record: ArtifactRecord) => ArtifactRecord) =>
          set((state) => ({ artifacts: updateArtifact(state.artifacts, key, update) }));

        const loadData = (key: string, loading: DataLoading) => {
          const record = get().artifacts[key];
          if (record === undefined || record.artifactId === null) return;
          dataRequests.get(key)?.abort();
          const abort = new AbortController();
          dataRequests.set(key, abort);
          setRecord(key, (r) => withLoading(r, loading));
          const request = buildDataRequest(record.paramSpecs, record.queryParams, loading === "refresh");
          deps
            .fetchArtifactData(record.artifactId, request, abort.signal)
            .then((response) => {
              if (abort.signal.aborted) return;
              setRecord(key, (r) => (response.ok ? withResult(r, response.result) : withError(r, response.error)));
            })
            .catch((error: unknown) => {
              if (isAbort(error) || abort.signal.aborted) return;
              const detail = error instanceof Error ? error.message : String(error);
              setRecord(key, (r) => withError(r, clientErrorBody("client_error", detail)));
            })
            .finally(() => {
              if (dataRequests.get(key) === abort) dataRequests.delete(key);
            });
        };

        // Stops whatever is in flight and empties the chat (the server's copy stays).
        const reset = () => {
          stopServerTurn();
          get().turnAbort?.abort();
          for (const abort of dataRequests.values()) abort.abort();
          dataRequests.clear();
          set({ ...emptyAppData });
        };

        const send = (text: string, fix?: ChatRequest["fix"]) => {
          const message = text.trim();
          if (!message || get().turnAbort !== null) return;
          const assistantId = newId("assistant");
          const abort = new AbortController();
          let ended = false;
          dispatch({ type: "send", userId: newId("user"), assistantId, text: message });
          set({ turnAbort: abort });
          const conversationId = get().conversationId;
          const onEvent = (event: ChatEvent) => {
            // Events already decoded when the turn was stopped or the history cleared.
            if (abort.signal.aborted) return;
            if (event.type === "meta" && event.resume_token !== undefined) serverTurn = { id: event.turn_id, token: event.resume_token };
            if (event.type === "done" || event.type === "error") {
              ended = true;
              serverTurn = null;
            }
            dispatch({ type: "event", id: assistantId, event });
          };
          const request: ChatRequest = conversationId === null ? { message } : { message, conversation_id: conversationId };
          if (fix !== undefined) request.fix = fix;
          const model = deps.requestModel();
          if (model !== null) request.model = model;
          const datasets = requestDatasets(get().datasets);
          if (datasets !== null) request.datasets = datasets;
          deps
            .streamChat(request, onEvent, abort.signal)
            .then(() => {
              if (!ended) dispatch({ type: "ended", id: assistantId, error: null });
            })
            .catch((error: unknown) => {
              if (isAbort(error)) {
                dispatch({ type: "stopped", id: assistantId });
                return;
              }
              const detail = error instanceof Error ? error.message : String(error);
              dispatch({ type: "ended", id: assistantId, error: clientErrorBody("network_error", `Could not reach the server: ${detail}`) });
            })
            .finally(() => {
              if (get().turnAbort !== abort) return;
              serverTurn = null;
              set({ turnAbort: null });
            });
        };

        return {
          ...emptyAppData,
          send: (text) => send(text),
          fixArtifact: (key, error) => {
            const artifactId = get().artifacts[key]?.artifactId ?? null;
            if (artifactId === null) return;
            const shown = error.length > FIX_MESSAGE_ERROR ? `${error.slice(0, FIX_MESSAGE_ERROR)}…` : error;
            send(`Fix the chart: ${shown}`, { artifact_id: artifactId, error: error.slice(0, MAX_FIX_ERROR) });
          },
          stop: () => {
            stopServerTurn();
            get().turnAbort?.abort();
          },
          setActiveArtifact: (key, reveal = false) => {
            if (key in get().artifacts) set(reveal ? { activeArtifact: key, sidebarOpen: true } : { activeArtifact: key });
          },
          setSidebarOpen: (open) => set({ sidebarOpen: open }),
          setViewParam: (key, name, value) => setRecord(key, (r) => withParam(r, "viewParams", name, value)),
          resetViewParams: (key) => setRecord(key, (r) => ({ ...r, viewParams: {} })),
          setQueryParam: (key, name, value) => {
            setRecord(key, (r) => withParam(r, "queryParams", name, value));
            loadData(key, "query");
          },
          resetQueryParams: (key) => {
            setRecord(key, (r) => ({ ...r, queryParams: defaultQueryParams(r.paramSpecs) }));
            loadData(key, "query");
          },
          refreshData: (key) => loadData(key, "refresh"),
          clearHistory: () => {
            reset();
            api.persist.clearStorage();
          },
          newChat: reset,
          loadConversation: (conversation) => {
            reset();
            set(conversationToData(conversation));
            for (const key of refetchable(get().artifacts)) loadData(key, "query");
          },
          openTemplate: (opened) => {
            if (get().turnAbort !== null) return false;
            set((state) => addOpenedTemplate(state, opened, newId("template")));
            return true;
          },
          setDatasets: (datasets) => set({ datasets: datasets === null ? null : [...datasets] }),
          setArtifactTemplate: (key, template) => setRecord(key, (r) => ({ ...r, template })),
          updateJob: (job) =>
            set((state) => {
              const messages = replaceJob(state.messages, job);
              return messages === state.messages ? state : { messages };
            }),
        };
      },
      {
        name: STORAGE_KEY,
        version: STORAGE_VERSION,
        storage: deferredJsonStorage(deps.storage, deps.persistDelayMs),
        partialize,
        // Nothing older than version 1 was ever saved; anything else is dropped.
        migrate: (): PersistedData => emptyPersisted,
        merge: (persisted, current) => ({ ...current, ...restore(persisted) }),
      },
    ),
  );
}
