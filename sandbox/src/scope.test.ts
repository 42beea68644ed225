import { createElement } from "react";
import * as React from "react";
import * as Recharts from "recharts";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import * as AllowedIcons from "@plotwise/icons";
import { POLICY } from "@plotwise/validation";
import { wholeData } from "@plotwise/protocol";
import { allowedExports, compileComponent } from "./compile";

const WHOLE = wholeData(1);

function names(module: string): readonly string[] {
  return POLICY.modules.allowed[module]?.names ?? [];
}

describe("the modules generated code can reach", () => {
  it("hold exactly the names the policy allows, each a real export", () => {
    expect(Object.keys(allowedExports("react", React)).sort()).toEqual([...names("react")].sort());
    expect(Object.keys(allowedExports("recharts", Recharts)).sort()).toEqual([...names("recharts")].sort());
    expect(Object.keys(AllowedIcons).sort()).toEqual([...names("lucide-react")].sort());
  });

  it("leave out everything else", () => {
    expect(allowedExports("react", React)).not.toHaveProperty("version");
    expect(allowedExports("recharts", Recharts)).not.toHaveProperty("Global");
    expect(AllowedIcons).not.toHaveProperty("Skull");
  });

  it("still render React's default import, JSX fragments and namespace imports", () => {
    const result = compileComponent(`import React, { useMemo } from "react";
import * as R from "recharts";
import { Plane } from "lucide-react";

export default function A({ data }) {
  const [label] = React.useState("Flights");
  const total = useMemo(() => data.length, [data]);
  return <><Plane size={12} /><p>{label}: {total}</p><R.ResponsiveContainer width={100} height={50}><R.BarChart data={data} /></R.ResponsiveContainer></>;
}`);
    if (!result.ok) throw new Error(result.message);
    const html = renderToStaticMarkup(createElement(result.component, { data: [{ n: 1 }, { n: 2 }], params: {}, meta: WHOLE }));
    expect(html).toContain("Flights: 2");
    expect(html).toContain("lucide-plane");
  });
});
