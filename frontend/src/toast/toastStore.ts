import { useStore } from "zustand";
import { createStore } from "zustand/vanilla";

/** How long a notice stays; errors stay until dismissed. */
export const TOAST_MS = 4000;

export type ToastKind = "success" | "error";

/** One short notice about something done away from the chat (saved, deleted, downloaded). */
export interface Toast {
  id: number;
  kind: ToastKind;
  text: string;
}

interface ToastState {
  toasts: Toast[];
  show: (kind: ToastKind, text: string) => void;
  dismiss: (id: number) => void;
}

let nextId = 0;

/** Notices shown in the corner; not persisted. */
export const toastStore = createStore<ToastState>()((set) => ({
  toasts: [],
  show: (kind, text) => {
    nextId += 1;
    const id = nextId;
    // A handful at most: a burst of failures must not cover the page.
    set((state) => ({ toasts: [...state.toasts.slice(-3), { id, kind, text }] }));
    if (kind === "success") window.setTimeout(() => toastStore.getState().dismiss(id), TOAST_MS);
  },
  dismiss: (id) => set((state) => ({ toasts: state.toasts.filter((t) => t.id !== id) })),
}));

/** Shows a notice. */
export function notify(kind: ToastKind, text: string): void {
  toastStore.getState().show(kind, text);
}

/** Reads the toast store in a component. */
export function useToasts<T>(selector: (state: ToastState) => T): T {
  return useStore(toastStore, selector);
}
