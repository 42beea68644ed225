import { describe, expect, it } from "vitest";
import { readParamSchema } from "./paramSchema";
import { VIEW_PARAM_TYPES, type ParamSchema } from "./paramSpec";
import { POLICY } from "./policy";

const component = `export default function A({ data, params }) {\n  return <p>{data.length}</p>;\n}`;
const withParams = (body: string) => `export const params = {\n  ${body}\n};\n\n${component}`;

const good: Record<string, { body: string; schema: ParamSchema }> = {
  "number with bounds": {
    body: `topN: { type: "number", label: "Bars shown", min: 1, max: 50, step: 1, default: 10 },`,
    schema: [{ name: "topN", type: "number", label: "Bars shown", min: 1, max: 50, step: 1, default: 10 }],
  },
  "negative number, no bounds": {
    body: `offset: { type: "number", default: -2.5 },`,
    schema: [{ name: "offset", type: "number", label: null, min: null, max: null, step: null, default: -2.5 }],
  },
  "select of strings": {
    body: `"sort": { type: "select", options: ["value", "name"], default: "name" },`,
    schema: [{ name: "sort", type: "select", label: null, options: ["value", "name"], default: "name" }],
  },
  "select of numbers": {
    body: `bins: { type: "select", options: [5, 10, 20], default: 10, label: "Bins" },`,
    schema: [{ name: "bins", type: "select", label: "Bins", options: [5, 10, 20], default: 10 }],
  },
  boolean: { body: `grid: { type: "boolean", default: false },`, schema: [{ name: "grid", type: "boolean", label: null, default: false }] },
  "short and long colours": {
    body: `a: { type: "color", default: "#fff" },\n  b: { type: "color", label: "Bar colour", default: "#4F46E5" },`,
    schema: [
      { name: "a", type: "color", label: null, default: "#fff" },
      { name: "b", type: "color", label: "Bar colour", default: "#4F46E5" },
    ],
  },
  "text with a plain template literal": {
    body: "title: { type: `text`, default: `Flights` },",
    schema: [{ name: "title", type: "text", label: null, default: "Flights" }],
  },
  date: { body: `day: { type: "date", default: "2013-02-28" },`, schema: [{ name: "day", type: "date", label: null, default: "2013-02-28" }] },
  daterange: {
    body: `span: { type: "daterange", default: ["2013-01-01", "2013-12-31"] },`,
    schema: [{ name: "span", type: "daterange", label: null, default: ["2013-01-01", "2013-12-31"] }],
  },
  "null label, as const": {
    body: `_x1: { type: "boolean", label: null, default: true } as const,`,
    schema: [{ name: "_x1", type: "boolean", label: null, default: true }],
  },
};

describe("readParamSchema reads literal view parameters", () => {
  it.each(Object.entries(good))("%s", (_name, { body, schema }) => {
    expect(readParamSchema(withParams(body))).toEqual({ ok: true, schema });
  });

  it("gives an empty schema when the component declares none", () => {
    expect(readParamSchema(component)).toEqual({ ok: true, schema: [] });
  });

  it("accepts `as const` on the whole object and keeps declaration order", () => {
    const code = `export const params = { b: { type: "text", default: "x" }, a: { type: "boolean", default: true } } as const;\n${component}`;
    const result = readParamSchema(code);
    expect(result.ok && result.schema.map((spec) => spec.name)).toEqual(["b", "a"]);
  });
});

const bad: Record<string, { body: string; rule: RegExp }> = {
  "unknown type": { body: `a: { type: "slider", default: 1 },`, rule: /view parameter "a": type must be one of number, select/ },
  "missing type": { body: `a: { default: 1 },`, rule: /view parameter "a": type must be one of/ },
  "unknown field": { body: `a: { type: "text", default: "x", placeholder: "y" },`, rule: /view parameter "a": unknown field "placeholder" for type text/ },
  "field of another type": { body: `a: { type: "text", default: "x", min: 1 },`, rule: /view parameter "a": unknown field "min"/ },
  "missing default": { body: `a: { type: "boolean" },`, rule: /view parameter "a": default is missing/ },
  "number default as string": { body: `n: { type: "number", default: "10" },`, rule: /view parameter "n": default must be a number, got "10"/ },
  "number default above max": { body: `n: { type: "number", min: 1, max: 50, default: 60 },`, rule: /view parameter "n": default 60 is above max 50/ },
  "number default below min": { body: `n: { type: "number", min: 1, default: -1 },`, rule: /view parameter "n": default -1 is below min 1/ },
  "min above max": { body: `n: { type: "number", min: 5, max: 1, default: 3 },`, rule: /min 5 is above max 1/ },
  "zero step": { body: `n: { type: "number", step: 0, default: 3 },`, rule: /step must be above 0/ },
  "select without options": { body: `s: { type: "select", default: "a" },`, rule: /view parameter "s": options must be a non-empty array/ },
  "select with empty options": { body: `s: { type: "select", options: [], default: "a" },`, rule: /options must be a non-empty array/ },
  "select default not an option": { body: `s: { type: "select", options: ["a", "b"], default: "c" },`, rule: /view parameter "s": default must be one of the options/ },
  "select with boolean option": { body: `s: { type: "select", options: ["a", true], default: "a" },`, rule: /options must hold only strings or numbers/ },
  "boolean default as string": { body: `b: { type: "boolean", default: "true" },`, rule: /view parameter "b": default must be true or false/ },
  "colour name": { body: `c: { type: "color", default: "red" },`, rule: /view parameter "c": default must be a hex colour/ },
  "colour with four digits": { body: `c: { type: "color", default: "#abcd" },`, rule: /default must be a hex colour/ },
  "text default as number": { body: `t: { type: "text", default: 3 },`, rule: /view parameter "t": default must be a string/ },
  "date in another format": { body: `d: { type: "date", default: "01/02/2013" },`, rule: /view parameter "d": default must be a "YYYY-MM-DD" date/ },
  "impossible date": { body: `d: { type: "date", default: "2013-02-30" },`, rule: /default must be a "YYYY-MM-DD" date/ },
  "daterange reversed": { body: `r: { type: "daterange", default: ["2013-12-31", "2013-01-01"] },`, rule: /view parameter "r": default must be .* start ≤ end/ },
  "daterange of one date": { body: `r: { type: "daterange", default: ["2013-01-01"] },`, rule: /view parameter "r": default must be/ },
  "label not a string": { body: `a: { type: "text", label: 3, default: "x" },`, rule: /view parameter "a": label must be a string/ },
  "variable as a value": { body: `a: { type: "color", default: BRAND },`, rule: /view parameter "a": field "default" must be a literal .* not the variable "BRAND"/ },
  "call as a value": { body: `a: { type: "number", default: Math.max(1, 2) },`, rule: /field "default" must be a literal .* not a call/ },
  "template with an expression": { body: "a: { type: \"text\", default: `n=${1}` },", rule: /not a template literal with expressions/ },
  "variable inside an array": { body: `a: { type: "select", options: ["a", B], default: "a" },`, rule: /field "options": array items must be literals/ },
  "nested object": { body: `a: { type: "text", default: { x: 1 } },`, rule: /not a nested object/ },
  "spread in a parameter": { body: `a: { ...base, default: 1 },`, rule: /view parameter "a": spreads are not allowed/ },
  "spread of parameters": { body: `...shared,`, rule: /"export const params": spreads are not allowed/ },
  "computed key": { body: `[name]: { type: "text", default: "x" },`, rule: /computed or numeric keys are not allowed/ },
  "computed field key": { body: `a: { ["type"]: "text", default: "x" },`, rule: /view parameter "a": computed or numeric keys/ },
  "numeric key": { body: `1: { type: "text", default: "x" },`, rule: /computed or numeric keys are not allowed/ },
  "name with a dash": { body: `"top-n": { type: "number", default: 1 },`, rule: /view parameter name "top-n" must be letters, digits and underscores/ },
  "reserved name": { body: `__proto__: { type: "number", default: 1 },`, rule: /view parameter name "__proto__" is reserved/ },
  "duplicate name": { body: `a: { type: "text", default: "x" },\n  a: { type: "text", default: "y" },`, rule: /"a" is declared twice/ },
  "parameter not an object": { body: `a: "text",`, rule: /view parameter "a" must be an object literal/ },
  "method": { body: `a() { return 1; },`, rule: /methods are not allowed/ },
};

describe("readParamSchema refuses anything but literal, well-typed parameters", () => {
  it.each(Object.entries(bad))("%s", (_name, { body, rule }) => {
    const result = readParamSchema(withParams(body));
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    expect(problems.find((problem) => rule.test(problem)), `no problem matches ${rule}; got ${JSON.stringify(problems)}`).toBeDefined();
    expect(problems.every((problem) => /^line \d+:\d+: /.test(problem))).toBe(true);
  });

  it("refuses params that are not an object literal", () => {
    const result = readParamSchema(`const base = {};\nexport const params = base;\n${component}`);
    expect(result).toEqual({ ok: false, problems: [expect.stringMatching(/^line 2:\d+: "export const params" must be an object literal, not the variable "base"/)] });
  });

  it("refuses params declared with let", () => {
    const result = readParamSchema(`export let params = {};\n${component}`);
    expect(result.ok ? [] : result.problems).toEqual([expect.stringMatching(/declared with "export const params", not "let"/)]);
  });

  it("reports a syntax error", () => {
    expect(readParamSchema("export const params = {")).toEqual({ ok: false, problems: [expect.stringMatching(/^Syntax error at line 1:/)] });
  });
});

describe("view parameter types", () => {
  it("are the ones the policy file lists", () => {
    expect([...VIEW_PARAM_TYPES].sort()).toEqual(Object.keys(POLICY.viewParams.types).sort());
  });
});
