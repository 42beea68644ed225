import { createElement } from "react";
import * as React from "react";
import * as Recharts from "recharts";
import * as Lucide from "lucide-react";
import { renderToStaticMarkup } from "react-dom/server";
import { importCode } from "react-runner";
import { describe, expect, it } from "vitest";
import { POLICY } from "@plotwise/validation";
import { wholeData } from "@plotwise/protocol";
import { compileComponent } from "./compile";
import { SCOPE, SCOPE_MODULES } from "./scope";

const REAL_MODULES: Record<string, object> = { react: React, recharts: Recharts, "lucide-react": Lucide };
const WHOLE = wholeData(1);

describe("the modules generated code can reach", () => {
  it("are exactly the modules on the policy's allowlist", () => {
    expect(Object.keys(SCOPE_MODULES).sort()).toEqual(Object.keys(POLICY.modules.allowed).sort());
  });

  it.each(Object.keys(POLICY.modules.allowed))("%s holds exactly the names the policy allows, each the real export", (module) => {
    const names = POLICY.modules.allowed[module]?.names;
    const scope = SCOPE_MODULES[module] ?? {};
    expect(names).not.toBeNull();
    expect(Object.keys(scope).sort()).toEqual([...(names ?? [])].sort());
    const real = REAL_MODULES[module] as Record<string, unknown>;
    for (const name of names ?? []) {
      expect(scope[name], `${module}.${name}`).toBeDefined();
      expect(scope[name], `${module}.${name}`).toBe(real[name]);
    }
  });

  it("leave out everything else", () => {
    expect(SCOPE_MODULES.react).not.toHaveProperty("version");
    expect(SCOPE_MODULES.recharts).not.toHaveProperty("Global");
    expect(SCOPE_MODULES["lucide-react"]).not.toHaveProperty("Skull");
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

  it("leave a name the validator missed undefined at run time", () => {
    // importCode without validation: what an escaped name would meet in the frame.
    const exported = importCode(`import { Global } from "recharts";\nimport { Skull } from "lucide-react";\nexport default [typeof Global, typeof Skull];`, SCOPE);
    expect(exported.default).toEqual(["undefined", "undefined"]);
  });
});
