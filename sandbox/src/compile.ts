import type { ComponentType } from "react";
import * as React from "react";
import * as Recharts from "recharts";
import { importCode } from "react-runner";
import * as AllowedIcons from "@plotwise/icons";
import { POLICY, validateComponent } from "@plotwise/validation";
import type { RenderMessage } from "@plotwise/protocol";

/** The props every generated component receives. */
export type ArtifactProps = Pick<RenderMessage, "data" | "params" | "meta">;
export type ArtifactComponent = ComponentType<ArtifactProps>;

export type CompileResult = { ok: true; component: ArtifactComponent } | { ok: false; message: string };

/**
 * A module's exports that the validation policy allows a component to use. The validator refuses
 * every other name before the code runs; leaving them out of the scope too means a name it
 * missed is simply not there.
 */
export function allowedExports(module: string, exports: object): Record<string, unknown> {
  const names = POLICY.modules.allowed[module]?.names;
  return Object.fromEntries(Object.entries(exports).filter(([name]) => names === null || names?.includes(name)));
}

/** The only modules `import` can reach inside generated code (see the policy's modules). */
const SCOPE = {
  import: {
    react: allowedExports("react", React),
    recharts: allowedExports("recharts", Recharts),
    "lucide-react": allowedExports("lucide-react", AllowedIcons),
  },
};

/** Longest error message sent to the parent. */
const MAX_MESSAGE = 2000;

/** A readable message for anything thrown; generated code can throw any value. */
export function describeError(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  } catch {
    text = "an error that cannot be displayed";
  }
  return text.slice(0, MAX_MESSAGE);
}

/** Validates the code again (same policy as the app), then evaluates it and returns its default export. */
export function compileComponent(code: string): CompileResult {
  const validation = validateComponent(code);
  if (!validation.ok) return { ok: false, message: `The component was refused: ${validation.problems.join("; ")}` };
  let exported: unknown;
  try {
    exported = importCode(code, SCOPE).default;
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
  if (typeof exported !== "function") return { ok: false, message: "The code has no default export function component." };
  return { ok: true, component: exported as ArtifactComponent };
}
