import type { MouseEvent } from "react";
import { readErrorResponse } from "../chat/sse";
import { saveBlob } from "../lib/download";
import { toastStore } from "../toast/toastStore";
import { authorizedFetch } from "./authFetch";
import { apiTokenGate, type TokenGate } from "./tokenGate";

/** What a download link needs besides its URL (the app's own by default; tests pass fakes). */
export interface TokenDownloadDeps {
  gate: TokenGate;
  save: (blob: Blob, filename: string) => void;
  fail: (message: string) => void;
}

const APP_DEPS: TokenDownloadDeps = {
  gate: apiTokenGate,
  save: saveBlob,
  fail: (message) => toastStore.getState().show("error", message),
};

/**
 * Click handler of a same-origin API download link (`<a href download>`). A plain link cannot
 * send `Authorization`: with a token, the file is fetched with it and saved from memory;
 * without one, the link downloads as it is. Resolves once the file is saved or the failure shown.
 */
export function tokenDownload(url: string, filename: string, deps: TokenDownloadDeps = APP_DEPS) {
  return async (event: MouseEvent<HTMLAnchorElement>): Promise<void> => {
    if (deps.gate.token() === null) return;
    event.preventDefault();
    try {
      const response = await authorizedFetch(url, {}, deps.gate);
      if (response.ok) deps.save(await response.blob(), filename);
      else deps.fail(`The download failed: ${(await readErrorResponse(response)).message}`);
    } catch (error) {
      deps.fail(`The download failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  };
}
