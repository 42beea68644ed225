import { describe, expect, it, vi } from "vitest";
import { sendUpload, uploadError, uploadOutcome } from "./upload";
import { memoryStorage, settle } from "../auth/testing";
import { createTokenGate, TOKEN_STORAGE_KEY } from "../auth/tokenGate";
import { draftJson, FakeXhr, pickedFile } from "./testing";

function start(file = pickedFile("sales.csv", 1000)) {
  const xhr = new FakeXhr();
  const onProgress = vi.fn<(loaded: number, total: number) => void>();
  const onSent = vi.fn<() => void>();
  const handle = sendUpload(file, { onProgress, onSent }, () => xhr);
  return { xhr, handle, onProgress, onSent, file };
}

describe("sendUpload", () => {
  it("POSTs the file as the multipart field `file` and reports progress in bytes", async () => {
    const { xhr, handle, onProgress, onSent, file } = start();
    expect([xhr.method, xhr.url, xhr.headers.Accept]).toEqual(["POST", "/api/datasets", "application/json"]);
    const sent = xhr.body?.get("file");
    expect(sent instanceof File && sent.name === "sales.csv" && sent.size === file.size).toBe(true);
    xhr.progress(300, 1200);
    xhr.progress(700, 0, false);
    expect(onProgress.mock.calls).toEqual([
      [300, 1200],
      [700, 1000],
    ]);
    xhr.respond(201, draftJson());
    expect(onSent).toHaveBeenCalledOnce();
    const outcome = await handle.done;
    expect(outcome.kind === "draft" && outcome.draft.draft_id).toBe("d_1");
  });

  it("ends as cancelled when aborted, once, and a later abort does nothing", async () => {
    const { xhr, handle } = start();
    xhr.progress(10, 1000);
    handle.cancel();
    expect(xhr.aborted).toBe(true);
    expect(await handle.done).toEqual({ kind: "cancelled" });
    handle.cancel();
    xhr.respond(201, draftJson());
    expect(await handle.done).toEqual({ kind: "cancelled" });
  });

  it("reports the server's error, and a broken connection", async () => {
    const refused = start();
    const error = { code: "bad_upload", message: "line 7 has 4 fields, the header 3", stage: null, recoverable: false, trace_id: "t1" };
    refused.xhr.respond(400, { error });
    expect(await refused.handle.done).toEqual({ kind: "error", error });
    const broken = start();
    broken.xhr.fail();
    expect(await broken.handle.done).toMatchObject({ kind: "error", error: { code: "network_error", message: "The upload failed: the server could not be reached." } });
    const cut = start(pickedFile("big.csv", 4096));
    cut.xhr.progress(2048, 4300);
    cut.xhr.fail();
    const outcome = await cut.handle.done;
    expect(outcome.kind === "error" && outcome.error.message).toMatch(/^The upload broke off after .* of .*: the connection closed \(the server may have refused the file, for example as over its size limit\)\.$/);
  });
});

describe("sendUpload with an API token", () => {
  const unauthorized = { error: { code: "unauthorized", message: "the token is missing", stage: null, recoverable: false, trace_id: null } };

  it("sends the stored token, and on a 401 asks for one and sends the file again with it", async () => {
    const storage = memoryStorage();
    storage.setItem(TOKEN_STORAGE_KEY, "old");
    const gate = createTokenGate(storage);
    const xhrs: FakeXhr[] = [];
    const handle = sendUpload(pickedFile("sales.csv", 1000), { onProgress: vi.fn(), onSent: vi.fn() }, () => {
      xhrs.push(new FakeXhr());
      return xhrs[xhrs.length - 1] as FakeXhr;
    }, gate);
    expect(xhrs[0]?.headers.Authorization).toBe("Bearer old");
    xhrs[0]?.respond(401, unauthorized);
    await settle();
    expect(gate.prompt.getState()).toEqual({ open: true, rejected: true });
    gate.submit("new");
    await settle();
    expect(xhrs).toHaveLength(2);
    expect(xhrs[1]?.headers.Authorization).toBe("Bearer new");
    expect(xhrs[1]?.body?.get("file")).toBeInstanceOf(File);
    xhrs[1]?.respond(201, draftJson());
    const outcome = await handle.done;
    expect(outcome.kind === "draft" && outcome.draft.draft_id).toBe("d_1");
  });

  it("ends with the 401 when the user cancels the dialog", async () => {
    const gate = createTokenGate(memoryStorage());
    const xhr = new FakeXhr();
    const handle = sendUpload(pickedFile("sales.csv", 10), { onProgress: vi.fn(), onSent: vi.fn() }, () => xhr, gate);
    expect(xhr.headers.Authorization).toBeUndefined();
    xhr.respond(401, unauthorized);
    await settle();
    gate.cancel();
    expect(await handle.done).toEqual({ kind: "error", error: unauthorized.error });
  });
});

describe("uploadOutcome and uploadError", () => {
  it("says the size limit on a 413, the server's words first", () => {
    const server = { error: { code: "upload_too_large", message: "the upload passed the limit of 5 MiB (PLOTWISE_MAX_UPLOAD_MB)" } };
    expect(uploadError(413, JSON.stringify(server))).toMatchObject({ code: "upload_too_large", message: server.error.message });
    expect(uploadError(413, "<html>Request Entity Too Large</html>")).toMatchObject({ code: "upload_too_large", message: expect.stringContaining("upload limit") });
    expect(uploadError(502, "Bad Gateway")).toMatchObject({ code: "http_502", message: "The server answered 502 to the upload." });
  });

  it("refuses a success that is not a draft", () => {
    expect(uploadOutcome(201, "{}")).toMatchObject({ kind: "error", error: { code: "bad_response" } });
    expect(uploadOutcome(200, "not json")).toMatchObject({ kind: "error", error: { code: "bad_response" } });
  });
});
