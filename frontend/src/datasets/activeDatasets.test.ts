import { describe, expect, it, vi } from "vitest";
import type { ApiResult } from "../lib/http";
import { createAppStore } from "../store/createAppStore";
import { memoryStorage } from "../store/testing";
import { toastStore } from "../toast/toastStore";
import { followDatasetChange, setActiveDatasets, type ActiveDatasetsDeps } from "./activeDatasets";

function setup(conversationId: string | null, answer: ApiResult<string[]> = { ok: true, value: [] }) {
  const app = createAppStore({ storage: memoryStorage(), persistDelayMs: 0 });
  app.setState({ conversationId });
  const put = vi.fn<ActiveDatasetsDeps["put"]>(async () => answer);
  return { app, put, deps: { app, put } };
}

describe("setActiveDatasets", () => {
  it("only changes the page before the conversation exists (the first turn sends the pick)", async () => {
    const { app, put, deps } = setup(null);
    expect(await setActiveDatasets(["sales"], deps)).toBe(true);
    expect(app.getState().datasets).toEqual(["sales"]);
    expect(put).not.toHaveBeenCalled();
  });

  it("tells the server for a stored conversation", async () => {
    const { app, put, deps } = setup("c1");
    expect(await setActiveDatasets(["sales", "nycflights13"], deps)).toBe(true);
    expect(put).toHaveBeenCalledWith("c1", ["sales", "nycflights13"]);
    expect(app.getState().datasets).toEqual(["sales", "nycflights13"]);
  });

  it("puts the previous pick back when the server refuses, and says why", async () => {
    const error = { code: "bad_request", message: "flights_pg cannot be combined with sales", stage: null, recoverable: false, trace_id: null };
    const { app, deps } = setup("c1", { ok: false, error });
    app.getState().setDatasets(["sales"]);
    expect(await setActiveDatasets(["sales", "flights_pg"], deps)).toBe(false);
    expect(app.getState().datasets).toEqual(["sales"]);
    expect(toastStore.getState().toasts.at(-1)).toMatchObject({ kind: "error", text: expect.stringContaining("cannot be combined") });
  });

  it("follows a rename and a delete of an active dataset", async () => {
    const { app, put, deps } = setup("c1");
    app.getState().setDatasets(["sales", "nycflights13"]);
    await followDatasetChange("sales", "sales_eu", deps);
    expect(app.getState().datasets).toEqual(["sales_eu", "nycflights13"]);
    await followDatasetChange("sales_eu", null, deps);
    expect(app.getState().datasets).toEqual(["nycflights13"]);
    await followDatasetChange("weather", null, deps);
    expect(put.mock.calls).toEqual([
      ["c1", ["sales_eu", "nycflights13"]],
      ["c1", ["nycflights13"]],
    ]);
  });
});
