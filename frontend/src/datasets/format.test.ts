import { describe, expect, it } from "vitest";
import { cellText, formatBytes, progressText, rowsText, uploadPercent } from "./format";

describe("format", () => {
  it("writes sizes in binary units", () => {
    expect(formatBytes(1)).toBe("1 byte");
    expect(formatBytes(512)).toBe("512 bytes");
    expect(formatBytes(4096)).toBe(`${(4).toLocaleString(undefined, { minimumFractionDigits: 1 })} KiB`);
    expect(formatBytes(1024 ** 3 * 1.5)).toMatch(/^1.5 GiB$|^1,5 GiB$/);
  });

  it("gives whole percents within 0-100", () => {
    expect(uploadPercent(0, 0)).toBe(0);
    expect(uploadPercent(999, 1000)).toBe(99);
    expect(uploadPercent(1200, 1000)).toBe(100);
    expect(progressText(512, 1024)).toContain("(50%)");
  });

  it("writes rows and cells", () => {
    expect(rowsText(1)).toBe("1 row");
    expect(rowsText(null)).toBe("rows unknown");
    expect(cellText(null)).toBe("");
    expect(cellText("=cmd")).toBe("=cmd");
    expect(cellText(false)).toBe("false");
    expect(cellText({ a: [1] })).toBe('{"a":[1]}');
  });
});
