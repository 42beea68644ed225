import { apiTokenGate, type TokenGate } from "./tokenGate";

/** `RequestInit` with plain headers, so the token can be added to them. */
export type ApiRequestInit = Omit<RequestInit, "headers"> & { headers?: Record<string, string> };

/** `init` with `Authorization: Bearer <token>` added (unchanged without a token). */
export function withToken(init: ApiRequestInit, token: string | null): RequestInit {
  if (token === null) return init;
  return { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } };
}

/**
 * `fetch` for the API: sends the tab's token, and on a 401 asks for one (the token dialog)
 * and sends the request again with it. Resolves with the 401 itself once the user gives up.
 * The body must be replayable (a string, as every JSON call sends).
 */
export async function authorizedFetch(url: string, init: ApiRequestInit = {}, gate: TokenGate = apiTokenGate): Promise<Response> {
  let token = gate.token();
  for (;;) {
    const declines = gate.declines();
    const response = await fetch(url, withToken(init, token));
    if (response.status !== 401) return response;
    const next = await gate.refused(token, declines);
    if (next === null) return response;
    token = next;
  }
}
