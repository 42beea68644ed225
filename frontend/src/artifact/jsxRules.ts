import type { CallExpression, JSXAttribute, JSXOpeningElement, Node, OptionalCallExpression } from "@babel/types";
import { readName, staticString, unwrap } from "./astNames";
import { FORBIDDEN_KEYS, POLICY } from "./policy";
import type { Report } from "./parseCode";

// Part of the validation policy (validation.ts): the elements and attributes a component may
// render. The server applies the same rules (backend/plotwise/artifact/validator/jsx.py).

const lower = (names: readonly string[]) => names.map((name) => name.toLowerCase());
const FORBIDDEN_ELEMENTS = lower(POLICY.jsx.forbiddenElements);
const FORBIDDEN_ATTRIBUTES = lower(POLICY.jsx.forbiddenAttributes);
const URL_ATTRIBUTES = lower(POLICY.jsx.urlAttributes);
const HANDLER_PREFIX = POLICY.jsx.eventHandlerPrefix.toLowerCase();

/** C0 controls and space, which URL parsers strip from the ends; tab and newlines they drop anywhere. */
const URL_EDGES = /^[\u0000-\u0020]+|[\u0000-\u0020]+$/g;
const URL_DROPPED = /[\t\n\r]/g;
const SCHEME = /^([a-z][a-z0-9+.-]*):/;

/** True when a URL (or a srcset list of them) would load from elsewhere or run script. */
export function leavesSandbox(value: string): boolean {
  return value.split(",").some((candidate) => {
    const url = candidate.replace(URL_DROPPED, "").replace(URL_EDGES, "").toLowerCase();
    if (/^[/\\]{2}/.test(url)) return true;
    const scheme = SCHEME.exec(url);
    return scheme !== null && !POLICY.jsx.allowedUrlSchemes.includes(scheme[1] ?? "");
  });
}

/** An intrinsic element (`<script>`) the policy forbids; lowercase-first names are tags, not variables. */
export function checkElement(node: JSXOpeningElement, report: Report): void {
  if (node.name.type !== "JSXIdentifier") return;
  const name = node.name.name;
  if (/^[a-z]/.test(name) && FORBIDDEN_ELEMENTS.includes(name.toLowerCase())) {
    report(node.name, "jsxElement", `the element <${name}> is not allowed`);
  }
}

/** `createElement("script")`, React's or the DOM's: the same element by another route. */
export function checkCreateElement(node: CallExpression | OptionalCallExpression, report: Report): void {
  const callee = unwrap(node.callee);
  const name = callee.type === "Identifier" ? callee.name : readName(callee);
  const first = node.arguments[0];
  if (name !== "createElement" || first === undefined) return;
  const tag = staticString(first);
  if (tag !== null && FORBIDDEN_ELEMENTS.includes(tag.toLowerCase())) {
    report(node, "jsxElement", `createElement("${tag}") is not allowed`);
  }
}

/** The attribute's value when it is a string fixed in the source (`a="x"`, `a={"x"}`). */
function attributeString(node: JSXAttribute): string | null {
  const value = node.value;
  if (value === null || value === undefined) return null;
  if (value.type === "StringLiteral") return value.value;
  if (value.type === "JSXExpressionContainer" && value.expression.type !== "JSXEmptyExpression") return staticString(value.expression);
  return null;
}

/** Forbidden attributes, event handlers given code as a string, and URLs that leave the sandbox. */
export function checkAttribute(node: JSXAttribute, report: Report): void {
  const name = node.name.type === "JSXIdentifier" ? node.name.name : `${node.name.namespace.name}:${node.name.name.name}`;
  const key = name.toLowerCase();
  if (FORBIDDEN_ATTRIBUTES.includes(key)) {
    report(node, "jsxAttribute", `the attribute "${name}" is not allowed`);
    return;
  }
  const value = attributeString(node);
  if (value === null) return;
  if (key.startsWith(HANDLER_PREFIX)) {
    report(node, "jsxAttribute", `the event handler "${name}" must be a function, not a string`);
  } else if (URL_ATTRIBUTES.includes(key) && leavesSandbox(value)) {
    report(node, "jsxUrl", `"${name}" may not point outside the sandbox (${JSON.stringify(value.slice(0, 80))})`);
  }
}

/** An object literal key that passes HTML into the page (`{ dangerouslySetInnerHTML: ... }`). */
export function checkObjectKey(key: Node, computed: boolean, report: Report): void {
  const name = computed ? staticString(key) : key.type === "Identifier" ? key.name : key.type === "StringLiteral" ? key.value : null;
  if (name !== null && FORBIDDEN_KEYS.includes(name.toLowerCase())) {
    report(key, "forbiddenKey", `the key "${name}" is not allowed (it passes HTML to the page)`);
  }
}
