import { POLICY } from "./policy";

// The view parameter types a component may declare in `export const params = {...}`, and the
// check of one parameter's fields (see prompts/component_contract.md, "View parameters"). The
// fields of each type come from the policy file; the server checks them the same way
// (backend/plotwise/artifact/validator/params.py).

/** A value a parameter field may hold: a literal, or an array of literals. */
export type FieldValue = string | number | boolean | null | (string | number | boolean | null)[];

/** The types the sidebar has controls for; the policy file's viewParams.types lists the same (a test checks). */
export const VIEW_PARAM_TYPES = ["number", "select", "boolean", "color", "text", "date", "daterange"] as const;
export type ViewParamType = (typeof VIEW_PARAM_TYPES)[number];

interface SpecBase {
  name: string;
  label: string | null;
}

/** One parameter, checked: its default fits its type (and its bounds or options). */
export type ParamSpec =
  | (SpecBase & { type: "number"; default: number; min: number | null; max: number | null; step: number | null })
  | (SpecBase & { type: "select"; default: string | number; options: (string | number)[] })
  | (SpecBase & { type: "boolean"; default: boolean })
  | (SpecBase & { type: "color"; default: string })
  | (SpecBase & { type: "text"; default: string })
  | (SpecBase & { type: "date"; default: string })
  | (SpecBase & { type: "daterange"; default: [string, string] });

/** A component's view parameters, in declaration order. */
export type ParamSchema = readonly ParamSpec[];

function fieldsOf(type: ViewParamType): readonly string[] {
  return POLICY.viewParams.types[type] ?? [];
}

const COMMON_FIELDS = POLICY.viewParams.commonFields;

const HEX_COLOR = /^#(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True for a "#rgb" or "#rrggbb" colour. */
export function isHexColor(value: unknown): value is string {
  return typeof value === "string" && HEX_COLOR.test(value);
}

/** True for a real calendar date written "YYYY-MM-DD". */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const match = ISO_DATE.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** True for ["YYYY-MM-DD", "YYYY-MM-DD"] with start ≤ end. */
export function isDateRange(value: unknown): value is [string, string] {
  return Array.isArray(value) && value.length === 2 && isIsoDate(value[0]) && isIsoDate(value[1]) && value[0] <= value[1];
}

function show(value: FieldValue | undefined): string {
  return JSON.stringify(value) ?? "nothing";
}

function optionalNumber(fields: Map<string, FieldValue>, key: string, problems: string[]): number | null {
  const value = fields.get(key);
  if (value === undefined || value === null) return null;
  if (typeof value === "number") return value;
  problems.push(`${key} must be a number, got ${show(value)}`);
  return null;
}

function numberSpec(base: SpecBase, fields: Map<string, FieldValue>, problems: string[]): ParamSpec | null {
  const min = optionalNumber(fields, "min", problems);
  const max = optionalNumber(fields, "max", problems);
  const step = optionalNumber(fields, "step", problems);
  const value = fields.get("default");
  if (step !== null && step <= 0) problems.push(`step must be above 0, got ${step}`);
  if (min !== null && max !== null && min > max) problems.push(`min ${min} is above max ${max}`);
  if (typeof value !== "number") {
    problems.push(`default must be a number, got ${show(value)}`);
    return null;
  }
  if (min !== null && value < min) problems.push(`default ${value} is below min ${min}`);
  if (max !== null && value > max) problems.push(`default ${value} is above max ${max}`);
  return { ...base, type: "number", default: value, min, max, step };
}

function selectSpec(base: SpecBase, fields: Map<string, FieldValue>, problems: string[]): ParamSpec | null {
  const options = fields.get("options");
  const value = fields.get("default");
  if (!Array.isArray(options) || options.length === 0) {
    problems.push(`options must be a non-empty array of strings or numbers, got ${show(options)}`);
    return null;
  }
  const valid = options.filter((o): o is string | number => typeof o === "string" || typeof o === "number");
  if (valid.length !== options.length) {
    problems.push(`options must hold only strings or numbers, got ${show(options)}`);
    return null;
  }
  if ((typeof value !== "string" && typeof value !== "number") || !valid.includes(value)) {
    problems.push(`default must be one of the options, got ${show(value)}`);
    return null;
  }
  return { ...base, type: "select", default: value, options: valid };
}

function scalarSpec(type: ViewParamType, base: SpecBase, value: FieldValue | undefined, problems: string[]): ParamSpec | null {
  switch (type) {
    case "boolean":
      if (typeof value === "boolean") return { ...base, type, default: value };
      problems.push(`default must be true or false, got ${show(value)}`);
      return null;
    case "color":
      if (isHexColor(value)) return { ...base, type, default: value };
      problems.push(`default must be a hex colour such as "#4f46e5", got ${show(value)}`);
      return null;
    case "text":
      if (typeof value === "string") return { ...base, type, default: value };
      problems.push(`default must be a string, got ${show(value)}`);
      return null;
    case "date":
      if (isIsoDate(value)) return { ...base, type, default: value };
      problems.push(`default must be a "YYYY-MM-DD" date, got ${show(value)}`);
      return null;
    case "daterange":
      if (isDateRange(value)) return { ...base, type, default: [value[0], value[1]] };
      problems.push(`default must be ["YYYY-MM-DD", "YYYY-MM-DD"] with start ≤ end, got ${show(value)}`);
      return null;
    default:
      return null;
  }
}

/**
 * Checks one parameter's fields. Returns the spec (null when it cannot be used) and the
 * problems, each naming the field; the caller adds the parameter's name.
 */
export function checkParamFields(name: string, fields: Map<string, FieldValue>): { spec: ParamSpec | null; problems: string[] } {
  const problems: string[] = [];
  const rawType = fields.get("type");
  const type = VIEW_PARAM_TYPES.find((t) => t === rawType);
  if (type === undefined) {
    problems.push(`type must be one of ${VIEW_PARAM_TYPES.join(", ")}; got ${show(rawType)}`);
    return { spec: null, problems };
  }
  for (const key of fields.keys()) {
    if (!COMMON_FIELDS.includes(key) && !fieldsOf(type).includes(key)) {
      problems.push(`unknown field "${key}" for type ${type} (allowed: ${[...COMMON_FIELDS, ...fieldsOf(type)].join(", ")})`);
    }
  }
  const label = fields.get("label");
  if (label !== undefined && label !== null && typeof label !== "string") problems.push(`label must be a string, got ${show(label)}`);
  if (!fields.has("default")) {
    problems.push("default is missing");
    return { spec: null, problems };
  }
  const base: SpecBase = { name, label: typeof label === "string" ? label : null };
  let spec: ParamSpec | null;
  if (type === "number") spec = numberSpec(base, fields, problems);
  else if (type === "select") spec = selectSpec(base, fields, problems);
  else spec = scalarSpec(type, base, fields.get("default"), problems);
  return { spec: problems.length === 0 ? spec : null, problems };
}
