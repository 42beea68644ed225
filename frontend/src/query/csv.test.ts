import { describe, expect, it } from "vitest";
import { escapeFormula, toCsv } from "./csv";

describe("toCsv", () => {
  it("writes a header and quotes fields that need it", () => {
    const columns = [
      { name: "name", type: "VARCHAR" },
      { name: "n", type: "BIGINT" },
    ];
    const csv = toCsv(columns, [
      ["plain", 1],
      ['say "hi", twice', null],
      ["two\nlines", 2.5],
    ]);
    expect(csv).toBe('name,n\r\nplain,1\r\n"say ""hi"", twice",\r\n"two\nlines",2.5\r\n');
  });

  it("escapes text cells a spreadsheet would run as a formula, not numbers", () => {
    const columns = [
      { name: "=HYPERLINK(1)", type: "VARCHAR" },
      { name: "n", type: "BIGINT" },
    ];
    const csv = toCsv(columns, [
      ["=cmd|' /C calc'!A0", -5],
      ["+1", 1],
      ["@SUM(A1)", 2],
      ["-2", 3],
      ["\tTAB", 4],
      ["a=b", 5],
    ]);
    expect(csv).toBe(
      "'=HYPERLINK(1),n\r\n'=cmd|' /C calc'!A0,-5\r\n'+1,1\r\n'@SUM(A1),2\r\n'-2,3\r\n'\tTAB,4\r\na=b,5\r\n",
    );
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["plain", "plain"],
    ["\nline", "'\nline"],
    ["", ""],
  ])("escapeFormula(%j) is %j", (text, escaped) => {
    expect(escapeFormula(text)).toBe(escaped);
  });
});
