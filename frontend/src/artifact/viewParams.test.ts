import { describe, expect, it } from "vitest";
import type { ParamSchema } from "./paramSpec";
import { schemaFor, usableSchema, viewParamValues } from "./viewParams";

const SCHEMA: ParamSchema = [
  { name: "color", type: "color", label: null, default: "#4f46e5" },
  { name: "topN", type: "number", label: null, default: 10, min: 1, max: 50, step: 1 },
  { name: "sort", type: "select", label: null, default: "value", options: ["value", "name"] },
  { name: "span", type: "daterange", label: null, default: ["2013-01-01", "2013-12-31"] },
];

describe("viewParamValues", () => {
  it("takes each default until a value is chosen", () => {
    expect(viewParamValues(SCHEMA, {})).toEqual({ color: "#4f46e5", topN: 10, sort: "value", span: ["2013-01-01", "2013-12-31"] });
  });

  it("uses chosen values that fit, and drops ones that do not or are not declared", () => {
    const chosen = { color: "#f00", topN: "5", sort: "size", span: ["2013-03-01", "2013-04-01"], stale: 1 };
    expect(viewParamValues(SCHEMA, chosen)).toEqual({ color: "#f00", topN: 10, sort: "value", span: ["2013-03-01", "2013-04-01"] });
  });
});

describe("schemaFor", () => {
  it("parses each code once and hides a broken schema from the controls", () => {
    const code = `export const params = { n: { type: "number", default: 1 } };\nexport default function A() { return null; }`;
    expect(schemaFor(code)).toBe(schemaFor(code));
    expect(usableSchema(code).map((spec) => spec.name)).toEqual(["n"]);
    expect(usableSchema(`export const params = { n: { type: "slider", default: 1 } };`)).toEqual([]);
  });
});
