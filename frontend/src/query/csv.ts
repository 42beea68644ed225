import type { JsonValue } from "../lib/json";
import type { ColumnSchema } from "./result";

/** First characters that make a spreadsheet run a text cell as a formula (OWASP's CSV injection list). */
const FORMULA_START = /^[=+\-@\t\r\n]/;

/**
 * A text cell made safe for a spreadsheet: a leading `'` defuses a formula (`=cmd|' /C calc'!A0`),
 * as OWASP's CSV injection guidance says and as the server's `escape_formula` does. Only text:
 * the number -5 is no formula.
 */
export function escapeFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; null is empty;
 * text that looks like a formula is escaped first.
 */
function field(value: JsonValue): string {
  if (value === null) return "";
  const raw = typeof value === "object" ? JSON.stringify(value) : String(value);
  const text = typeof value === "string" ? escapeFormula(raw) : raw;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A result as CSV text: a header of column names, then one line per row (CRLF line ends). */
export function toCsv(columns: readonly ColumnSchema[], rows: readonly (readonly JsonValue[])[]): string {
  const lines = [columns.map((column) => field(column.name)).join(",")];
  for (const row of rows) lines.push(columns.map((_, i) => field(row[i] ?? null)).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
