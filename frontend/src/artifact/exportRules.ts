import type { File, Node } from "@babel/types";
import type { Report } from "./parseCode";
import { POLICY } from "./policy";

// Part of the validation policy (validation.ts): what a component module may export. The server
// applies the same rules (backend/plotwise/artifact/validator/exports.py).

type FunctionNode = Extract<Node, { type: "FunctionDeclaration" | "FunctionExpression" | "ArrowFunctionExpression" }>;

function isFunction(node: Node): node is FunctionNode {
  return node.type === "FunctionDeclaration" || node.type === "FunctionExpression" || node.type === "ArrowFunctionExpression";
}

/** What a top-level name is bound to, for `export default Name`. */
function topLevelBindings(ast: File): Map<string, Node> {
  const bindings = new Map<string, Node>();
  for (const statement of ast.program.body) {
    const declaration =
      statement.type === "ExportNamedDeclaration" && statement.declaration ? statement.declaration : statement;
    if ((declaration.type === "FunctionDeclaration" || declaration.type === "ClassDeclaration") && declaration.id) {
      bindings.set(declaration.id.name, declaration);
    } else if (declaration.type === "VariableDeclaration") {
      for (const d of declaration.declarations) {
        if (d.id.type === "Identifier" && d.init) bindings.set(d.id.name, d.init);
      }
    }
  }
  return bindings;
}

function checkComponent(value: Node, bindings: Map<string, Node>, report: Report): void {
  const target = value.type === "Identifier" ? bindings.get(value.name) : value;
  if (target === undefined || !isFunction(target)) {
    report(value, "defaultExport", "the default export must be a function component (function declaration, arrow or function expression)");
    return;
  }
  if (target.async || target.generator) {
    report(value, "defaultExport", "the default export must be a plain function component, not async or a generator");
  }
}

/** Exactly one default export, and it is a plain function component defined in this file. */
export function checkDefaultExport(ast: File, report: Report): void {
  const bindings = topLevelBindings(ast);
  const defaults: Node[] = [];
  for (const statement of ast.program.body) {
    if (statement.type === "ExportDefaultDeclaration") {
      defaults.push(statement);
      checkComponent(statement.declaration, bindings, report);
    } else if (statement.type === "ExportNamedDeclaration") {
      for (const spec of statement.specifiers) {
        const exported = spec.exported.type === "Identifier" ? spec.exported.name : spec.exported.value;
        if (exported !== "default") continue;
        defaults.push(spec);
        if (statement.source || spec.type !== "ExportSpecifier") report(spec, "defaultExport", "the default export must be defined in this file");
        else checkComponent(spec.local, bindings, report);
      }
    }
  }
  if (defaults.length === 0) report(ast, "defaultExport", 'no default export: write "export default function Artifact({ data, params }) { ... }"');
  for (const extra of defaults.slice(1)) report(extra, "defaultExport", "more than one default export (exactly one is allowed)");
}

const NAMED_EXPORTS = POLICY.component.namedExports;
const NAMED_EXPORTS_RULE = `only ${NAMED_EXPORTS.map((name) => `"export const ${name} = {...}"`).join(", ")} may be exported beside the default export`;

/** Named exports: only `export const params` (view parameters) and erased type exports. */
export function checkNamedExports(ast: File, report: Report): void {
  for (const statement of ast.program.body) {
    if (statement.type === "ExportAllDeclaration" && statement.exportKind !== "type") {
      report(statement, "namedExport", `"export * from" is not allowed (${NAMED_EXPORTS_RULE})`);
    }
    if (statement.type !== "ExportNamedDeclaration" || statement.exportKind === "type") continue;
    const declaration = statement.declaration;
    if (declaration?.type === "VariableDeclaration") {
      for (const d of declaration.declarations) {
        if (d.id.type !== "Identifier" || !NAMED_EXPORTS.includes(d.id.name)) report(d, "namedExport", `named export is not allowed (${NAMED_EXPORTS_RULE})`);
      }
    } else if (declaration) {
      if (declaration.type !== "TSInterfaceDeclaration" && declaration.type !== "TSTypeAliasDeclaration") {
        const name = "id" in declaration && declaration.id?.type === "Identifier" ? ` "${declaration.id.name}"` : "";
        report(declaration, "namedExport", `named export${name} is not allowed (${NAMED_EXPORTS_RULE})`);
      }
    }
    for (const spec of statement.specifiers) {
      const exported = spec.exported.type === "Identifier" ? spec.exported.name : spec.exported.value;
      if (exported !== "default" && !(spec.type === "ExportSpecifier" && spec.exportKind === "type")) {
        report(spec, "namedExport", `named export "${exported}" is not allowed (${NAMED_EXPORTS_RULE})`);
      }
    }
  }
}

