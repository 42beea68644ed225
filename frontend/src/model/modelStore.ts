import { useStore } from "zustand";
import { createStore, type StoreApi } from "zustand/vanilla";
import { configStore, useServerConfig } from "../config/configStore";
import { safeLocalStorage, type SyncStorage } from "../store/persistence";
import { readPreferredModel, requestModel, savePreferredModel } from "./modelChoice";

export interface ModelStore {
  /** The model the user picked (kept in localStorage), null before any pick. */
  preferred: string | null;
  /** Picks the model of the next turns and remembers it. */
  choose: (name: string) => void;
}

/** Creates the store of the user's model pick, saved in `storage`. */
export function createModelStore(storage: SyncStorage): StoreApi<ModelStore> {
  return createStore<ModelStore>()((set) => ({
    preferred: readPreferredModel(storage),
    choose: (name) => {
      savePreferredModel(storage, name);
      set({ preferred: name });
    },
  }));
}

/** The app's model pick. */
export const modelStore = createModelStore(safeLocalStorage());

/** The model the next chat request names (see `requestModel`), read outside React. */
export function currentRequestModel(): string | null {
  return requestModel(configStore.getState().state, modelStore.getState().preferred);
}

/** The model the next turns use, null until the configuration has loaded; for components. */
export function useActiveModel(): string | null {
  const config = useServerConfig();
  const preferred = useStore(modelStore, (store) => store.preferred);
  return requestModel(config, preferred);
}
