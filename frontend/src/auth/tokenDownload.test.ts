import type { MouseEvent } from "react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { memoryStorage } from "./testing";
import { tokenDownload } from "./tokenDownload";
import { createTokenGate, TOKEN_STORAGE_KEY } from "./tokenGate";

function click() {
  const preventDefault = vi.fn();
  return { event: { preventDefault } as unknown as MouseEvent<HTMLAnchorElement>, preventDefault };
}

describe("tokenDownload", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("leaves the plain link alone without a token", async () => {
    const fetch = vi.fn();
    vi.stubGlobal("fetch", fetch);
    const save = vi.fn();
    const { event, preventDefault } = click();
    await tokenDownload("/api/jobs/j1/files/csv", "j1.csv", { gate: createTokenGate(memoryStorage()), save, fail: vi.fn() })(event);
    expect(preventDefault).not.toHaveBeenCalled();
    expect(fetch).not.toHaveBeenCalled();
  });

  it("fetches the file with the token and saves it under the link's name", async () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "tok");
    const fetch = vi.fn(async (_url: string, init?: RequestInit) =>
      new Headers(init?.headers).get("Authorization") === "Bearer tok" ? new Response("a,b\n1,2\n") : new Response(null, { status: 401 }),
    );
    vi.stubGlobal("fetch", fetch);
    const save = vi.fn<(blob: Blob, filename: string) => void>();
    const fail = vi.fn();
    const { event, preventDefault } = click();
    await tokenDownload("/api/jobs/j1/files/csv", "j1.csv", { gate: createTokenGate(storage), save, fail })(event);
    expect(preventDefault).toHaveBeenCalledOnce();
    expect(fetch.mock.calls[0]?.[0]).toBe("/api/jobs/j1/files/csv");
    expect(save).toHaveBeenCalledOnce();
    const [blob, name] = save.mock.calls[0] ?? [];
    expect(name).toBe("j1.csv");
    expect(await blob?.text()).toBe("a,b\n1,2\n");
    expect(fail).not.toHaveBeenCalled();
  });

  it("says why a download failed", async () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "tok");
    const error = { code: "not_found", message: "unknown job j9", stage: null, recoverable: false, trace_id: null };
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ error }, { status: 404 })));
    const fail = vi.fn();
    await tokenDownload("/api/jobs/j9/files/csv", "j9.csv", { gate: createTokenGate(storage), save: vi.fn(), fail })(click().event);
    expect(fail).toHaveBeenCalledWith("The download failed: unknown job j9");
  });
});
