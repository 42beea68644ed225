import { describe, expect, it, vi } from "vitest";
import type { ApiResult } from "../lib/http";
import type { CommitBody } from "./api";
import { parseDatasetDetail, type DatasetDetail } from "./parse";
import { detailJson, draftJson, FakeXhr, pickedFile } from "./testing";
import { createUploadStore, type UploadDeps } from "./uploadStore";

function setup(overrides: Partial<UploadDeps> = {}) {
  const xhrs: FakeXhr[] = [];
  const store = createUploadStore({
    createXhr: () => {
      const xhr = new FakeXhr();
      xhrs.push(xhr);
      return xhr;
    },
    limitMb: () => null,
    commit: () => Promise.reject(new Error("no commit expected")),
    discard: async () => ({ ok: true, value: true }),
    ...overrides,
  });
  const xhr = () => {
    const last = xhrs.at(-1);
    if (last === undefined) throw new Error("no upload started");
    return last;
  };
  return { store, xhr, xhrs };
}

const detail = (): DatasetDetail => {
  const value = parseDatasetDetail(detailJson());
  if (value === null) throw new Error("fixture does not parse");
  return value;
};

describe("upload store", () => {
  it("goes from uploading (with progress) to sent to review", async () => {
    const { store, xhr } = setup();
    expect(store.getState().start(pickedFile("sales.csv", 2000))).toBe(true);
    expect(store.getState().phase).toEqual({ step: "uploading", fileName: "sales.csv", loaded: 0, total: 2000, sent: false });
    xhr().progress(500, 2100);
    expect(store.getState().phase).toMatchObject({ step: "uploading", loaded: 500, total: 2100, sent: false });
    xhr().sent();
    expect(store.getState().phase).toMatchObject({ step: "uploading", loaded: 2100, sent: true });
    xhr().respond(201, draftJson());
    await vi.waitFor(() => expect(store.getState().phase.step).toBe("review"));
    const phase = store.getState().phase;
    expect(phase.step === "review" && phase.draft.table_name).toBe("sales_2024");
  });

  it("refuses a second upload while one is under way or under review", async () => {
    const { store, xhr, xhrs } = setup();
    store.getState().start(pickedFile("a.csv"));
    expect(store.getState().start(pickedFile("b.csv"))).toBe(false);
    xhr().respond(201, draftJson());
    await vi.waitFor(() => expect(store.getState().phase.step).toBe("review"));
    expect(store.getState().start(pickedFile("c.csv"))).toBe(false);
    expect(xhrs).toHaveLength(1);
  });

  it("cancels: the request is aborted and a note says so", async () => {
    const { store, xhr } = setup();
    store.getState().start(pickedFile("big.parquet", 10_000));
    xhr().progress(1000, 10_000);
    store.getState().cancel();
    expect(xhr().aborted).toBe(true);
    await vi.waitFor(() => expect(store.getState().phase).toEqual({ step: "idle", notice: "Upload of “big.parquet” cancelled." }));
    store.getState().dismiss();
    expect(store.getState().phase).toEqual({ step: "idle", notice: null });
  });

  it("shows the server's error, then a new upload can start", async () => {
    const { store, xhr, xhrs } = setup();
    store.getState().start(pickedFile("huge.csv", 50));
    xhr().respond(413, { error: { code: "upload_too_large", message: "over the upload limit of 1 MiB" } });
    await vi.waitFor(() => expect(store.getState().phase.step).toBe("failed"));
    expect(store.getState().phase).toMatchObject({ fileName: "huge.csv", error: { code: "upload_too_large", message: "over the upload limit of 1 MiB" } });
    expect(store.getState().start(pickedFile("small.csv"))).toBe(true);
    expect(xhrs).toHaveLength(2);
  });

  it("refuses an empty file, a wrong extension or a file over the known limit without uploading", () => {
    const { store, xhrs } = setup({ limitMb: () => 1 });
    store.getState().start(pickedFile("big.csv", 2 * 1024 * 1024));
    expect(store.getState().phase).toMatchObject({ step: "failed", error: { code: "bad_upload", message: expect.stringContaining("over the upload limit of 1 MiB") } });
    store.getState().start(pickedFile("notes.pdf"));
    expect(store.getState().phase).toMatchObject({ step: "failed", error: { code: "bad_upload", message: expect.stringContaining("notes.pdf") } });
    store.getState().start(pickedFile("empty.csv", 0));
    expect(store.getState().phase).toMatchObject({ step: "failed", error: { message: "“empty.csv” is empty." } });
    expect(xhrs).toHaveLength(0);
  });

  it("commits the draft with the review's body, and keeps the review with the error on a refusal", async () => {
    const refusal: ApiResult<DatasetDetail> = { ok: false, error: { code: "conflict", message: "dataset 'sales' exists", stage: null, recoverable: false, trace_id: null } };
    const answers: ApiResult<DatasetDetail>[] = [refusal, { ok: true, value: detail() }];
    const calls: [string, CommitBody][] = [];
    const { store, xhr } = setup({
      commit: async (id, body) => {
        calls.push([id, body]);
        return answers.shift() ?? refusal;
      },
    });
    store.getState().start(pickedFile("sales.csv"));
    xhr().respond(201, draftJson());
    await vi.waitFor(() => expect(store.getState().phase.step).toBe("review"));
    expect(await store.getState().commit({ name: "sales" })).toBeNull();
    expect(store.getState().phase).toMatchObject({ step: "review", committing: false, error: { code: "conflict" } });
    const committed = await store.getState().commit({ name: "sales_2", overrides: { amount: "DOUBLE" } });
    expect(committed?.name).toBe("sales_2024");
    expect(calls).toEqual([
      ["d_1", { name: "sales" }],
      ["d_1", { name: "sales_2", overrides: { amount: "DOUBLE" } }],
    ]);
    expect(store.getState().phase).toEqual({ step: "idle", notice: null });
  });

  it("discards the draft on the server and goes back to idle", async () => {
    const discard = vi.fn<UploadDeps["discard"]>(async () => ({ ok: true, value: true }));
    const { store, xhr } = setup({ discard });
    store.getState().start(pickedFile("sales.csv"));
    xhr().respond(201, draftJson({ draft_id: "d_9" }));
    await vi.waitFor(() => expect(store.getState().phase.step).toBe("review"));
    await store.getState().discard();
    expect(discard).toHaveBeenCalledWith("d_9");
    expect(store.getState().phase).toEqual({ step: "idle", notice: null });
  });
});
