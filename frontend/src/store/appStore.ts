import { useStore } from "zustand";
import { createAppStore, type AppState } from "./createAppStore";

/** The app's one store: chat, artifacts and sidebar state, saved in localStorage. */
export const appStore = createAppStore();

/**
 * Reads from the app store; the component re-renders when the selected value changes.
 * Select existing references (a message, a record), not objects built in the selector.
 */
export function useAppStore<T>(selector: (state: AppState) => T): T {
  return useStore(appStore, selector);
}
