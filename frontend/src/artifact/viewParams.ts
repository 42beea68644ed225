import type { JsonObject, JsonValue } from "../lib/json";
import { readParamSchema, type ParamSchemaResult } from "./paramSchema";
import { isDateRange, isHexColor, isIsoDate, type ParamSpec, type ParamSchema } from "./paramSpec";

const CACHE_SIZE = 32;
const schemas = new Map<string, ParamSchemaResult>();

/**
 * The view parameter schema of `code`, parsed once per code string: the artifact and the
 * sidebar both need it, and a component's code never changes.
 */
export function schemaFor(code: string): ParamSchemaResult {
  const cached = schemas.get(code);
  if (cached !== undefined) return cached;
  const result = readParamSchema(code);
  if (schemas.size >= CACHE_SIZE) {
    const oldest = schemas.keys().next();
    if (!oldest.done) schemas.delete(oldest.value);
  }
  schemas.set(code, result);
  return result;
}

/** The schema, or none when it has problems (validation reports those on the artifact). */
export function usableSchema(code: string): ParamSchema {
  const result = schemaFor(code);
  return result.ok ? result.schema : [];
}

/** True when `value` is a valid value for `spec` (its type, and its options for a select). */
export function fitsSpec(spec: ParamSpec, value: JsonValue | undefined): boolean {
  switch (spec.type) {
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "select":
      return (typeof value === "string" || typeof value === "number") && spec.options.includes(value);
    case "boolean":
      return typeof value === "boolean";
    case "color":
      return isHexColor(value);
    case "text":
      return typeof value === "string";
    case "date":
      return isIsoDate(value);
    case "daterange":
      return isDateRange(value);
  }
}

/** The `params` prop: each declared parameter's chosen value when it fits, else its default. */
export function viewParamValues(schema: ParamSchema, chosen: JsonObject): JsonObject {
  const values: JsonObject = {};
  for (const spec of schema) {
    const value = Object.hasOwn(chosen, spec.name) ? chosen[spec.name] : undefined;
    values[spec.name] = fitsSpec(spec, value) && value !== undefined ? value : spec.default;
  }
  return values;
}
