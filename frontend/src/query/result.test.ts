import { describe, expect, it } from "vitest";
import { parseQueryResult } from "./result";

const base = { query_id: "q1", columns: [{ name: "t", type: "TIMESTAMP" }], rows: [["2013-01-01T00:00:00"], ["2013-01-02T00:00:00"]], row_count: 2 };

describe("parseQueryResult's downsampling flags", () => {
  it("reads a downsampled result's method and original row count", () => {
    const result = parseQueryResult({ ...base, downsampled: true, original_row_count: 100_000, downsample: "lttb" });
    expect(result).toMatchObject({ row_count: 2, downsampled: true, original_row_count: 100_000, downsample: "lttb" });
  });

  it("reads a result without the flags, or with an unknown method, as the whole result", () => {
    const whole = { downsampled: false, original_row_count: 2, downsample: null };
    expect(parseQueryResult(base)).toMatchObject(whole);
    expect(parseQueryResult({ ...base, downsampled: true, original_row_count: 9, downsample: "guess" })).toMatchObject(whole);
  });
});
