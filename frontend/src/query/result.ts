import { DOWNSAMPLE_METHODS, type DownsampleMethod } from "../artifact/protocol";
import { parseJob, type Job } from "../job/model";
import { booleanField, isJsonValue, isRecord, numberField, stringField, type JsonObject, type JsonValue } from "../lib/json";

// The query result as the server sends it, in the `data` SSE event and from
// POST /api/artifacts/{id}/data (docs/protocol.md); field names stay snake_case.

export interface ColumnSchema {
  name: string;
  type: string;
}

/** Types of query parameters (`$origin` in the SQL), declared beside the SQL. */
export const QUERY_PARAM_TYPES = ["text", "number", "date", "select", "boolean"] as const;
export type QueryParamType = (typeof QUERY_PARAM_TYPES)[number];

/** A scalar a query parameter can hold. */
export type Scalar = string | number | boolean;

/** One declared query parameter: a control in the sidebar's "Query" section. */
export interface QueryParamSpec {
  name: string;
  type: QueryParamType;
  label: string | null;
  default: Scalar;
  options: (string | number)[] | null;
  min: number | null;
  max: number | null;
  step: number | null;
}

/** Where the result came from: `hit` is true when the server answered from its cache. */
export interface CacheInfo {
  key: string;
  hit: boolean;
  stored_at: string | null;
  expires_at: string | null;
}

/** One query's result: the `data` event's fields. */
export interface QueryResult {
  query_id: string;
  sql: string;
  columns: ColumnSchema[];
  rows: JsonValue[][];
  row_count: number;
  truncated: boolean;
  elapsed_ms: number;
  fetched_at: string;
  data_version: string;
  params: JsonObject;
  param_specs: QueryParamSpec[];
  cache: CacheInfo | null;
  /** The Spark job these rows are the first of (a `submit_spark` result); null for DuckDB's. */
  job: Job | null;
  /** True when the server reduced the rows for the chart (PLOTWISE_POINT_BUDGET). */
  downsampled: boolean;
  /** Rows of the whole result; `row_count` when not downsampled. */
  original_row_count: number;
  /** How the rows were reduced; null when not downsampled. */
  downsample: DownsampleMethod | null;
}

function isScalar(value: unknown): value is Scalar {
  return typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value));
}

function parseColumns(value: unknown): ColumnSchema[] | null {
  if (!Array.isArray(value)) return null;
  const columns: ColumnSchema[] = [];
  for (const item of value) {
    if (!isRecord(item) || typeof item.name !== "string") return null;
    columns.push({ name: item.name, type: stringField(item, "type", "") });
  }
  return columns;
}

function parseRows(value: unknown): JsonValue[][] | null {
  if (!Array.isArray(value)) return null;
  return value.every((row) => Array.isArray(row) && isJsonValue(row)) ? (value as JsonValue[][]) : null;
}

function parseParamSpec(value: unknown): QueryParamSpec | null {
  if (!isRecord(value) || typeof value.name !== "string" || !isScalar(value.default)) return null;
  const type = QUERY_PARAM_TYPES.find((t) => t === value.type);
  if (type === undefined) return null;
  const options = Array.isArray(value.options)
    ? value.options.filter((o): o is string | number => typeof o === "string" || (typeof o === "number" && Number.isFinite(o)))
    : null;
  if (type === "select" && (options === null || options.length === 0)) return null;
  return {
    name: value.name,
    type,
    label: stringField(value, "label", null),
    default: value.default,
    options,
    min: numberField(value, "min", null),
    max: numberField(value, "max", null),
    step: numberField(value, "step", null),
  };
}

/** Declared query parameters; a spec this client cannot show is skipped, not fatal. */
export function parseParamSpecs(value: unknown): QueryParamSpec[] {
  if (!Array.isArray(value)) return [];
  return value.map(parseParamSpec).filter((spec): spec is QueryParamSpec => spec !== null);
}

function parseCache(value: unknown): CacheInfo | null {
  if (!isRecord(value)) return null;
  return {
    key: stringField(value, "key", ""),
    hit: booleanField(value, "hit", false),
    stored_at: stringField(value, "stored_at", null),
    expires_at: stringField(value, "expires_at", null),
  };
}

function parseParams(value: unknown): JsonObject {
  if (!isRecord(value)) return {};
  return Object.fromEntries(Object.entries(value).filter((entry): entry is [string, Scalar] => isScalar(entry[1])));
}

/**
 * Reads a query result from an untrusted object, copying known fields only.
 * Returns null when the id, columns or rows are missing or malformed.
 */
export function parseQueryResult(obj: Record<string, unknown>): QueryResult | null {
  const queryId = stringField(obj, "query_id", null);
  const columns = parseColumns(obj.columns);
  const rows = parseRows(obj.rows);
  if (queryId === null || columns === null || rows === null) return null;
  const rowCount = numberField(obj, "row_count", rows.length);
  const downsample = DOWNSAMPLE_METHODS.find((method) => method === obj.downsample) ?? null;
  const downsampled = booleanField(obj, "downsampled", false) && downsample !== null;
  return {
    query_id: queryId,
    sql: stringField(obj, "sql", ""),
    columns,
    rows,
    row_count: rowCount,
    truncated: booleanField(obj, "truncated", false),
    elapsed_ms: numberField(obj, "elapsed_ms", 0),
    fetched_at: stringField(obj, "fetched_at", ""),
    data_version: stringField(obj, "data_version", ""),
    params: parseParams(obj.params),
    param_specs: parseParamSpecs(obj.param_specs),
    cache: parseCache(obj.cache),
    job: parseJob(obj.job),
    downsampled,
    original_row_count: downsampled ? numberField(obj, "original_row_count", rowCount) : rowCount,
    downsample: downsampled ? downsample : null,
  };
}
