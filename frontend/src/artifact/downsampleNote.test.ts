import { describe, expect, it } from "vitest";
import { resultRowCount } from "../store/artifacts";
import { downsampleText } from "./DownsampleNote";

describe("the downsampling note", () => {
  it("says how many points of how many a series shows", () => {
    expect(downsampleText(2000, { downsampled: true, original_row_count: 100_000, downsample: "lttb" })).toBe(
      "showing 2,000 of 100,000 points, downsampled (LTTB)",
    );
  });

  it("names the top categories and the Other row", () => {
    expect(downsampleText(2000, { downsampled: true, original_row_count: 4043, downsample: "top_n" })).toBe(
      "showing 2,000 of 4,043 rows: the top 1,999 categories, the rest summed as “Other”",
    );
  });

  it("counts a downsampled result by its rows before downsampling", () => {
    const meta = { downsampled: true, original_row_count: 100_000, downsample: "lttb" as const };
    expect(resultRowCount({ columns: [], rows: [], rowCount: 2000, truncated: false, meta })).toBe(100_000);
    expect(resultRowCount({ columns: [], rows: [], rowCount: 12, truncated: false, meta: { downsampled: false, original_row_count: 12, downsample: null } })).toBe(12);
  });
});
