import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";
import type { ErrorBody } from "../chat/events";
import { fetchServerConfig, type ServerConfig } from "./api";

export type ConfigState =
  | { status: "loading" }
  | { status: "ready"; config: ServerConfig }
  | { status: "error"; error: ErrorBody };

interface ConfigStore {
  state: ConfigState;
  /** Fetches the configuration (again, after an error); a load in flight is not repeated. */
  load: () => void;
}

let inFlight = false;

/** The server's configuration, fetched once at start-up. */
export const configStore = createStore<ConfigStore>()((set) => ({
  state: { status: "loading" },
  load: () => {
    if (inFlight) return;
    inFlight = true;
    set({ state: { status: "loading" } });
    fetchServerConfig()
      .then((result) => set({ state: result.ok ? { status: "ready", config: result.value } : { status: "error", error: result.error } }))
      .finally(() => {
        inFlight = false;
      });
  },
}));

/** The configuration's loading state, for components. */
export function useServerConfig(): ConfigState {
  return useStore(configStore, (store) => store.state);
}
