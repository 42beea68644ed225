import { useStore } from "zustand";
import { createStore, type StoreApi } from "zustand/vanilla";
import type { ErrorBody } from "../lib/errorBody";
import type { ApiResult } from "../lib/http";
import { datasetsApi } from "./api";
import type { DatasetSummary } from "./parse";

export interface CatalogState {
  items: DatasetSummary[];
  /** True until the first answer, and while a reload is in flight. */
  loading: boolean;
  /** Whether any answer arrived yet (an error keeps the previous list). */
  loaded: boolean;
  error: ErrorBody | null;
  /** Lists the datasets (again); a newer load supersedes one in flight. */
  load: () => void;
}

/** The dataset catalog through `list`; tests pass a fake. */
export function createCatalogStore(list: (signal: AbortSignal) => Promise<ApiResult<DatasetSummary[]>> = datasetsApi.list): StoreApi<CatalogState> {
  let inFlight: AbortController | null = null;
  return createStore<CatalogState>()((set) => ({
    items: [],
    loading: true,
    loaded: false,
    error: null,
    load: () => {
      inFlight?.abort();
      const abort = new AbortController();
      inFlight = abort;
      set({ loading: true });
      list(abort.signal)
        .then((result) => {
          if (abort.signal.aborted) return;
          set(result.ok ? { items: result.value, loading: false, loaded: true, error: null } : { loading: false, error: result.error });
        })
        .catch(() => {
          // Aborted by a newer load, which answers instead.
        });
    },
  }));
}

/** The app's dataset catalog; fetched, never persisted. */
export const catalogStore = createCatalogStore();

export function useCatalog<T>(selector: (state: CatalogState) => T): T {
  return useStore(catalogStore, selector);
}

/** Every name in use (bundled, uploaded and source datasets share one namespace). */
export function takenNames(items: readonly DatasetSummary[]): string[] {
  return items.map((item) => item.name);
}
