import type { Node } from "@babel/types";

/** Keys that hold positions, comments or TypeScript types: erased before the code runs. */
const SKIPPED_KEYS = new Set([
  "loc",
  "start",
  "end",
  "range",
  "extra",
  "leadingComments",
  "trailingComments",
  "innerComments",
  "comments",
  "tokens",
  "typeAnnotation",
  "typeParameters",
  "typeArguments",
  "superTypeParameters",
  "returnType",
  "predicate",
  "implements",
]);

/** Type-only declarations: nothing inside them exists at run time. */
const TYPE_ONLY_NODES = new Set([
  "TSInterfaceDeclaration",
  "TSTypeAliasDeclaration",
  "TSDeclareFunction",
  "TSDeclareMethod",
  "TSIndexSignature",
]);

function isNode(value: unknown): value is Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}

/** Calls `visit(node, ancestors)` for every run-time node, depth first; ancestors[0] is the parent. */
export function walk(root: Node, visit: (node: Node, ancestors: readonly Node[]) => void): void {
  const ancestors: Node[] = [];
  const step = (node: Node): void => {
    if (TYPE_ONLY_NODES.has(node.type)) return;
    visit(node, ancestors);
    ancestors.unshift(node);
    for (const [key, value] of Object.entries(node)) {
      if (SKIPPED_KEYS.has(key)) continue;
      if (Array.isArray(value)) {
        for (const item of value) if (isNode(item)) step(item);
      } else if (isNode(value)) {
        step(value);
      }
    }
    ancestors.shift();
  };
  step(root);
}
