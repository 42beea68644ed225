import type { ConfigState } from "../config/configStore";
import type { SyncStorage } from "../store/persistence";

/** localStorage key of the model picked for the next turns. */
export const MODEL_STORAGE_KEY = "plotwise-model";

/** What the server offers (GET /api/config): its default model and every model a turn may name. */
export interface ModelOffer {
  model: string;
  models: readonly string[];
}

/** The model the next turns use: the stored pick while the server still offers it, else its default. */
export function resolveModel(preferred: string | null, offer: ModelOffer): string {
  return preferred !== null && offer.models.includes(preferred) ? preferred : offer.model;
}

/** The `model` a chat request names; null until the configuration is known (the server's default answers). */
export function requestModel(config: ConfigState, preferred: string | null): string | null {
  return config.status === "ready" ? resolveModel(preferred, config.config) : null;
}

/** The stored pick, or null when none was made. */
export function readPreferredModel(storage: SyncStorage): string | null {
  return storage.getItem(MODEL_STORAGE_KEY) || null;
}

/** Remembers the pick for the next visits. */
export function savePreferredModel(storage: SyncStorage, name: string): void {
  storage.setItem(MODEL_STORAGE_KEY, name);
}
