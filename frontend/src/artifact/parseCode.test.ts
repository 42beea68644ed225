import { describe, expect, it } from "vitest";
import { parseComponentCode, PARSE_CACHE_SIZE } from "./parseCode";

const component = (n: number) => `export default function Chart${n}() {\n  return <p>${n}</p>;\n}\n`;

describe("parseComponentCode", () => {
  it("parses a component once however many readers ask for it", () => {
    const first = parseComponentCode(component(1));
    expect(first.ok).toBe(true);
    expect(parseComponentCode(component(1))).toBe(first);
    expect(parseComponentCode(`${component(1)} `)).not.toBe(first);
  });

  it("keeps a syntax error's position for the same code asked again", () => {
    const broken = "export default function Broken() {\n  return <p>;\n}\n";
    const first = parseComponentCode(broken);
    expect(first).toEqual({ ok: false, problem: expect.stringMatching(/^Syntax error at line 2:/) });
    expect(parseComponentCode(broken)).toBe(first);
  });

  it("keeps only the most recently read components", () => {
    const kept = parseComponentCode(component(100));
    const dropped = parseComponentCode(component(101));
    for (let n = 0; n < PARSE_CACHE_SIZE - 1; n += 1) {
      parseComponentCode(component(200 + n));
      parseComponentCode(component(100)); // read again: stays among the most recent
    }
    expect(parseComponentCode(component(100))).toBe(kept);
    expect(parseComponentCode(component(101))).not.toBe(dropped);
  });
});
