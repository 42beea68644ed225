import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { wholeData } from "@plotwise/protocol";
import { compileComponent, describeError } from "./compile";

const WHOLE = wholeData(1);

const KPI = `import React, { useMemo } from "react";
import { Plane } from "lucide-react";

export default function Kpi({ data, params }: { data: { flights: number }[]; params: { label?: string } }) {
  const total = useMemo(() => data.reduce((sum, row) => sum + row.flights, 0), [data]);
  return <p className="kpi"><Plane size={16} /> {params.label ?? "Flights"}: {total}</p>;
}`;

function compiled(code: string) {
  const result = compileComponent(code);
  if (!result.ok) throw new Error(result.message);
  return result.component;
}

describe("compileComponent", () => {
  it("compiles a component and renders it with data and params", () => {
    const Kpi = compiled(KPI);
    const html = renderToStaticMarkup(createElement(Kpi, { data: [{ flights: 2 }, { flights: 3 }], params: {}, meta: WHOLE }));
    expect(html).toContain("Flights: 5");
    expect(html).toContain("lucide-plane");
  });

  it("re-renders with new props without compiling again", () => {
    const Kpi = compiled(KPI);
    const html = renderToStaticMarkup(createElement(Kpi, { data: [{ flights: 7 }], params: { label: "Total" }, meta: WHOLE }));
    expect(html).toContain("Total: 7");
  });

  it("resolves recharts imports from the scope", () => {
    const Chart = compiled(`import { BarChart, Bar } from "recharts";
export default function Chart({ data }) {
  return <BarChart width={300} height={200} data={data}><Bar dataKey="flights" isAnimationActive={false} /></BarChart>;
}`);
    // Server rendering draws only the chart's wrapper; the browser check covers the bars.
    const html = renderToStaticMarkup(createElement(Chart, { data: [{ flights: 1 }], params: {}, meta: WHOLE }));
    expect(html).toContain('class="recharts-wrapper"');
  });

  it("reports syntax errors with their position", () => {
    const result = compileComponent(`export default function A() {\n  return <div>;\n}`);
    expect(result.ok).toBe(false);
    expect(result.ok ? "" : result.message).toMatch(/^SyntaxError: .*\(2:\d+\)/);
  });

  it("reports an error thrown while the module runs", () => {
    const result = compileComponent(`const x = null;\nconst y = x.boom;\nexport default function A() { return null; }`);
    expect(result).toEqual({ ok: false, message: expect.stringMatching(/^TypeError: /) });
  });

  it("describes any thrown value", () => {
    expect(describeError("plain")).toBe("plain");
    expect(describeError(new RangeError("bad"))).toBe("RangeError: bad");
    expect(describeError("x".repeat(5000))).toHaveLength(2000);
  });
});
