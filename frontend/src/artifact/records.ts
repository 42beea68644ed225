import type { DataEvent } from "../chat/events";
import type { JsonValue } from "../lib/json";
import type { ColumnSchema } from "../query/result";
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
 * The data event an artifact renders: the one named by `queryId`. With no query id (or an
 * unknown one) there is none, so the component gets no rows rather than another query's.
 */
export function dataFor(data: readonly DataEvent[], queryId: string | null): DataEvent | null {
  if (queryId === null) return null;
  return data.find((event) => event.query_id === queryId) ?? null;
}
