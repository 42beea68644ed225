import type { SyncStorage } from "./persistence";
import type { DataEvent } from "../chat/events";
import type { QueryResult } from "../query/result";

// Fixtures shared by the store's tests.

/** A Storage-like map, so tests can read what the store saved. */
export function memoryStorage(): SyncStorage & { items: Map<string, string> } {
  const items = new Map<string, string>();
  return {
    items,
    getItem: (name) => items.get(name) ?? null,
    setItem: (name, value) => {
      items.set(name, value);
    },
    removeItem: (name) => {
      items.delete(name);
    },
  };
}

/** A query result for "flights from $origin by month". */
export function queryResult(overrides: Partial<QueryResult> = {}): QueryResult {
  return {
    query_id: "q1",
    sql: "SELECT month, count(*) AS flights FROM flights WHERE origin = $origin GROUP BY 1",
    columns: [
      { name: "month", type: "BIGINT" },
      { name: "flights", type: "BIGINT" },
    ],
    rows: [
      [1, 9000],
      [2, 8000],
    ],
    row_count: 2,
    truncated: false,
    elapsed_ms: 3,
    fetched_at: "2026-11-21T08:00:00Z",
    data_version: "v1",
    params: { origin: "JFK" },
    param_specs: [
      { name: "origin", type: "select", label: "Origin", default: "JFK", options: ["EWR", "JFK", "LGA"], min: null, max: null, step: null },
    ],
    cache: { key: "k1", hit: false, stored_at: "2026-11-21T08:00:00Z", expires_at: null },
    job: null,
    downsampled: false,
    original_row_count: 2,
    downsample: null,
    ...overrides,
  };
}

/** The same result as a `data` event. */
export function dataEvent(overrides: Partial<QueryResult> = {}): DataEvent {
  return { type: "data", ...queryResult(overrides) };
}

/** Code of a component with two view parameters. */
export const CHART_CODE = `export const params = {
  color: { type: "color", default: "#4f46e5" },
  topN: { type: "number", min: 1, max: 50, default: 10 },
};
export default function A({ data, params }) { return <p style={{ color: params.color }}>{data.length}</p>; }`;
