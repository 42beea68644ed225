import type { CallExpression, Node, OptionalCallExpression } from "@babel/types";
import { isMemberObject, isOnlyTested, memberName, readName, staticString, unwrap, usage, variableName } from "./astNames";
import { walk } from "./astWalk";
import { checkDefaultExport, checkNamedExports } from "./exportRules";
import { checkImport, checkModuleBinding, moduleBindings, type ModuleBindings } from "./importRules";
import { checkAttribute, checkCreateElement, checkElement, checkObjectKey } from "./jsxRules";
import { collectParamSchema } from "./paramSchema";
import { parseComponentCode, where, type Report } from "./parseCode";
import {
  FORBIDDEN_GLOBALS,
  FORBIDDEN_MEMBERS,
  FORBIDDEN_STRINGS,
  GLOBAL_OBJECTS,
  MAX_CODE_LENGTH,
  POLICY,
  TIMERS,
  type RuleId,
} from "./policy";

// The browser's half of the component validation policy: the app checks code before it reaches
// the sandbox, and the sandbox imports this same module to check again before every render. The
// data (names, limits) comes from the one policy file the server's validator reads too
// (policy.ts); the rules are here and in importRules.ts, jsxRules.ts, exportRules.ts and
// paramSchema.ts. The sandbox's CSP and iframe isolation are the real wall; this is an early,
// explainable refusal on top of them.

export { readParamSchema, type ParamSchemaResult } from "./paramSchema";
export type { ParamSchema, ParamSpec } from "./paramSpec";
export { ALLOWED_IMPORTS, FORBIDDEN_GLOBALS, FORBIDDEN_MEMBERS, FORBIDDEN_STRINGS, GLOBAL_OBJECTS, MAX_CODE_LENGTH, POLICY, type RuleId } from "./policy";

/** The verdict: problems name the rule and the line; `rules` lists the rules that refused. */
export type ValidationResult = { ok: true } | { ok: false; problems: string[]; rules: RuleId[] };

const NAVIGATION = POLICY.navigation;

/** True for `window`, `self`, ... and fixed-name members of them named so (`window.self`). */
function isGlobalObject(node: Node): boolean {
  const value = unwrap(node);
  if (value.type === "Identifier" || value.type === "JSXIdentifier") return GLOBAL_OBJECTS.includes(value.name);
  const name = readName(value);
  return name !== null && GLOBAL_OBJECTS.includes(name) && "object" in value && isGlobalObject(value.object);
}

/** `window`, `window.self`: how a global object is written, for messages. */
function globalObjectText(node: Node): string {
  const value = unwrap(node);
  if (value.type === "Identifier" || value.type === "JSXIdentifier") return value.name;
  return "object" in value ? `${globalObjectText(value.object)}.${readName(value) ?? "?"}` : "?";
}

function isNavigationTarget(node: Node): boolean {
  const value = unwrap(node);
  if (value.type === "Identifier") return value.name === NAVIGATION.target;
  if (value.type === "MemberExpression" || value.type === "OptionalMemberExpression") {
    return memberName(value.property, value.computed) === NAVIGATION.target || isNavigationTarget(value.object);
  }
  return false;
}

/** What an assignment writes: the target itself, or each target inside a destructuring pattern. */
function assignedTargets(node: Node): Node[] {
  switch (node.type) {
    case "ArrayPattern":
      return node.elements.flatMap((element) => (element === null ? [] : assignedTargets(element)));
    case "ObjectPattern":
      return node.properties.flatMap((prop) => assignedTargets(prop.type === "RestElement" ? prop.argument : prop.value));
    case "AssignmentPattern":
      return assignedTargets(node.left);
    case "RestElement":
      return assignedTargets(node.argument);
    default:
      return [node];
  }
}

function checkWrite(node: Node, target: Node, report: Report): void {
  if (assignedTargets(target).some(isNavigationTarget)) report(node, "navigation", "writing to location (navigation) is not allowed");
}

/** A global object may only be the object of a fixed-name read, or tested; an alias escapes every rule. */
function checkGlobalObjectUse(node: Node, ancestors: readonly Node[], report: Report): void {
  if (!isMemberObject(node, ancestors) && !isOnlyTested(node, ancestors)) {
    report(node, "globalObject", `"${globalObjectText(node)}" may only be read with a fixed name (${globalObjectText(node)}.name), not used as a value`);
  }
}

/** A timer may only be called directly, with an inline function first: a string would run as code. */
function checkTimerUse(node: Node, name: string, ancestors: readonly Node[], report: Report): void {
  const { child, parent } = usage(node, ancestors);
  const called = (parent?.type === "CallExpression" || parent?.type === "OptionalCallExpression") && parent.callee === child;
  const first = called ? parent.arguments[0] : undefined;
  const inline = first !== undefined && ["ArrowFunctionExpression", "FunctionExpression"].includes(unwrap(first).type);
  if (!inline) report(node, "stringTimer", `${name} may only be called directly with an inline function as first argument`);
}

function checkVariable(node: Node, name: string, ancestors: readonly Node[], bindings: ModuleBindings, report: Report): void {
  if (FORBIDDEN_GLOBALS.includes(name)) report(node, "forbiddenGlobal", `"${name}" is not allowed (forbidden global)`);
  if (GLOBAL_OBJECTS.includes(name)) checkGlobalObjectUse(node, ancestors, report);
  if (TIMERS.includes(name)) checkTimerUse(node, name, ancestors, report);
  checkModuleBinding(node, name, ancestors, bindings, report);
}

type Member = Node & { object: Node; property: Node };

function checkMember(node: Member, name: string | null, computed: boolean, ancestors: readonly Node[], report: Report): void {
  if (name !== null && FORBIDDEN_MEMBERS.includes(name)) {
    report(node.property, "forbiddenMember", `member ${computed ? `["${name}"]` : `".${name}"`} is not allowed (forbidden member)`);
  } else if (name === null && isGlobalObject(node.object)) {
    report(node, "globalObject", `computed access on "${globalObjectText(node.object)}" is not allowed (use a fixed property name)`);
  }
  if (name !== null && TIMERS.includes(name)) checkTimerUse(node, name, ancestors, report);
  if (name !== null && GLOBAL_OBJECTS.includes(name) && isGlobalObject(node)) checkGlobalObjectUse(node, ancestors, report);
}

function checkString(node: Node, parent: Node | undefined, report: Report): void {
  const value = staticString(node);
  if (value === null || !FORBIDDEN_STRINGS.includes(value)) return;
  const isModuleName = parent?.type === "ImportDeclaration" || parent?.type.startsWith("Export") === true;
  const isCheckedKey = (parent?.type === "MemberExpression" || parent?.type === "OptionalMemberExpression") && parent.property === node;
  if (!isModuleName && !isCheckedKey) report(node, "forbiddenString", `the string "${value}" is not allowed (it names a forbidden member)`);
}

/** Destructuring reads properties: `const { fetch: f } = window` is a member access. */
function checkDestructured(key: Node, computed: boolean, report: Report): void {
  const name = memberName(key, computed);
  if (name !== null && FORBIDDEN_MEMBERS.includes(name)) report(key, "forbiddenMember", `member "${name}" is not allowed (forbidden member, destructured)`);
}

function checkNavigationCall(node: CallExpression | OptionalCallExpression, report: Report): void {
  const callee = unwrap(node.callee);
  if ((callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression") && isNavigationTarget(callee.object)) {
    const method = memberName(callee.property, callee.computed);
    if (method !== null && NAVIGATION.methods.includes(method)) report(node, "navigation", `location.${method}() (navigation) is not allowed`);
  }
}

function checkNode(node: Node, ancestors: readonly Node[], bindings: ModuleBindings, report: Report): void {
  const parent = ancestors[0];
  const variable = variableName(node, parent);
  if (variable !== null) checkVariable(node, variable, ancestors, bindings, report);
  switch (node.type) {
    case "ImportDeclaration":
      checkImport(node, report);
      return;
    case "ExportAllDeclaration":
    case "ExportNamedDeclaration":
      if (node.source && !Object.hasOwn(POLICY.modules.allowed, node.source.value)) {
        report(node, "importModule", `import from "${node.source.value}" is not allowed`);
      }
      return;
    case "Import":
      report(node, "dynamicImport", "dynamic import() is not allowed");
      return;
    case "MetaProperty":
      if (node.meta.name === "import") report(node, "importMeta", "import.meta is not allowed");
      return;
    case "TSImportEqualsDeclaration":
    case "TSExportAssignment":
      report(node, "requireImport", "require-style imports and exports are not allowed; use import and export default");
      return;
    case "ThisExpression":
      report(node, "this", '"this" is not allowed (outside a class it can reach the global object)');
      return;
    case "TaggedTemplateExpression":
      report(node, "taggedTemplate", "tagged templates are not allowed (the tag is a hidden function call)");
      return;
    case "MemberExpression":
    case "OptionalMemberExpression":
      checkMember(node, memberName(node.property, node.computed), node.computed, ancestors, report);
      return;
    case "JSXMemberExpression":
      checkMember(node, node.property.name, false, ancestors, report);
      return;
    case "ObjectProperty":
    case "ObjectMethod":
      if (parent?.type === "ObjectPattern") checkDestructured(node.key, node.computed, report);
      else checkObjectKey(node.key, node.computed, report);
      return;
    case "StringLiteral":
    case "TemplateLiteral":
    case "DirectiveLiteral":
    case "BinaryExpression":
      if (node.type !== "BinaryExpression" || node.operator === "+") checkString(node, parent, report);
      return;
    case "AssignmentExpression":
      checkWrite(node, node.left, report);
      return;
    case "ForInStatement":
    case "ForOfStatement":
      checkWrite(node, node.left, report);
      return;
    case "UpdateExpression":
      checkWrite(node, node.argument, report);
      return;
    case "UnaryExpression":
      if (node.operator === "delete") checkWrite(node, node.argument, report);
      return;
    case "CallExpression":
    case "OptionalCallExpression":
      checkCreateElement(node, report);
      checkNavigationCall(node, report);
      return;
    case "JSXOpeningElement":
      checkElement(node, report);
      return;
    case "JSXAttribute":
      checkAttribute(node, report);
      return;
    default:
      return;
  }
}

/** Checks a generated component against the policy; problems name the rule and the line. */
export function validateComponent(code: string): ValidationResult {
  if (code.length > MAX_CODE_LENGTH) {
    return { ok: false, problems: [`the component is too long (${code.length} characters, at most ${MAX_CODE_LENGTH})`], rules: ["size"] };
  }
  const parsed = parseComponentCode(code);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem], rules: ["syntax"] };
  const problems = new Set<string>();
  const rules = new Set<RuleId>();
  const report: Report = (node, rule, text) => {
    problems.add(`${where(node)}: ${text}`);
    rules.add(rule);
  };
  const bindings = moduleBindings(parsed.ast);
  walk(parsed.ast, (node, ancestors) => checkNode(node, ancestors, bindings, report));
  checkDefaultExport(parsed.ast, report);
  checkNamedExports(parsed.ast, report);
  collectParamSchema(parsed.ast, report);
  return problems.size === 0 ? { ok: true } : { ok: false, problems: [...problems], rules: [...rules] };
}
