import type { File, ImportDeclaration, Node } from "@babel/types";
import { isMemberObject, isOnlyTested, readName, usage } from "./astNames";
import { ALLOWED_IMPORTS, POLICY, type ModulePolicy } from "./policy";
import type { Report } from "./parseCode";

// Part of the validation policy (validation.ts): which modules and names a component may import,
// and how a default or namespace import may be used. The server applies the same rules
// (backend/plotwise/artifact/validator/imports.py).

/** A default or namespace import of a module with a name list, by its local name. */
export type ModuleBindings = ReadonlyMap<string, { module: string; names: readonly string[] }>;

function allowedModule(name: string): ModulePolicy | undefined {
  return Object.hasOwn(POLICY.modules.allowed, name) ? POLICY.modules.allowed[name] : undefined;
}

/** The bindings whose uses `checkModuleBinding` checks: imports, and the runtime's implicit ones. */
export function moduleBindings(ast: File): ModuleBindings {
  const bindings = new Map<string, { module: string; names: readonly string[] }>();
  for (const [module, policy] of Object.entries(POLICY.modules.allowed)) {
    if (policy.implicit !== undefined && policy.names !== null) bindings.set(policy.implicit, { module, names: policy.names });
  }
  for (const statement of ast.program.body) {
    if (statement.type !== "ImportDeclaration") continue;
    const names = allowedModule(statement.source.value)?.names;
    if (names === null || names === undefined) continue;
    for (const spec of statement.specifiers) {
      if (spec.type !== "ImportSpecifier") bindings.set(spec.local.name, { module: statement.source.value, names });
    }
  }
  return bindings;
}

function importedName(spec: ImportDeclaration["specifiers"][number]): string {
  if (spec.type === "ImportDefaultSpecifier") return "default";
  if (spec.type === "ImportNamespaceSpecifier") return "*";
  return spec.imported.type === "Identifier" ? spec.imported.name : spec.imported.value;
}

/** The module is allowed, and so is every name imported from it (type-only imports excepted). */
export function checkImport(node: ImportDeclaration, report: Report): void {
  const module = node.source.value;
  const policy = allowedModule(module);
  if (policy === undefined) {
    report(node, "importModule", `import from "${module}" is not allowed (allowed: ${ALLOWED_IMPORTS.join(", ")})`);
    return;
  }
  if (node.importKind === "type") return;
  for (const spec of node.specifiers) {
    if (spec.type === "ImportSpecifier" && spec.importKind === "type") continue;
    const name = importedName(spec);
    if (name === "*") {
      if (!policy.namespace) report(spec, "importName", `"import * as" is not allowed for "${module}": import the names you use`);
    } else if (name === "default") {
      if (!policy.default) report(spec, "importName", `"${module}" has no default import here: import the names you use`);
    } else if (policy.names !== null && !policy.names.includes(name)) {
      report(spec, "importName", `"${name}" is not among the names a component may import from "${module}"`);
    }
  }
}

/**
 * A use of a default or namespace import: only `X.name` (or `<X.Name>`) with `name` on the
 * module's list, or a test (`typeof X`); anything else could reach the module's other exports.
 */
export function checkModuleBinding(node: Node, name: string, ancestors: readonly Node[], bindings: ModuleBindings, report: Report): void {
  const binding = bindings.get(name);
  const parent = ancestors[0];
  if (binding === undefined || parent?.type === "ImportDefaultSpecifier" || parent?.type === "ImportNamespaceSpecifier") return;
  if (parent?.type === "ImportSpecifier" || isOnlyTested(node, ancestors)) return;
  if (!isMemberObject(node, ancestors)) {
    report(node, "moduleBinding", `"${name}" (from "${binding.module}") may only be used as ${name}.name`);
    return;
  }
  const member = usage(node, ancestors).parent;
  const read = member === undefined ? null : readName(member);
  if (read === null) report(node, "moduleBinding", `computed access on "${name}" is not allowed (use a fixed name)`);
  else if (!binding.names.includes(read)) report(node, "moduleBinding", `"${name}.${read}" is not among the names a component may use from "${binding.module}"`);
}
