import type { ComponentType } from "react";
import { importCode } from "react-runner";
import type { RenderMessage } from "@plotwise/protocol";
import { SCOPE } from "./scope";

/** The props every generated component receives. */
export type ArtifactProps = Pick<RenderMessage, "data" | "params" | "meta">;
export type ArtifactComponent = ComponentType<ArtifactProps>;

export type CompileResult = { ok: true; component: ArtifactComponent } | { ok: false; message: string };

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

/**
 * Evaluates the code and returns its default export. The app validated it before sending it (and
 * the server before that); only the parent's messages reach here (`bridge.ts`). Not checking a
 * third time keeps Babel's parser (~80 kB gzip) out of the sandbox bundle; the frame and its CSP
 * are the wall either way.
 */
export function compileComponent(code: string): CompileResult {
  let exported: unknown;
  try {
    exported = importCode(code, SCOPE).default;
  } catch (error) {
    return { ok: false, message: describeError(error) };
  }
  if (typeof exported !== "function") return { ok: false, message: "The code has no default export function component." };
  return { ok: true, component: exported as ArtifactComponent };
}
