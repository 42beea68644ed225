import type { JsonValue } from "../lib/json";
import type { ColumnSchema } from "./result";

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break; null is empty. */
function field(value: JsonValue): string {
  if (value === null) return "";
  const text = typeof value === "object" ? JSON.stringify(value) : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A result as CSV text: a header of column names, then one line per row (CRLF line ends). */
export function toCsv(columns: readonly ColumnSchema[], rows: readonly (readonly JsonValue[])[]): string {
  const lines = [columns.map((column) => field(column.name)).join(",")];
  for (const row of rows) lines.push(columns.map((_, i) => field(row[i] ?? null)).join(","));
  return `${lines.join("\r\n")}\r\n`;
}
