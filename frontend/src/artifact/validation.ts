import type { Node } from "@babel/types";
import { walk } from "./astWalk";
import { checkDefaultExport, checkNamedExports } from "./exportRules";
import { collectParamSchema } from "./paramSchema";
import { parseComponentCode, where, type Report } from "./parseCode";

// The one owner of the component validation policy: the app checks code before it reaches the
// sandbox, and the sandbox imports this same module to check again. The sandbox's CSP and
// iframe isolation are the real wall; this is an early, explainable refusal on top of them.
// Its siblings exportRules.ts (what may be exported) and paramSchema.ts (the literal
// `export const params`) are parts of this policy, applied from validateComponent below.

export { readParamSchema, type ParamSchemaResult } from "./paramSchema";
export type { ParamSchema, ParamSpec } from "./paramSpec";

/** Modules a generated component may import. */
export const ALLOWED_IMPORTS: readonly string[] = ["react", "recharts", "lucide-react"];

/** Names a component may not use as a variable at all (reference, declaration or parameter). */
export const FORBIDDEN_GLOBALS: readonly string[] = [
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "EventSource",
  "eval",
  "Function",
  "require",
  "localStorage",
  "sessionStorage",
  "indexedDB",
  "globalThis",
  "parent",
  "top",
  "opener",
  "postMessage",
  "importScripts",
  "Worker",
  "SharedWorker",
];

/** Property names a component may not access on any object: `x.fetch`, `x["fetch"]`, `{ fetch } = x`. */
export const FORBIDDEN_MEMBERS: readonly string[] = [
  ...FORBIDDEN_GLOBALS.filter((name) => name !== "require"),
  "sendBeacon",
  "cookie",
  // `(() => {}).constructor` is Function by another name.
  "constructor",
  "__proto__",
];

/** Members that are also refused as plain strings (`Reflect.get(window, "fetch")`); "top" and "parent" are ordinary label values. */
export const FORBIDDEN_STRINGS: readonly string[] = FORBIDDEN_MEMBERS.filter((name) => !["top", "parent"].includes(name));

/** Objects whose properties may only be read with a fixed name, never a computed one. */
export const GLOBAL_OBJECTS: readonly string[] = ["window", "self", "frames", "document", "navigator"];

/** Longest component accepted, in characters. */
export const MAX_CODE_LENGTH = 60_000;

export type ValidationResult = { ok: true } | { ok: false; problems: string[] };

/** The value of a string that is fixed in the source ("a", `a`, "a" + "b"), else null. */
function staticString(node: Node): string | null {
  if (node.type === "StringLiteral") return node.value;
  if (node.type === "TemplateLiteral" && node.expressions.length === 0) return node.quasis[0]?.value.cooked ?? null;
  if (node.type === "BinaryExpression" && node.operator === "+" && node.left.type !== "PrivateName") {
    const left = staticString(node.left);
    const right = staticString(node.right);
    return left !== null && right !== null ? left + right : null;
  }
  return null;
}

/** The name a member access reads, when it is fixed in the source. */
function memberName(property: Node, computed: boolean): string | null {
  if (!computed) return property.type === "Identifier" || property.type === "JSXIdentifier" ? property.name : null;
  return staticString(property);
}

/** True when the identifier `node` (child of `parent`) names a variable rather than a property or label. */
function isVariable(node: Node, parent: Node | undefined): boolean {
  if (!parent) return true;
  switch (parent.type) {
    case "MemberExpression":
    case "OptionalMemberExpression":
      return parent.property !== node || parent.computed;
    case "ObjectProperty":
    case "ObjectMethod":
    case "ClassMethod":
    case "ClassPrivateMethod":
    case "ClassProperty":
    case "ClassAccessorProperty":
      return parent.key !== node || parent.computed === true;
    case "LabeledStatement":
    case "BreakStatement":
    case "ContinueStatement":
    case "MetaProperty":
    case "TSEnumMember":
      return false;
    case "ImportSpecifier":
      return parent.local === node;
    case "ExportSpecifier":
      return parent.local === node;
    default:
      return true;
  }
}

function isNavigationTarget(node: Node): boolean {
  if (node.type === "Identifier") return node.name === "location";
  if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") {
    return memberName(node.property, node.computed) === "location" || isNavigationTarget(node.object);
  }
  return false;
}

function checkNode(node: Node, ancestors: readonly Node[], report: Report): void {
  const parent = ancestors[0];
  switch (node.type) {
    case "ImportDeclaration":
    case "ExportAllDeclaration":
    case "ExportNamedDeclaration":
      if (node.source && !ALLOWED_IMPORTS.includes(node.source.value)) {
        report(node, `import from "${node.source.value}" is not allowed (allowed: ${ALLOWED_IMPORTS.join(", ")})`);
      }
      return;
    case "Import":
      report(node, "dynamic import() is not allowed");
      return;
    case "MetaProperty":
      if (node.meta.name === "import") report(node, "import.meta is not allowed");
      return;
    case "TSImportEqualsDeclaration":
    case "TSExportAssignment":
      report(node, "require-style imports and exports are not allowed; use import and export default");
      return;
    case "ThisExpression":
      report(node, '"this" is not allowed (outside a class it can reach the global object)');
      return;
    case "Identifier":
      if (FORBIDDEN_GLOBALS.includes(node.name) && isVariable(node, parent)) {
        report(node, `"${node.name}" is not allowed (forbidden global)`);
      }
      return;
    case "JSXIdentifier":
      if (parent?.type === "JSXOpeningElement" && FORBIDDEN_GLOBALS.includes(node.name)) {
        report(node, `"${node.name}" is not allowed (forbidden global)`);
      }
      return;
    case "MemberExpression":
    case "OptionalMemberExpression":
    case "JSXMemberExpression": {
      const computed = node.type !== "JSXMemberExpression" && node.computed;
      const name = memberName(node.property, computed);
      if (name !== null && FORBIDDEN_MEMBERS.includes(name)) {
        report(node.property, `member ${computed ? `["${name}"]` : `".${name}"`} is not allowed (forbidden member)`);
      } else if (name === null && node.object.type === "Identifier" && GLOBAL_OBJECTS.includes(node.object.name)) {
        report(node, `computed access on "${node.object.name}" is not allowed (use a fixed property name)`);
      }
      return;
    }
    case "ObjectProperty":
      // Destructuring reads properties: `const { fetch: f } = window` is a member access.
      if (parent?.type === "ObjectPattern") {
        const name = memberName(node.key, node.computed);
        if (name !== null && FORBIDDEN_MEMBERS.includes(name)) {
          report(node.key, `member "${name}" is not allowed (forbidden member, destructured)`);
        }
      }
      return;
    case "StringLiteral":
    case "TemplateLiteral": {
      const value = staticString(node);
      const isModuleName = parent?.type === "ImportDeclaration" || parent?.type.startsWith("Export");
      const isCheckedKey = (parent?.type === "MemberExpression" || parent?.type === "OptionalMemberExpression") && parent.property === node;
      if (value !== null && !isModuleName && !isCheckedKey && FORBIDDEN_STRINGS.includes(value)) {
        report(node, `the string "${value}" is not allowed (it names a forbidden member)`);
      }
      return;
    }
    case "AssignmentExpression":
    case "UpdateExpression":
    case "UnaryExpression": {
      const target = node.type === "AssignmentExpression" ? node.left : node.argument;
      const writes = node.type !== "UnaryExpression" || node.operator === "delete";
      if (writes && isNavigationTarget(target)) report(node, "writing to location (navigation) is not allowed");
      return;
    }
    case "CallExpression": {
      const callee = node.callee;
      if (callee.type === "MemberExpression" && isNavigationTarget(callee.object)) {
        const method = memberName(callee.property, callee.computed);
        if (method === "assign" || method === "replace" || method === "reload") {
          report(node, `location.${method}() (navigation) is not allowed`);
        }
      }
      return;
    }
    default:
      return;
  }
}

/** Checks a generated component against the policy above; problems name the rule and the line. */
export function validateComponent(code: string): ValidationResult {
  if (code.length > MAX_CODE_LENGTH) {
    return { ok: false, problems: [`the component is too long (${code.length} characters, at most ${MAX_CODE_LENGTH})`] };
  }
  const parsed = parseComponentCode(code);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems = new Set<string>();
  const report: Report = (node, text) => problems.add(`${where(node)}: ${text}`);
  walk(parsed.ast, (node, ancestors) => checkNode(node, ancestors, report));
  checkDefaultExport(parsed.ast, report);
  checkNamedExports(parsed.ast, report);
  collectParamSchema(parsed.ast, report);
  return problems.size === 0 ? { ok: true } : { ok: false, problems: [...problems] };
}
