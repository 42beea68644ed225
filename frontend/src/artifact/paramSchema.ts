import type { File, Node, ObjectProperty } from "@babel/types";
import { parseComponentCode, where, type Report } from "./parseCode";
import { checkParamFields, type FieldValue, type ParamSchema, type ParamSpec } from "./paramSpec";
import { POLICY } from "./policy";

// Reads `export const params = {...}` from the component's AST, never by running the code: the
// browser builds the sidebar's "View" controls from it. Part of the validation policy
// (validation.ts reports these problems too), so it accepts literals only. The server reads it
// the same way (backend/plotwise/artifact/validator/params.py).

/** Names a view parameter may have. */
export const PARAM_NAME = new RegExp(POLICY.viewParams.namePattern);

/** Names that would collide with Object.prototype when used as keys of the params prop. */
const RESERVED_NAMES: readonly string[] = POLICY.viewParams.reservedNames;

/** Most view parameters one component may declare. */
export const MAX_VIEW_PARAMS = POLICY.viewParams.maxParams;

/** The name of the export that declares them. */
const EXPORT_NAME = POLICY.viewParams.exportName;

export type ParamSchemaResult = { ok: true; schema: ParamSchema } | { ok: false; problems: string[] };

/** Type wrappers (`{...} as const`, `satisfies T`) are erased before the code runs. */
function unwrap(node: Node): Node {
  let current = node;
  while (current.type === "TSAsExpression" || current.type === "TSSatisfiesExpression" || current.type === "ParenthesizedExpression") {
    current = current.expression;
  }
  return current;
}

function keyOf(prop: ObjectProperty): string | null {
  if (prop.computed) return null;
  if (prop.key.type === "Identifier") return prop.key.name;
  if (prop.key.type === "StringLiteral") return prop.key.value;
  return null;
}

function describe(node: Node): string {
  switch (node.type) {
    case "Identifier":
      return `the variable "${node.name}"`;
    case "CallExpression":
    case "NewExpression":
      return "a call";
    case "SpreadElement":
      return "a spread";
    case "TemplateLiteral":
      return "a template literal with expressions";
    case "ObjectExpression":
      return "a nested object";
    default:
      return `an expression (${node.type})`;
  }
}

type Scalar = Exclude<FieldValue, unknown[]>;

function scalarOf(node: Node): { value: Scalar } | null {
  switch (node.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
      return { value: node.value };
    case "NullLiteral":
      return { value: null };
    case "UnaryExpression":
      return node.operator === "-" && node.argument.type === "NumericLiteral" ? { value: -node.argument.value } : null;
    case "TemplateLiteral":
      return node.expressions.length === 0 ? { value: node.quasis[0]?.value.cooked ?? "" } : null;
    default:
      return null;
  }
}

const LITERALS = "only strings, numbers, booleans, null and arrays of those";

function fieldValue(node: Node, context: string, report: Report): FieldValue | undefined {
  const value = unwrap(node);
  const scalar = scalarOf(value);
  if (scalar) return scalar.value;
  if (value.type === "ArrayExpression") {
    const items: Scalar[] = [];
    for (const element of value.elements) {
      const item = element === null ? null : scalarOf(unwrap(element));
      if (item === null) {
        report(element ?? value, "viewParams", `${context}: array items must be literals (${LITERALS}), not ${element ? describe(element) : "a hole"}`);
        return undefined;
      }
      items.push(item.value);
    }
    return items;
  }
  report(value, "viewParams", `${context} must be a literal (${LITERALS}), not ${describe(value)}`);
  return undefined;
}

/** Reads the properties of an object literal as `(key, value node)` pairs, reporting what is not one. */
function properties(node: Node, context: string, report: Report): [string, ObjectProperty][] | null {
  const object = unwrap(node);
  if (object.type !== "ObjectExpression") {
    report(object, "viewParams", `${context} must be an object literal, not ${describe(object)}`);
    return null;
  }
  const pairs: [string, ObjectProperty][] = [];
  const seen = new Set<string>();
  let broken = false;
  for (const prop of object.properties) {
    if (prop.type !== "ObjectProperty") {
      report(prop, "viewParams", `${context}: ${prop.type === "SpreadElement" ? "spreads are" : "methods are"} not allowed`);
      broken = true;
      continue;
    }
    const key = keyOf(prop);
    if (key === null) {
      report(prop.key, "viewParams", `${context}: computed or numeric keys are not allowed (use a plain name)`);
      broken = true;
    } else if (seen.has(key)) {
      report(prop.key, "viewParams", `${context}: "${key}" is declared twice`);
      broken = true;
    } else {
      seen.add(key);
      pairs.push([key, prop]);
    }
  }
  return broken ? null : pairs;
}

function readSpec(name: string, node: Node, report: Report): ParamSpec | null {
  const context = `view parameter "${name}"`;
  const pairs = properties(node, context, report);
  if (pairs === null) return null;
  const fields = new Map<string, FieldValue>();
  let broken = false;
  for (const [key, prop] of pairs) {
    const value = fieldValue(prop.value, `${context}: field "${key}"`, report);
    if (value === undefined) broken = true;
    else fields.set(key, value);
  }
  if (broken) return null;
  const { spec, problems } = checkParamFields(name, fields);
  for (const problem of problems) report(node, "viewParams", `${context}: ${problem}`);
  return spec;
}

/** The initializer of `export const params = ...`, or null when the component declares none. */
function paramsInitializer(ast: File, report: Report): Node | null {
  for (const statement of ast.program.body) {
    if (statement.type !== "ExportNamedDeclaration" || statement.declaration?.type !== "VariableDeclaration") continue;
    const declaration = statement.declaration;
    for (const declarator of declaration.declarations) {
      if (declarator.id.type !== "Identifier" || declarator.id.name !== EXPORT_NAME) continue;
      if (declaration.kind !== "const") report(declaration, "viewParams", `view parameters must be declared with "export const params", not "${declaration.kind}"`);
      if (!declarator.init) {
        report(declarator, "viewParams", '"export const params" needs a value: an object literal');
        return null;
      }
      return declarator.init;
    }
  }
  return null;
}

/** Reads the view parameter schema from a parsed component, reporting every problem found. */
export function collectParamSchema(ast: File, report: Report): ParamSchema {
  const init = paramsInitializer(ast, report);
  if (init === null) return [];
  const pairs = properties(init, '"export const params"', report);
  if (pairs === null) return [];
  if (pairs.length > MAX_VIEW_PARAMS) report(init, "viewParams", `too many view parameters (${pairs.length}, at most ${MAX_VIEW_PARAMS})`);
  const schema: ParamSpec[] = [];
  for (const [name, prop] of pairs) {
    if (!PARAM_NAME.test(name)) {
      report(prop.key, "viewParams", `view parameter name "${name}" must be letters, digits and underscores, not starting with a digit`);
    } else if (RESERVED_NAMES.includes(name)) {
      report(prop.key, "viewParams", `view parameter name "${name}" is reserved`);
    } else {
      const spec = readSpec(name, prop.value, report);
      if (spec !== null) schema.push(spec);
    }
  }
  return schema;
}

/**
 * The view parameters a component declares in `export const params = {...}`, read from its
 * AST (the code never runs). An empty schema when there is none; problems name the line, the
 * parameter and what is wrong.
 */
export function readParamSchema(code: string): ParamSchemaResult {
  const parsed = parseComponentCode(code);
  if (!parsed.ok) return { ok: false, problems: [parsed.problem] };
  const problems: string[] = [];
  const schema = collectParamSchema(parsed.ast, (node, _rule, text) => problems.push(`${where(node)}: ${text}`));
  return problems.length === 0 ? { ok: true, schema } : { ok: false, problems };
}
