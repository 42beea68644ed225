import { describe, expect, it, vi } from "vitest";
import type { ApiResult } from "../lib/http";
import { parseTemplate, type TemplateList } from "./parse";
import { createTemplatesStore } from "./templatesStore";
import { templateJson } from "./testing";

function list(name: string): TemplateList {
  const template = parseTemplate(templateJson({ name }));
  if (template === null) throw new Error("fixture does not parse");
  return { items: [template], total: 1 };
}

describe("templates store", () => {
  it("shows the latest search's answer even when an older one answers last", async () => {
    const pending = new Map<string, (result: ApiResult<TemplateList>) => void>();
    const store = createTemplatesStore((query) => new Promise((resolve) => pending.set(query, resolve)));
    store.getState().load("j");
    store.getState().load("jfk");
    pending.get("jfk")?.({ ok: true, value: list("JFK flights") });
    pending.get("j")?.({ ok: true, value: list("stale") });
    await vi.waitFor(() => expect(store.getState().loading).toBe(false));
    await Promise.resolve();
    expect(store.getState()).toMatchObject({ query: "jfk", total: 1, error: null });
    expect(store.getState().items.map((t) => t.name)).toEqual(["JFK flights"]);
  });

  it("keeps the list and shows the error when a load fails, and reloads the current search", async () => {
    const calls: string[] = [];
    const error = { code: "http_500", message: "The server answered 500.", stage: null, recoverable: true, trace_id: null };
    const answers: ApiResult<TemplateList>[] = [{ ok: true, value: list("A") }, { ok: false, error }];
    const store = createTemplatesStore(async (query) => {
      calls.push(query);
      return answers.shift() ?? { ok: false, error };
    });
    store.getState().load("a");
    await vi.waitFor(() => expect(store.getState().items).toHaveLength(1));
    store.getState().load();
    await vi.waitFor(() => expect(store.getState().error).toEqual(error));
    expect(store.getState().items).toHaveLength(1);
    expect(calls).toEqual(["a", "a"]);
  });
});
