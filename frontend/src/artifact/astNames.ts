import type { Node } from "@babel/types";

// What names and strings a piece of the AST stands for, as the validation rules see them. The
// server's validator (backend/plotwise/artifact/validator/names.py) reads tree-sitter's tree
// the same way: keep the two in step.

/** Wrappers that are erased or change nothing at run time: `(x)`, `x as T`, `x satisfies T`, `x!`. */
const WRAPPERS = new Set(["ParenthesizedExpression", "TSAsExpression", "TSSatisfiesExpression", "TSNonNullExpression", "TSTypeAssertion"]);

/** The expression inside any TypeScript wrappers and parentheses. */
export function unwrap(node: Node): Node {
  let current = node;
  while (WRAPPERS.has(current.type) && "expression" in current) current = current.expression as Node;
  return current;
}

/**
 * The node whose parent decides how `node`'s value is used, climbing out of wrappers, and that
 * parent: for `(window as any)[k]` and `window`, the member expression.
 */
export function usage(node: Node, ancestors: readonly Node[]): { child: Node; parent: Node | undefined } {
  let child = node;
  let index = 0;
  while (ancestors[index] !== undefined && WRAPPERS.has(ancestors[index]!.type)) {
    child = ancestors[index]!;
    index += 1;
  }
  return { child, parent: ancestors[index] };
}

/** The value of a string that is fixed in the source ("a", `a`, "a" + "b"), else null. */
export function staticString(node: Node): string | null {
  const value = unwrap(node);
  if (value.type === "StringLiteral") return value.value;
  // Babel keeps a directive's raw text: "\u0066" stays six characters, as the server reads it.
  if (value.type === "DirectiveLiteral") return value.value;
  if (value.type === "TemplateLiteral" && value.expressions.length === 0) return value.quasis[0]?.value.cooked ?? null;
  if (value.type === "BinaryExpression" && value.operator === "+" && value.left.type !== "PrivateName") {
    const left = staticString(value.left);
    const right = staticString(value.right);
    return left !== null && right !== null ? left + right : null;
  }
  return null;
}

/** The name a member access reads, when it is fixed in the source. */
export function memberName(property: Node, computed: boolean): string | null {
  if (!computed) return property.type === "Identifier" || property.type === "JSXIdentifier" ? property.name : null;
  return staticString(property);
}

/** The fixed name a member expression reads (`a.b`, `a["b"]`), null when computed or not a member. */
export function readName(node: Node): string | null {
  if (node.type === "MemberExpression" || node.type === "OptionalMemberExpression") return memberName(node.property, node.computed);
  if (node.type === "JSXMemberExpression") return node.property.name;
  return null;
}

/** True when `node` is the object of a member access (`node.x`, `node[x]`), after wrappers. */
export function isMemberObject(node: Node, ancestors: readonly Node[]): boolean {
  const { child, parent } = usage(node, ancestors);
  if (parent?.type === "MemberExpression" || parent?.type === "OptionalMemberExpression" || parent?.type === "JSXMemberExpression") {
    return parent.object === child;
  }
  return false;
}

/** True when `node`'s value is only tested, never kept: `typeof node`, `"x" in node`. */
export function isOnlyTested(node: Node, ancestors: readonly Node[]): boolean {
  const { child, parent } = usage(node, ancestors);
  if (parent?.type === "UnaryExpression") return parent.operator === "typeof";
  return parent?.type === "BinaryExpression" && parent.operator === "in" && parent.right === child;
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
    case "ExportSpecifier":
      return parent.local === node;
    default:
      return true;
  }
}

/**
 * The variable an identifier names, or null when it names a property, a label or an attribute.
 * JSX counts: `<Name>` and `<Name.Part>` read the variable `Name`.
 */
export function variableName(node: Node, parent: Node | undefined): string | null {
  if (node.type === "Identifier") return isVariable(node, parent) ? node.name : null;
  if (node.type !== "JSXIdentifier") return null;
  if (parent?.type === "JSXOpeningElement" && parent.name === node) return node.name;
  if (parent?.type === "JSXMemberExpression" && parent.object === node) return node.name;
  return null;
}
