import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { ErrorBody } from "../chat/events";
import type { ApiResult } from "../lib/http";
import { templatesApi } from "./api";
import type { Template, TemplateList } from "./parse";

interface TemplatesState {
  /** The search the list shows (blank: all templates). */
  query: string;
  items: Template[];
  total: number;
  /** True until the first answer, and while a search is in flight. */
  loading: boolean;
  error: ErrorBody | null;
  /** Lists the templates matching `query` (the current search when left out). */
  load: (query?: string) => void;
}

/** Lists templates through `list`; tests pass a fake. */
export function createTemplatesStore(list: (query: string, signal: AbortSignal) => Promise<ApiResult<TemplateList>> = templatesApi.list) {
  // Only the latest search may answer: typing fires several.
  let inFlight: AbortController | null = null;
  return createStore<TemplatesState>()((set, get) => ({
    query: "",
    items: [],
    total: 0,
    loading: true,
    error: null,
    load: (query = get().query) => {
      inFlight?.abort();
      const abort = new AbortController();
      inFlight = abort;
      set({ query, loading: true });
      list(query, abort.signal)
        .then((result) => {
          if (abort.signal.aborted) return;
          set(result.ok ? { items: result.value.items, total: result.value.total, loading: false, error: null } : { loading: false, error: result.error });
        })
        .catch(() => {
          // Aborted by a newer search, which answers instead.
        });
    },
  }));
}

/** The templates list; fetched, never persisted. */
export const templatesStore = createTemplatesStore();

export function useTemplates<T>(selector: (state: TemplatesState) => T): T {
  return useStore(templatesStore, selector);
}
