import type { ParamSpec } from "../artifact/paramSpec";
import type { JsonValue } from "../lib/json";
import type { QueryParamSpec } from "../query/result";

/** A query parameter as a sidebar control (the same control kinds as view parameters). */
export function querySpecToControl(spec: QueryParamSpec): ParamSpec {
  const base = { name: spec.name, label: spec.label };
  switch (spec.type) {
    case "number":
      return { ...base, type: "number", default: Number(spec.default), min: spec.min, max: spec.max, step: spec.step };
    case "select": {
      const options = spec.options ?? [];
      const fallback = options[0] ?? String(spec.default);
      const value = typeof spec.default === "boolean" ? fallback : spec.default;
      return { ...base, type: "select", default: value, options: options.length > 0 ? options : [fallback] };
    }
    case "boolean":
      return { ...base, type: "boolean", default: spec.default === true };
    case "date":
      return { ...base, type: "date", default: String(spec.default) };
    case "text":
      return { ...base, type: "text", default: String(spec.default) };
  }
}

/** "#abc" → "#aabbcc": `<input type="color">` only takes the long form. */
export function longHex(color: string): string {
  const short = /^#([0-9a-f])([0-9a-f])([0-9a-f])$/i.exec(color);
  return (short ? `#${short[1]}${short[1]}${short[2]}${short[2]}${short[3]}${short[3]}` : color).toLowerCase();
}

/** The number typed into a number box, kept within the spec's bounds; null while it is not one. */
export function parseNumberInput(text: string, min: number | null, max: number | null): number | null {
  if (text.trim() === "") return null;
  const value = Number(text);
  if (!Number.isFinite(value)) return null;
  return Math.min(max ?? Number.POSITIVE_INFINITY, Math.max(min ?? Number.NEGATIVE_INFINITY, value));
}

/** What a text or number box shows for a value. */
export function inputText(value: JsonValue | undefined): string {
  return value === null || value === undefined ? "" : String(value);
}

/** The label of a control: the spec's label, else its name. */
export function labelOf(spec: ParamSpec): string {
  return spec.label ?? spec.name;
}
