import { afterEach, describe, expect, it, vi } from "vitest";
import { Float64, Table, Utf8, tableToIPC, vectorFromArray } from "apache-arrow";
import { artifactDataUrl, buildDataRequest, defaultQueryParams, fetchArtifactData } from "./api";
import { ARROW_STREAM } from "./arrowRows";
import { parseQueryResult, type QueryParamSpec } from "./result";

const spec = (name: string, type: QueryParamSpec["type"], value: QueryParamSpec["default"], extra: Partial<QueryParamSpec> = {}): QueryParamSpec => ({
  name,
  type,
  label: null,
  default: value,
  options: null,
  min: null,
  max: null,
  step: null,
  ...extra,
});

const SPECS = [
  spec("origin", "select", "JFK", { options: ["EWR", "JFK", "LGA"] }),
  spec("start_date", "date", "2013-01-01"),
  spec("min_flights", "number", 0, { min: 0 }),
  spec("carrier", "text", ""),
  spec("cancelled", "boolean", false),
];

describe("buildDataRequest", () => {
  it("sends every declared parameter, current values over defaults", () => {
    expect(buildDataRequest(SPECS, { origin: "LGA", min_flights: 10 }, false)).toEqual({
      params: { origin: "LGA", start_date: "2013-01-01", min_flights: 10, carrier: "", cancelled: false },
      refresh: false,
    });
  });

  it("leaves out values of undeclared parameters, which the server would refuse", () => {
    expect(buildDataRequest(SPECS.slice(0, 1), { origin: "EWR", stale: 1 }, true)).toEqual({ params: { origin: "EWR" }, refresh: true });
  });

  it("sends the values as they are when the query declares none", () => {
    expect(buildDataRequest([], { origin: "JFK" }, true)).toEqual({ params: { origin: "JFK" }, refresh: true });
    expect(buildDataRequest([], {}, false)).toEqual({ params: {}, refresh: false });
  });

  it("lists the defaults for a reset", () => {
    expect(defaultQueryParams(SPECS)).toEqual({ origin: "JFK", start_date: "2013-01-01", min_flights: 0, carrier: "", cancelled: false });
  });

  it("puts the artifact id in the path, escaped", () => {
    expect(artifactDataUrl("a_1")).toBe("/api/artifacts/a_1/data");
    expect(artifactDataUrl("a/../x")).toBe("/api/artifacts/a%2F..%2Fx/data");
    expect(artifactDataUrl("a_1", true)).toBe("/api/artifacts/a_1/data?full=true");
  });
});

describe("parseQueryResult", () => {
  it("reads params, param specs and cache, skipping specs it cannot show", () => {
    const result = parseQueryResult({
      query_id: "q1",
      columns: [{ name: "n", type: "BIGINT" }],
      rows: [[1]],
      params: { origin: "JFK", nested: { x: 1 } },
      param_specs: [{ name: "origin", type: "select", default: "JFK", options: ["JFK"] }, { name: "x", type: "slider", default: 1 }, { name: "s", type: "select", default: "a" }],
      cache: { key: "k", hit: true, stored_at: "2026-11-21T08:00:00Z", expires_at: null },
    });
    expect(result?.params).toEqual({ origin: "JFK" });
    expect(result?.param_specs.map((s) => s.name)).toEqual(["origin"]);
    expect(result?.cache).toEqual({ key: "k", hit: true, stored_at: "2026-11-21T08:00:00Z", expires_at: null });
  });

  it("defaults the new fields for an older server", () => {
    const result = parseQueryResult({ query_id: "q1", columns: [], rows: [] });
    expect(result).toMatchObject({ params: {}, param_specs: [], cache: null, row_count: 0 });
  });
});

describe("fetchArtifactData", () => {
  afterEach(() => vi.unstubAllGlobals());

  function stubFetch(response: Response) {
    const fetch = vi.fn(async (_url: string, _init: RequestInit) => response);
    vi.stubGlobal("fetch", fetch);
    return fetch;
  }

  it("POSTs the request as JSON and reads the result", async () => {
    const fetch = stubFetch(Response.json({ artifact_id: "a1", query_id: "q9", columns: [{ name: "n", type: "BIGINT" }], rows: [[3]], row_count: 1 }));
    const response = await fetchArtifactData("a1", { params: { origin: "LGA" }, refresh: true }, new AbortController().signal);
    expect(response).toMatchObject({ ok: true, result: { query_id: "q9", rows: [[3]] } });
    const [url, init] = fetch.mock.calls[0] ?? [];
    expect(url).toBe("/api/artifacts/a1/data");
    expect(init?.method).toBe("POST");
    expect(JSON.parse(String(init?.body))).toEqual({ params: { origin: "LGA" }, refresh: true });
  });

  it("asks for Arrow and reads an Arrow answer into the same rows", async () => {
    const table = new Table({ origin: vectorFromArray(["JFK", null], new Utf8()), n: vectorFromArray([3.5, 4], new Float64()) });
    table.schema.metadata.set("plotwise", JSON.stringify({ query_id: "q9", columns: [{ name: "origin", type: "VARCHAR" }, { name: "n", type: "DOUBLE" }] }));
    const fetch = stubFetch(new Response(new Blob([new Uint8Array(tableToIPC(table, "stream"))]), { headers: { "Content-Type": ARROW_STREAM } }));
    const response = await fetchArtifactData("a1", { params: {}, refresh: false }, new AbortController().signal);
    expect(response).toMatchObject({ ok: true, result: { query_id: "q9", rows: [["JFK", 3.5], [null, 4]] } });
    const headers = new Headers(fetch.mock.calls[0]?.[1]?.headers);
    expect(headers.get("Accept")).toContain(ARROW_STREAM);
  });

  it("returns the server's error shape", async () => {
    stubFetch(Response.json({ error: { code: "bad_request", message: "unknown parameter 'x'", stage: null, recoverable: false, trace_id: "t" } }, { status: 400 }));
    const response = await fetchArtifactData("a1", { params: { x: 1 }, refresh: false }, new AbortController().signal);
    expect(response).toEqual({ ok: false, error: { code: "bad_request", message: "unknown parameter 'x'", stage: null, recoverable: false, trace_id: "t" } });
  });

  it("turns a status without a JSON body into an error naming it", async () => {
    stubFetch(new Response("nope", { status: 404, statusText: "Not Found" }));
    const response = await fetchArtifactData("a1", { params: {}, refresh: false }, new AbortController().signal);
    expect(response).toMatchObject({ ok: false, error: { code: "http_404", message: "The server answered 404 Not Found." } });
  });
});
