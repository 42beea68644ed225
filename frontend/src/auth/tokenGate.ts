import { createStore, type StoreApi } from "zustand/vanilla";
import type { SyncStorage } from "../store/persistence";

/** sessionStorage key of the API token (kept for the tab only, never in localStorage). */
export const TOKEN_STORAGE_KEY = "plotwise-api-token";

/** What the token dialog shows. */
export interface TokenPromptState {
  /** The dialog is open: an API call answered 401 and waits for a token. */
  open: boolean;
  /** The server refused the token the user gave last: say so. */
  rejected: boolean;
}

/**
 * The API token of this tab (`PLOTWISE_API_TOKEN` on the server): kept in storage, sent as
 * `Authorization: Bearer`, and asked for once when a call answers 401.
 */
export interface TokenGate {
  /** The prompt's state, for the dialog. */
  readonly prompt: StoreApi<TokenPromptState>;
  /** The stored token, or null before one was given. */
  token(): string | null;
  /** How many times the user has closed the dialog: read when a call is sent, for `refused`. */
  declines(): number;
  /**
   * A call sent with `sent` (null: no token), when `declines()` was `declinesAtSend`, answered
   * 401. Resolves with the token to retry with (a newer stored one, or the one the user types),
   * or null once the user gives up. Concurrent refusals share one prompt. A call that was under
   * way when the user closed the dialog gets null without asking again: a startup call
   * answering late must not reopen the dialog the user just closed.
   */
  refused(sent: string | null, declinesAtSend: number): Promise<string | null>;
  /** The user gave a token: stored, the waiting calls retry with it. Blank ones are ignored. */
  submit(token: string): void;
  /** The user closed the dialog: the waiting calls end with their 401. */
  cancel(): void;
}

/** A gate over `storage` (sessionStorage in the browser, a map in tests). */
export function createTokenGate(storage: SyncStorage): TokenGate {
  const prompt = createStore<TokenPromptState>()(() => ({ open: false, rejected: false }));
  let waiting: Promise<string | null> | null = null;
  let settle: (token: string | null) => void = () => undefined;
  let declines = 0;

  const token = () => storage.getItem(TOKEN_STORAGE_KEY) || null;
  const finish = (value: string | null) => {
    prompt.setState({ open: false });
    waiting = null;
    settle(value);
  };

  return {
    prompt,
    token,
    declines: () => declines,
    refused(sent, declinesAtSend) {
      const current = token();
      // Another call already got a newer token while this one was under way: retry with it.
      if (current !== null && current !== sent) return Promise.resolve(current);
      if (declinesAtSend !== declines) return Promise.resolve(null);
      if (waiting !== null) return waiting;
      if (current !== null) storage.removeItem(TOKEN_STORAGE_KEY);
      prompt.setState({ open: true, rejected: sent !== null });
      waiting = new Promise((resolve) => {
        settle = resolve;
      });
      return waiting;
    },
    submit(value) {
      const trimmed = value.trim();
      if (trimmed === "" || waiting === null) return;
      storage.setItem(TOKEN_STORAGE_KEY, trimmed);
      finish(trimmed);
    },
    cancel() {
      if (waiting === null) return;
      declines += 1;
      finish(null);
    },
  };
}

/** sessionStorage that never throws (blocked storage): the token then lasts for the page. */
export function safeSessionStorage(): SyncStorage {
  const memory = new Map<string, string>();
  const session = (): Storage | null => {
    try {
      return globalThis.sessionStorage ?? null;
    } catch {
      return null;
    }
  };
  const attempt = <T,>(use: (storage: Storage) => T, fallback: () => T): T => {
    const storage = session();
    if (storage === null) return fallback();
    try {
      return use(storage);
    } catch {
      return fallback();
    }
  };
  return {
    getItem: (name) => attempt((storage) => storage.getItem(name), () => memory.get(name) ?? null),
    setItem: (name, value) => attempt((storage) => storage.setItem(name, value), () => void memory.set(name, value)),
    removeItem: (name) => attempt((storage) => storage.removeItem(name), () => void memory.delete(name)),
  };
}

/** The app's one gate, over this tab's sessionStorage. */
export const apiTokenGate: TokenGate = createTokenGate(safeSessionStorage());
