import { describe, expect, it } from "vitest";
import { POLICY, RULE_IDS } from "./policy";
import { validateComponent } from "./validation";

// The shared validation vectors (fixtures/validation/): the server's validator must give each
// the same verdict (tests/unit/test_tsx_validator.py reads the same files).

const files = import.meta.glob<string>("../../../fixtures/validation/*/*.tsx", { query: "?raw", import: "default", eager: true });

interface Vector {
  name: string;
  code: string;
  /** For a forbidden vector: exactly the rules that must refuse it (its second line). */
  rules: string[];
}

const RULE_LINE = "// rule:";

function vectors(verdict: "allowed" | "forbidden"): Vector[] {
  return Object.entries(files)
    .filter(([path]) => path.includes(`/validation/${verdict}/`))
    .map(([path, code]) => {
      const name = path.slice(path.lastIndexOf("/") + 1, -".tsx".length);
      const line = code.split("\n")[1] ?? "";
      const rules = line.startsWith(RULE_LINE) ? line.slice(RULE_LINE.length).split(",").map((rule) => rule.trim()) : [];
      return { name, code, rules };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const allowed = vectors("allowed");
const forbidden = vectors("forbidden");

describe("shared validation vectors", () => {
  it("has enough vectors of each verdict", () => {
    expect(allowed.length).toBeGreaterThanOrEqual(45);
    expect(forbidden.length).toBeGreaterThanOrEqual(45);
  });

  it.each(allowed.map((v) => [v.name, v] as const))("allows %s", (_name, vector) => {
    expect(validateComponent(vector.code)).toEqual({ ok: true });
  });

  it.each(forbidden.map((v) => [v.name, v] as const))("refuses %s by its rules", (_name, vector) => {
    expect(vector.rules.length, `${vector.name} needs a "${RULE_LINE}" second line`).toBeGreaterThan(0);
    const result = validateComponent(vector.code);
    expect(result.ok).toBe(false);
    const rules = result.ok ? [] : result.rules;
    expect([...rules].sort(), result.ok ? "" : result.problems.join("\n")).toEqual([...vector.rules].sort());
  });

  it("lists every rule of the policy file, and every rule has a vector", () => {
    const listed = Object.keys(POLICY.rules).filter((key) => key !== "description");
    expect([...listed].sort()).toEqual([...RULE_IDS].sort());
    expect(new Set(forbidden.flatMap((v) => v.rules))).toEqual(new Set(RULE_IDS));
  });
});
