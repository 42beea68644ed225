import { afterEach, describe, expect, it, vi } from "vitest";
import { callFile, callJson, filenameFromDisposition } from "./http";

describe("filenameFromDisposition", () => {
  it("reads plain, quoted and UTF-8 names, preferring the UTF-8 one", () => {
    expect(filenameFromDisposition('attachment; filename="flights.html"')).toBe("flights.html");
    expect(filenameFromDisposition("attachment; filename=flights.json")).toBe("flights.json");
    expect(filenameFromDisposition("attachment; filename=\"x.html\"; filename*=UTF-8''caf%C3%A9.html")).toBe("café.html");
  });

  it("drops directories and gives null when there is no usable name", () => {
    expect(filenameFromDisposition('attachment; filename="../../evil.sh"')).toBe("evil.sh");
    expect(filenameFromDisposition("attachment")).toBeNull();
    expect(filenameFromDisposition('attachment; filename=".."')).toBeNull();
    expect(filenameFromDisposition(null)).toBeNull();
  });
});

describe("callJson and callFile", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("turns a network failure into an error naming it", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new TypeError("Failed to fetch"))));
    expect(await callJson({ method: "GET", url: "/api/templates" }, () => true)).toMatchObject({
      ok: false,
      error: { code: "network_error", message: "Could not reach the server: Failed to fetch" },
    });
  });

  it("refuses an answer the parser cannot read", async () => {
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ unexpected: true })));
    expect(await callJson({ method: "GET", url: "/x" }, () => null)).toMatchObject({ ok: false, error: { code: "bad_response" } });
  });

  it("passes the server's error shape through for a file too", async () => {
    const error = { code: "not_found", message: "template 'tpl_x' does not exist", stage: null, recoverable: false, trace_id: null };
    vi.stubGlobal("fetch", vi.fn(async () => Response.json({ error }, { status: 404 })));
    expect(await callFile({ method: "GET", url: "/api/templates/tpl_x/standalone" })).toEqual({ ok: false, error });
  });

  it("rejects when the caller aborts", async () => {
    const abort = new AbortController();
    abort.abort();
    vi.stubGlobal("fetch", vi.fn(async () => Promise.reject(new DOMException("aborted", "AbortError"))));
    await expect(callJson({ method: "GET", url: "/x" }, () => true, abort.signal)).rejects.toThrow("aborted");
  });
});
