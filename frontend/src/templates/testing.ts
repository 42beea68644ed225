import type { JsonObject } from "../lib/json";

// Fixtures shared by the templates' and conversations' tests.

/** A template as the server sends it. */
export function templateJson(overrides: JsonObject = {}): JsonObject {
  return {
    id: "tpl_1",
    name: "Flights from an origin by month",
    description: "Monthly counts",
    prompt: "Number of flights from JFK by month",
    sql: "SELECT month, count(*) AS flights FROM flights WHERE origin = $origin GROUP BY month",
    param_specs: [{ name: "origin", type: "select", default: "JFK", options: ["EWR", "JFK", "LGA"] }],
    query_params: { origin: "LGA" },
    view_params: { color: "#dc2626" },
    engine: "duckdb",
    code: "export default function A({ data }) { return <p>{data.length}</p>; }",
    language: "tsx",
    dataset: "nycflights13",
    version: 3,
    created_at: "2026-11-20T08:00:00Z",
    updated_at: "2026-11-21T08:00:00Z",
    ...overrides,
  };
}

/** A stored artifact as the server sends it. */
export function artifactJson(overrides: JsonObject = {}): JsonObject {
  return {
    artifact_id: "art_1",
    conversation_id: "c1",
    code: "export default function A({ data }) { return <p>{data.length}</p>; }",
    language: "tsx",
    query_id: "q1",
    sql: "SELECT month, count(*) AS flights FROM flights WHERE origin = $origin GROUP BY month",
    param_specs: [{ name: "origin", type: "select", default: "JFK", options: ["EWR", "JFK", "LGA"] }],
    created_at: "2026-11-21T08:00:00Z",
    prompt: "Number of flights from JFK by month",
    ...overrides,
  };
}

/** Artifact data as the server sends it. */
export function dataJson(overrides: JsonObject = {}): JsonObject {
  return {
    artifact_id: "art_1",
    query_id: "q7",
    sql: "SELECT month, count(*) AS flights FROM flights WHERE origin = $origin GROUP BY month",
    columns: [
      { name: "month", type: "BIGINT" },
      { name: "flights", type: "BIGINT" },
    ],
    rows: [
      [1, 700],
      [2, 650],
    ],
    row_count: 2,
    truncated: false,
    elapsed_ms: 4,
    fetched_at: "2026-11-21T09:00:00Z",
    data_version: "v3",
    params: { origin: "LGA" },
    param_specs: [{ name: "origin", type: "select", default: "JFK", options: ["EWR", "JFK", "LGA"] }],
    cache: { key: "k", hit: false, stored_at: null, expires_at: null },
    ...overrides,
  };
}
