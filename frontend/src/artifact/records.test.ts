import { describe, expect, it } from "vitest";
import type { DataEvent } from "../chat/events";
import { dataFor, toRecords } from "./records";

const columns = [
  { name: "carrier", type: "VARCHAR" },
  { name: "flights", type: "BIGINT" },
];

function dataEvent(queryId: string, rows: DataEvent["rows"]): DataEvent {
  return {
    type: "data",
    query_id: queryId,
    sql: "SELECT 1",
    columns,
    rows,
    row_count: rows.length,
    truncated: false,
    elapsed_ms: 1,
    fetched_at: "2026-11-21T08:00:00Z",
    data_version: "v1",
    params: {},
    param_specs: [],
    cache: null,
    job: null,
    downsampled: false,
    original_row_count: rows.length,
    downsample: null,
  };
}

describe("toRecords", () => {
  it("keys each row by column name, in column order", () => {
    expect(toRecords(columns, [["UA", 58665], ["9E", 18460]])).toEqual([
      { carrier: "UA", flights: 58665 },
      { carrier: "9E", flights: 18460 },
    ]);
  });

  it("fills missing cells with null and keeps nulls", () => {
    expect(toRecords(columns, [["UA"], [null, 3]])).toEqual([
      { carrier: "UA", flights: null },
      { carrier: null, flights: 3 },
    ]);
  });

  it("keeps a column named __proto__ as data, not as the prototype", () => {
    const [row] = toRecords([{ name: "__proto__", type: "VARCHAR" }], [["x"]]);
    expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
    expect(Object.keys(row ?? {})).toEqual(["__proto__"]);
  });
});

describe("dataFor", () => {
  const events = [dataEvent("q1", [["AA", 1]]), dataEvent("q2", [["UA", 2]])];

  it("uses the data event the artifact names", () => {
    expect(dataFor(events, "q2")?.rows).toEqual([["UA", 2]]);
  });

  it("gives no data for a null or unknown query id", () => {
    expect(dataFor(events, null)).toBeNull();
    expect(dataFor(events, "q9")).toBeNull();
  });
});
