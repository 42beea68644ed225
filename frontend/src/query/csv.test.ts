import { describe, expect, it } from "vitest";
import { toCsv } from "./csv";

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
});
