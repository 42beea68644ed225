import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createTemplateRequest,
  importTemplateRequest,
  listTemplatesRequest,
  NAME_MAX,
  openTemplateRequest,
  patchTemplateRequest,
  restoreVersionRequest,
  suggestedName,
  templatesApi,
  versionsRequest,
} from "./api";
import { templateJson } from "./testing";

describe("template requests", () => {
  it("saves an artifact with trimmed texts and the given parameter values", () => {
    const request = createTemplateRequest({ artifactId: "art_1", name: "  Flights by month ", description: " ", queryParams: { origin: "LGA" }, viewParams: { color: "#dc2626", topN: 10 } });
    expect(request).toEqual({
      method: "POST",
      url: "/api/templates",
      body: { artifact_id: "art_1", name: "Flights by month", description: "", query_params: { origin: "LGA" }, view_params: { color: "#dc2626", topN: 10 } },
    });
  });

  it("searches with q only when there is something to search for, escaped", () => {
    expect(listTemplatesRequest("  ").url).toBe("/api/templates?limit=50&offset=0");
    expect(listTemplatesRequest(" jfk & lga ").url).toBe("/api/templates?q=jfk+%26+lga&limit=50&offset=0");
  });

  it("patches only the fields given, and escapes ids in paths", () => {
    expect(patchTemplateRequest("tpl/1", { name: "New", description: undefined })).toEqual({ method: "PATCH", url: "/api/templates/tpl%2F1", body: { name: "New" } });
    expect(versionsRequest("tpl_1")).toEqual({ method: "GET", url: "/api/templates/tpl_1/versions" });
    expect(restoreVersionRequest("tpl_1", 2)).toEqual({ method: "POST", url: "/api/templates/tpl_1/versions/2/restore" });
  });

  it("opens with the saved parameters unless others are given", () => {
    expect(openTemplateRequest("tpl_1")).toEqual({ method: "POST", url: "/api/templates/tpl_1/open", body: {} });
    expect(openTemplateRequest("tpl_1", { origin: "EWR" }).body).toEqual({ query_params: { origin: "EWR" } });
  });

  it("imports the file's JSON as it is", () => {
    const file = { format: "plotwise.template", schema_version: 1, template: { name: "x" } };
    expect(importTemplateRequest(file)).toEqual({ method: "POST", url: "/api/templates/import", body: file });
  });
});

describe("templatesApi", () => {
  afterEach(() => vi.unstubAllGlobals());

  function stubFetch(response: Response) {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => response);
    vi.stubGlobal("fetch", fetch);
    return fetch;
  }

  it("lists templates, skipping malformed items", async () => {
    stubFetch(Response.json({ items: [templateJson(), { id: "broken" }], total: 2 }));
    const result = await templatesApi.list("");
    expect(result).toMatchObject({ ok: true, value: { total: 2, items: [{ id: "tpl_1", version: 3, query_params: { origin: "LGA" } }] } });
  });

  it("POSTs a new template as JSON and reads the created one", async () => {
    const fetch = stubFetch(Response.json(templateJson({ version: 1 }), { status: 201 }));
    const result = await templatesApi.create({ artifactId: "art_1", name: "n", description: "", queryParams: {}, viewParams: {} });
    expect(result).toMatchObject({ ok: true, value: { id: "tpl_1", version: 1 } });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe("/api/templates");
    expect(init?.method).toBe("POST");
    expect(init?.headers).toMatchObject({ "Content-Type": "application/json" });
  });

  it("passes an import refusal's message through", async () => {
    const error = { code: "bad_request", message: "unknown format 'other'; expected 'plotwise.template'", stage: null, recoverable: false, trace_id: "t1" };
    stubFetch(Response.json({ error }, { status: 400 }));
    expect(await templatesApi.importFile({ format: "other" })).toEqual({ ok: false, error });
  });

  it("takes a 204 without a body as done", async () => {
    const fetch = stubFetch(new Response(null, { status: 204 }));
    expect(await templatesApi.remove("tpl_1")).toEqual({ ok: true, value: true });
    expect(fetch.mock.calls[0]?.[1]?.method).toBe("DELETE");
    expect(fetch.mock.calls[0]?.[1]?.body).toBeUndefined();
  });

  it("keeps an export as a file with the server's name", async () => {
    stubFetch(new Response('{"format":"plotwise.template"}', { headers: { "Content-Disposition": 'attachment; filename="flights.plotwise.json"' } }));
    const result = await templatesApi.exportFile("tpl_1");
    if (!result.ok) throw new Error(result.error.message);
    expect(result.value.filename).toBe("flights.plotwise.json");
    expect(await result.value.blob.text()).toBe('{"format":"plotwise.template"}');
  });
});

describe("suggestedName", () => {
  it("keeps a short question and cuts a long one to the server's limit", () => {
    expect(suggestedName("  Flights by month ")).toBe("Flights by month");
    const long = suggestedName("word ".repeat(100));
    expect(long.length).toBeLessThanOrEqual(NAME_MAX);
    expect(long.endsWith("…")).toBe(true);
  });
});
