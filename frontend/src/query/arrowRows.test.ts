import {
  Bool,
  BufferType,
  Data,
  DateDay,
  Decimal,
  Float64,
  Int32,
  Int64,
  Table,
  TimeMicrosecond,
  TimestampMicrosecond,
  TimestampNanosecond,
  Utf8,
  makeVector,
  tableToIPC,
  vectorFromArray,
  type DataType,
  type Vector,
} from "apache-arrow";
import { describe, expect, it } from "vitest";
import { succeededJson } from "../job/testing";
import { decodeArrowResult } from "./arrowRows";

const META = {
  query_id: "q_12345678",
  sql: "SELECT ...",
  columns: [{ name: "d", type: "DECIMAL(10,2)" }],
  row_count: 3,
  truncated: false,
  elapsed_ms: 1.5,
  fetched_at: "2026-11-21T12:00:00Z",
  data_version: "v1",
  params: {},
  param_specs: [],
  cache: { key: "k", hit: false, stored_at: null, expires_at: null },
  artifact_id: "art_1",
};

/** Validity bitmap of three values where the third is null. */
const FIRST_TWO = new Uint8Array([0b011]);

/** Three values of a fixed-width type from its raw buffer, the third null. */
function column<T extends DataType>(type: T, data: T["TArray"]): Vector<T> {
  return makeVector(new Data(type, 0, 3, 1, { [BufferType.DATA]: data, [BufferType.VALIDITY]: FIRST_TWO }));
}

function ipc(vectors: Record<string, Vector>, meta: object = META): Uint8Array {
  const table = new Table(vectors);
  table.schema.metadata.set("plotwise", JSON.stringify(meta));
  return tableToIPC(table, "stream");
}

describe("decodeArrowResult", () => {
  it("gives the JSON answer's values: decimals as numbers, ISO dates and times, nulls", () => {
    const microsSinceEpoch = 1_357_095_845_123_456n; // 2013-01-02T03:04:05.123456
    const bytes = ipc({
      // Words little-endian: 1234 and -1234 as 128-bit two's complement, scale 2.
      d: column(new Decimal(2, 10, 128), new Uint32Array([1234, 0, 0, 0, 0xfffffb2e, 0xffffffff, 0xffffffff, 0xffffffff, 0, 0, 0, 0])),
      big: column(new Int64(), new BigInt64Array([9_007_199_254_740_993n, -5n, 0n])),
      day: column(new DateDay(), new Int32Array([15_707, -1, 0])),
      ts: column(new TimestampMicrosecond(), new BigInt64Array([microsSinceEpoch, 1_357_095_845_000_000n, 0n])),
      tz: column(new TimestampMicrosecond("Etc/UTC"), new BigInt64Array([microsSinceEpoch, -1n, 0n])),
      ns: column(new TimestampNanosecond(), new BigInt64Array([1_357_095_845_123_456_789n, 1_357_095_845_123_456_000n, 0n])),
      time: column(new TimeMicrosecond(), new BigInt64Array([3_723_000_000n, 3_723_000_001n, 0n])),
      i: column(new Int32(), new Int32Array([7, -7, 0])),
      f: vectorFromArray([1.5, Number.NaN, null], new Float64()),
      s: vectorFromArray(["x", "", null], new Utf8()),
      b: vectorFromArray([true, false, null], new Bool()),
    });
    const result = decodeArrowResult(bytes);
    expect(result).not.toBeNull();
    expect(result?.query_id).toBe("q_12345678");
    expect(result?.cache?.key).toBe("k");
    expect(result?.rows).toEqual([
      [12.34, 9007199254740992, "2013-01-02", "2013-01-02T03:04:05.123456", "2013-01-02T03:04:05.123456+00:00", "2013-01-02T03:04:05.123456789", "01:02:03", 7, 1.5, "x", true],
      [-12.34, -5, "1969-12-31", "2013-01-02T03:04:05", "1969-12-31T23:59:59.999999+00:00", "2013-01-02T03:04:05.123456", "01:02:03.000001", -7, null, "", false],
      [null, null, null, null, null, null, null, null, null, null, null],
    ]);
  });

  it("refuses a stream without Plotwise's metadata, and bytes that are no stream", () => {
    const table = new Table({ a: vectorFromArray([1, 2], new Int32()) });
    expect(decodeArrowResult(tableToIPC(table, "stream"))).toBeNull();
    expect(decodeArrowResult(new TextEncoder().encode('{"rows": []}'))).toBeNull();
  });

  it("reads the Spark job of an artifact whose rows are a job's preview", () => {
    const bytes = ipc({ carrier: vectorFromArray(["9E", "AA"], new Utf8()) }, { ...META, columns: [{ name: "carrier", type: "VARCHAR" }], row_count: 2, truncated: true, job: succeededJson() });
    const result = decodeArrowResult(bytes);
    expect(result?.rows).toEqual([["9E"], ["AA"]]);
    expect(result?.job).toMatchObject({ state: "succeeded", row_count: 12345, files: [{ format: "parquet" }, { format: "csv" }] });
    expect(decodeArrowResult(ipc({ carrier: vectorFromArray(["9E"], new Utf8()) }))?.job).toBeNull();
  });
});
