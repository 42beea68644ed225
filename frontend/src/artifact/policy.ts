import policyFile from "../../../backend/plotwise/artifact/component_policy.json";

// The validation policy's data, read from the one policy file the server's validator reads too
// (backend/plotwise/artifact/component_policy.json, see docs/validation-policy.md). This module
// gives it types and derives the lists the rules use; the rules themselves are in
// validation.ts and its siblings.

/** What a component may import from one module. */
export interface ModulePolicy {
  /** `import X from "module"` is allowed. */
  default: boolean;
  /** `import * as X from "module"` is allowed. */
  namespace: boolean;
  /** A binding the runtime provides without an import (react-runner's `React`). */
  implicit?: string;
  /** Named imports allowed; null allows any name. */
  names: readonly string[] | null;
}

interface NamedList {
  names: readonly string[];
}

/** The shape of component_policy.json (descriptions left out). */
export interface ComponentPolicy {
  rules: Record<string, string>;
  maxCodeLength: { value: number };
  modules: { allowed: Record<string, ModulePolicy> };
  forbiddenGlobals: NamedList;
  forbiddenMembers: NamedList & { exceptGlobals: readonly string[] };
  forbiddenStrings: { exceptMembers: readonly string[] };
  forbiddenKeys: NamedList;
  globalObjects: NamedList;
  navigation: { target: string; methods: readonly string[] };
  timers: NamedList;
  jsx: {
    forbiddenElements: readonly string[];
    forbiddenAttributes: readonly string[];
    eventHandlerPrefix: string;
    urlAttributes: readonly string[];
    allowedUrlSchemes: readonly string[];
  };
  component: { namedExports: readonly string[] };
  viewParams: {
    exportName: string;
    maxParams: number;
    namePattern: string;
    reservedNames: readonly string[];
    commonFields: readonly string[];
    types: Record<string, readonly string[]>;
  };
}

export const POLICY: ComponentPolicy = policyFile;

/** Every rule id; each problem names one. The policy file lists the same ids (a test checks). */
export const RULE_IDS = [
  "size",
  "syntax",
  "importModule",
  "importName",
  "moduleBinding",
  "dynamicImport",
  "importMeta",
  "requireImport",
  "this",
  "forbiddenGlobal",
  "forbiddenMember",
  "forbiddenString",
  "forbiddenKey",
  "globalObject",
  "navigation",
  "stringTimer",
  "taggedTemplate",
  "jsxElement",
  "jsxAttribute",
  "jsxUrl",
  "defaultExport",
  "namedExport",
  "viewParams",
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** Modules a generated component may import. */
export const ALLOWED_IMPORTS: readonly string[] = Object.keys(POLICY.modules.allowed);

/** Names a component may not use as a variable at all (reference, declaration or parameter). */
export const FORBIDDEN_GLOBALS: readonly string[] = POLICY.forbiddenGlobals.names;

/** Property names a component may not access on any object: `x.fetch`, `x["fetch"]`, `{ fetch } = x`. */
export const FORBIDDEN_MEMBERS: readonly string[] = [
  ...FORBIDDEN_GLOBALS.filter((name) => !POLICY.forbiddenMembers.exceptGlobals.includes(name)),
  ...POLICY.forbiddenMembers.names,
];

/** Members that are also refused as plain strings (`Reflect.get(window, "fetch")`). */
export const FORBIDDEN_STRINGS: readonly string[] = FORBIDDEN_MEMBERS.filter(
  (name) => !POLICY.forbiddenStrings.exceptMembers.includes(name),
);

/** Object literal keys refused, lower-cased (compared case-insensitively). */
export const FORBIDDEN_KEYS: readonly string[] = POLICY.forbiddenKeys.names.map((name) => name.toLowerCase());

/** Objects whose properties may only be read with a fixed name, never a computed one. */
export const GLOBAL_OBJECTS: readonly string[] = POLICY.globalObjects.names;

/** Timers whose first argument must be an inline function. */
export const TIMERS: readonly string[] = POLICY.timers.names;

/** Longest component accepted, in characters. */
export const MAX_CODE_LENGTH: number = POLICY.maxCodeLength.value;
