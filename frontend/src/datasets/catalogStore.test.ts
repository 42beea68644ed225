import { describe, expect, it, vi } from "vitest";
import type { ApiResult } from "../lib/http";
import { createCatalogStore, takenNames } from "./catalogStore";
import { parseDatasetList, type DatasetSummary } from "./parse";
import { summaryJson } from "./testing";

function list(...names: string[]): DatasetSummary[] {
  return parseDatasetList({ items: names.map((name) => summaryJson({ name })) }) ?? [];
}

describe("catalog store", () => {
  it("keeps the latest load's answer, and the list when a reload fails", async () => {
    const pending: ((result: ApiResult<DatasetSummary[]>) => void)[] = [];
    const store = createCatalogStore(() => new Promise((resolve) => pending.push(resolve)));
    expect(store.getState()).toMatchObject({ loading: true, loaded: false });
    store.getState().load();
    store.getState().load();
    pending[1]?.({ ok: true, value: list("nycflights13", "sales") });
    pending[0]?.({ ok: true, value: list("stale") });
    await vi.waitFor(() => expect(store.getState().loaded).toBe(true));
    await Promise.resolve();
    expect(takenNames(store.getState().items)).toEqual(["nycflights13", "sales"]);
    store.getState().load();
    pending[2]?.({ ok: false, error: { code: "http_500", message: "The server answered 500.", stage: null, recoverable: true, trace_id: null } });
    await vi.waitFor(() => expect(store.getState().error?.code).toBe("http_500"));
    expect(store.getState()).toMatchObject({ loading: false, loaded: true });
    expect(store.getState().items).toHaveLength(2);
  });
});
