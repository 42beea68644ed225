import type { ApiResult } from "../lib/http";
import { appStore } from "../store/appStore";
import type { AppStore } from "../store/createAppStore";
import { notify } from "../toast/toastStore";
import { datasetsApi } from "./api";
import { selectionAfterChange } from "./picker";

/** What changing the active datasets uses; tests pass their own store and a fake PUT. */
export interface ActiveDatasetsDeps {
  app: AppStore;
  put: (conversationId: string, datasets: readonly string[]) => Promise<ApiResult<string[]>>;
}

const defaults = (): ActiveDatasetsDeps => ({ app: appStore, put: datasetsApi.setConversationDatasets });

function same(a: readonly string[] | null, b: readonly string[] | null): boolean {
  return a === b || (a !== null && b !== null && a.length === b.length && a.every((name, i) => name === b[i]));
}

/**
 * Makes `next` the conversation's active datasets: at once in the page (the next turn sends
 * them), and on the server when the conversation exists there. A refusal puts the previous
 * pick back (unless another change came since) and says why. Resolves with whether it held.
 */
export async function setActiveDatasets(next: readonly string[], deps: ActiveDatasetsDeps = defaults()): Promise<boolean> {
  const { app } = deps;
  const previous = app.getState().datasets;
  const conversationId = app.getState().conversationId;
  app.getState().setDatasets([...next]);
  if (conversationId === null) return true;
  const result = await deps.put(conversationId, next);
  const current = app.getState();
  if (current.conversationId !== conversationId || !same(current.datasets, next)) return result.ok;
  if (!result.ok) {
    current.setDatasets(previous);
    notify("error", `Could not change the conversation's datasets: ${result.error.message}`);
    return false;
  }
  return true;
}

/** Keeps the active pick in step after a dataset was renamed (`to`) or deleted (`to` null). */
export async function followDatasetChange(from: string, to: string | null, deps: ActiveDatasetsDeps = defaults()): Promise<void> {
  const next = selectionAfterChange(deps.app.getState().datasets, from, to);
  if (next !== null) await setActiveDatasets(next, deps);
}
