import { afterEach, describe, expect, it, vi } from "vitest";
import { streamChat } from "../chat/sse";
import { callJson } from "../lib/http";
import { authorizedFetch, withToken } from "./authFetch";
import { memoryStorage, settle } from "./testing";
import { createTokenGate, TOKEN_STORAGE_KEY } from "./tokenGate";

const UNAUTHORIZED = { error: { code: "unauthorized", message: "the token is missing", stage: null, recoverable: false, trace_id: null } };

/** A fetch that answers 200 only to `Authorization: Bearer <token>`, and records what it got. */
function serverWithToken(token: string) {
  const seen: (string | null)[] = [];
  const fetch = vi.fn(async (_url: string, init?: RequestInit) => {
    const authorization = new Headers(init?.headers).get("Authorization");
    seen.push(authorization);
    if (authorization !== `Bearer ${token}`) return Response.json(UNAUTHORIZED, { status: 401, headers: { "WWW-Authenticate": "Bearer" } });
    return Response.json({ ok: true });
  });
  vi.stubGlobal("fetch", fetch);
  return { fetch, seen };
}

describe("withToken", () => {
  it("adds the bearer header and keeps the others", () => {
    expect(withToken({ method: "GET", headers: { Accept: "application/json" } }, "t")).toEqual({
      method: "GET",
      headers: { Accept: "application/json", Authorization: "Bearer t" },
    });
    const init = { headers: { Accept: "*/*" } };
    expect(withToken(init, null)).toBe(init);
  });
});

describe("authorizedFetch", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("asks for the token on a 401, retries with it, and sends it from then on", async () => {
    const { seen } = serverWithToken("right");
    const gate = createTokenGate(memoryStorage());
    const answer = authorizedFetch("/api/config", { headers: { Accept: "application/json" } }, gate);
    await settle();
    expect(gate.prompt.getState()).toEqual({ open: true, rejected: false });
    gate.submit("right");
    expect((await answer).status).toBe(200);
    expect((await authorizedFetch("/api/templates", {}, gate)).status).toBe(200);
    expect(seen).toEqual([null, "Bearer right", "Bearer right"]);
  });

  it("shows a wrong token as refused and asks again", async () => {
    const { seen } = serverWithToken("right");
    const gate = createTokenGate(memoryStorage());
    const answer = authorizedFetch("/api/config", {}, gate);
    await settle();
    gate.submit("wrong");
    await settle();
    expect(gate.prompt.getState()).toEqual({ open: true, rejected: true });
    gate.submit("right");
    expect((await answer).status).toBe(200);
    expect(seen).toEqual([null, "Bearer wrong", "Bearer right"]);
  });

  it("gives the 401 back when the user cancels", async () => {
    serverWithToken("right");
    const gate = createTokenGate(memoryStorage());
    const answer = authorizedFetch("/api/config", {}, gate);
    await settle();
    gate.cancel();
    const response = await answer;
    expect(response.status).toBe(401);
    expect(response.headers.get("WWW-Authenticate")).toBe("Bearer");
  });

  it("does not reopen the dialog for a call that answers 401 after the user closed it", async () => {
    let answerLate: () => void = () => undefined;
    const late = new Promise<void>((resolve) => {
      answerLate = resolve;
    });
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        if (url === "/api/config") await late;
        return Response.json(UNAUTHORIZED, { status: 401 });
      }),
    );
    const gate = createTokenGate(memoryStorage());
    const early = authorizedFetch("/api/conversations", {}, gate);
    const straggler = authorizedFetch("/api/config", {}, gate);
    await settle();
    expect(gate.prompt.getState().open).toBe(true);
    gate.cancel();
    expect((await early).status).toBe(401);
    answerLate();
    expect((await straggler).status).toBe(401);
    expect(gate.prompt.getState().open).toBe(false);
    // A call sent after the dialog closed asks again.
    void authorizedFetch("/api/templates", {}, gate);
    await settle();
    expect(gate.prompt.getState().open).toBe(true);
  });

  it("sends a stored token at once, without asking", async () => {
    const { seen } = serverWithToken("kept");
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "kept");
    const gate = createTokenGate(storage);
    expect((await authorizedFetch("/api/config", {}, gate)).status).toBe(200);
    expect(seen).toEqual(["Bearer kept"]);
    expect(gate.prompt.getState().open).toBe(false);
  });
});

describe("the API calls use the app's gate", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("callJson and the chat stream send the token the dialog took", async () => {
    const { seen } = serverWithToken("app-token");
    const { apiTokenGate } = await import("./tokenGate");
    const result = callJson({ method: "GET", url: "/api/config" }, (body) => body);
    await settle();
    expect(apiTokenGate.prompt.getState().open).toBe(true);
    apiTokenGate.submit("app-token");
    expect(await result).toEqual({ ok: true, value: { ok: true } });
    // The chat sends it at once (its body, JSON, is not an event stream: no events).
    const events: unknown[] = [];
    await streamChat({ message: "hi" }, (event) => events.push(event), new AbortController().signal);
    expect(seen).toEqual([null, "Bearer app-token", "Bearer app-token"]);
  });
});
