import type { ColumnSchema, DataEvent } from "../chat/events";
import type { JsonValue } from "../lib/json";
import type { Row } from "./protocol";

/**
 * Turns positional rows into objects keyed by column name. Missing cells become null; when two
 * columns share a name the later one wins. Object.fromEntries defines own properties, so a
 * column named "__proto__" stays plain data instead of replacing the prototype.
 */
export function toRecords(columns: readonly ColumnSchema[], rows: readonly (readonly JsonValue[])[]): Row[] {
  return rows.map((row) => Object.fromEntries(columns.map((column, i) => [column.name, row[i] ?? null])));
}

/**
 * The `data` prop for an artifact: the rows of the data event named by `queryId`. With no query
 * id (or an unknown one) the component gets an empty array rather than another query's rows.
 */
export function artifactRows(data: readonly DataEvent[], queryId: string | null): Row[] {
  if (queryId === null) return [];
  const match = data.find((event) => event.query_id === queryId);
  return match ? toRecords(match.columns, match.rows) : [];
}
