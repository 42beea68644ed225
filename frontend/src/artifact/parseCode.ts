import { parse } from "@babel/parser";
import type { File, Node } from "@babel/types";
import type { RuleId } from "./policy";

/** Reports a problem found at `node`: the policy rule it breaks and a text that explains it. */
export type Report = (node: Node, rule: RuleId, text: string) => void;

export type ParseResult = { ok: true; ast: File } | { ok: false; problem: string };

/** "line L:C" of a node, 1-based, for problem messages. */
export function where(node: Node): string {
  const start = node.loc?.start;
  return start ? `line ${start.line}:${start.column + 1}` : "line ?";
}

function syntaxProblem(error: unknown): string {
  const loc = (error as { loc?: { line?: unknown; column?: unknown } } | null)?.loc;
  const message = error instanceof Error ? error.message.replace(/\s*\(\d+:\d+\)$/, "") : String(error);
  if (loc && typeof loc.line === "number" && typeof loc.column === "number") {
    return `Syntax error at line ${loc.line}:${loc.column + 1}: ${message}`;
  }
  return `Syntax error: ${message}`;
}

/** How many components' parses are kept: a conversation's charts, and the one streaming in. */
export const PARSE_CACHE_SIZE = 16;

// Most recently used last. Validation, the view parameter schema and the sidebar each read the
// same component as it arrives; one Babel parse costs 10-20 ms of the page's main thread.
const parses = new Map<string, ParseResult>();

/**
 * Parses a component (TSX module) without running it; a syntax error names its position.
 * The result is shared by every caller with the same code (the last `PARSE_CACHE_SIZE`
 * components are kept), so the AST must be read, never changed.
 */
export function parseComponentCode(code: string): ParseResult {
  const known = parses.get(code);
  if (known !== undefined) {
    parses.delete(code);
    parses.set(code, known);
    return known;
  }
  const result = parseOnce(code);
  parses.set(code, result);
  if (parses.size > PARSE_CACHE_SIZE) parses.delete(parses.keys().next().value as string);
  return result;
}

function parseOnce(code: string): ParseResult {
  try {
    return { ok: true, ast: parse(code, { sourceType: "module", plugins: ["jsx", "typescript"] }) };
  } catch (error) {
    return { ok: false, problem: syntaxProblem(error) };
  }
}
