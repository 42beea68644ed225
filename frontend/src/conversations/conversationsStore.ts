import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { ErrorBody } from "../chat/events";
import { conversationsApi, type ConversationSummary } from "./api";

interface ConversationsState {
  items: ConversationSummary[];
  total: number;
  loading: boolean;
  error: ErrorBody | null;
  load: () => void;
}

let inFlight: AbortController | null = null;

/** The stored conversations, most recently updated first; fetched, never persisted. */
export const conversationsStore = createStore<ConversationsState>()((set) => ({
  items: [],
  total: 0,
  loading: true,
  error: null,
  load: () => {
    inFlight?.abort();
    const abort = new AbortController();
    inFlight = abort;
    set({ loading: true });
    conversationsApi
      .list(abort.signal)
      .then((result) => {
        if (abort.signal.aborted) return;
        set(result.ok ? { items: result.value.items, total: result.value.total, loading: false, error: null } : { loading: false, error: result.error });
      })
      .catch(() => {
        // Aborted by a newer load, which answers instead.
      });
  },
}));

export function useConversations<T>(selector: (state: ConversationsState) => T): T {
  return useStore(conversationsStore, selector);
}
