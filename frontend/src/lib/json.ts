/** Any value that survives JSON (and structured clone) unchanged. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object; untrusted input is narrowed to this before any field is read. */
export type JsonObject = { [key: string]: JsonValue };

/** True for a plain object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Reads a string field, or returns `fallback` when it is missing or not a string. */
export function stringField<F extends string | null>(
  obj: Record<string, unknown>,
  key: string,
  fallback: F,
): string | F {
  const value = obj[key];
  return typeof value === "string" ? value : fallback;
}

/** Reads a finite number field, or returns `fallback`. */
export function numberField<F extends number | null>(
  obj: Record<string, unknown>,
  key: string,
  fallback: F,
): number | F {
  const value = obj[key];
  return typeof value === "number" && Number.isFinite(value) ? value : fallback;
}

/** Reads a boolean field, or returns `fallback`. */
export function booleanField(obj: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const value = obj[key];
  return typeof value === "boolean" ? value : fallback;
}

/** True when `value` is JSON data all the way down (no functions, class instances or cycles). */
export function isJsonValue(value: unknown, depth = 0): value is JsonValue {
  if (depth > 64) return false;
  if (value === null) return true;
  switch (typeof value) {
    case "string":
    case "boolean":
      return true;
    case "number":
      return Number.isFinite(value);
    case "object":
      if (Array.isArray(value)) return value.every((item) => isJsonValue(item, depth + 1));
      if (Object.getPrototypeOf(value) !== Object.prototype) return false;
      return Object.values(value).every((item) => isJsonValue(item, depth + 1));
    default:
      return false;
  }
}
