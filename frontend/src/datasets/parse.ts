import { isJsonValue, isRecord, numberField, stringField, type JsonValue } from "../lib/json";

// Datasets as the server sends them (the issue 10 contract); field names stay snake_case.

export type DatasetKind = "bundled" | "upload" | "postgres";
export type DatasetEngine = "duckdb" | "postgres";

/** One table of a dataset, as listed. */
export interface TableSummary {
  name: string;
  /** Null when the engine does not know it cheaply (a PostgreSQL estimate missing). */
  row_count: number | null;
  column_count: number;
}

/** One row of `GET /api/datasets`. */
export interface DatasetSummary {
  name: string;
  kind: DatasetKind;
  engine: DatasetEngine;
  description: string;
  tables: TableSummary[];
  is_default: boolean;
  created_at: string | null;
  /** The uploaded file's name, or host:port/db of a source (never a password). */
  origin: string | null;
}

/** A column of a committed dataset with its statistics (null where not computed). */
export interface ColumnStats {
  name: string;
  type: string;
  role: string;
  description: string;
  null_count: number | null;
  distinct_count: number | null;
  min: JsonValue;
  max: JsonValue;
}

/** First rows of a table or an upload, positional. */
export interface Preview {
  columns: string[];
  rows: JsonValue[][];
}

/** A table of `GET /api/datasets/{name}`: its columns with statistics and first rows. */
export interface TableDetail extends TableSummary {
  columns: ColumnStats[];
  preview: Preview;
}

/** A template whose dataset is this one (named in the delete confirmation). */
export interface DependentTemplate {
  id: string;
  name: string;
}

/** `GET /api/datasets/{name}`. */
export interface DatasetDetail extends Omit<DatasetSummary, "tables"> {
  tables: TableDetail[];
  templates: DependentTemplate[];
}

/** A column of an upload as inferred, for review. */
export interface DraftColumn {
  name: string;
  type: string;
  null_count: number;
  /** Up to three distinct values. */
  examples: JsonValue[];
  /** Text like "1,234" was read as a number. */
  thousands: boolean;
  /** Cells that look like spreadsheet formulas (`=cmd|…`), kept as text. */
  formula_cells: number;
  role: string;
}

/** `POST /api/datasets`: an upload read for review, not yet a dataset. */
export interface UploadDraft {
  draft_id: string;
  original_name: string;
  table_name: string;
  format: string;
  row_count: number;
  columns: DraftColumn[];
  preview: Preview;
  problems: string[];
  size_bytes: number;
}

const KINDS: readonly DatasetKind[] = ["bundled", "upload", "postgres"];

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === "string") : [];
}

function json(value: unknown): JsonValue {
  return isJsonValue(value) ? value : null;
}

function rows(value: unknown): JsonValue[][] {
  if (!Array.isArray(value)) return [];
  return value.filter((row): row is unknown[] => Array.isArray(row)).map((row) => row.map(json));
}

/**
 * Reads first rows sent either as `{columns, rows}` or as a bare list of rows (then named
 * after `names`, the columns in file order).
 */
export function parsePreview(value: unknown, names: readonly string[] = []): Preview {
  if (Array.isArray(value)) return { columns: [...names], rows: rows(value) };
  if (!isRecord(value)) return { columns: [...names], rows: [] };
  const columns = stringList(value.columns);
  return { columns: columns.length > 0 ? columns : [...names], rows: rows(value.rows) };
}

function parseTableSummary(value: unknown): TableSummary | null {
  if (!isRecord(value)) return null;
  const name = stringField(value, "name", null);
  if (name === null) return null;
  return { name, row_count: numberField(value, "row_count", null), column_count: numberField(value, "column_count", 0) };
}

/** Reads one dataset of the list; null without a name or with an unknown kind. */
export function parseDatasetSummary(value: unknown): DatasetSummary | null {
  if (!isRecord(value)) return null;
  const name = stringField(value, "name", null);
  const kind = KINDS.find((k) => k === value.kind);
  if (name === null || kind === undefined) return null;
  const tables = Array.isArray(value.tables) ? value.tables.map(parseTableSummary).filter((t): t is TableSummary => t !== null) : [];
  return {
    name,
    kind,
    engine: value.engine === "postgres" || kind === "postgres" ? "postgres" : "duckdb",
    description: stringField(value, "description", ""),
    tables,
    is_default: value.is_default === true,
    created_at: stringField(value, "created_at", null),
    origin: stringField(value, "origin", null),
  };
}

/** Reads `{items: [DatasetSummary]}`; malformed items are skipped, a body without items is refused. */
export function parseDatasetList(body: unknown): DatasetSummary[] | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  return body.items.map(parseDatasetSummary).filter((d): d is DatasetSummary => d !== null);
}

function parseColumnStats(value: unknown): ColumnStats | null {
  if (!isRecord(value)) return null;
  const name = stringField(value, "name", null);
  if (name === null) return null;
  return {
    name,
    type: stringField(value, "type", ""),
    role: stringField(value, "role", ""),
    description: stringField(value, "description", ""),
    null_count: numberField(value, "null_count", null),
    distinct_count: numberField(value, "distinct_count", null),
    min: json(value.min),
    max: json(value.max),
  };
}

function parseTableDetail(value: unknown): TableDetail | null {
  const summary = parseTableSummary(value);
  if (summary === null || !isRecord(value)) return null;
  const columns = Array.isArray(value.columns) ? value.columns.map(parseColumnStats).filter((c): c is ColumnStats => c !== null) : [];
  return { ...summary, columns, preview: parsePreview(value.preview, columns.map((c) => c.name)) };
}

function parseTemplateRef(value: unknown): DependentTemplate | null {
  if (!isRecord(value)) return null;
  const id = stringField(value, "id", null);
  return id === null ? null : { id, name: stringField(value, "name", id) };
}

/** Reads `GET /api/datasets/{name}`; null when it is not a dataset. */
export function parseDatasetDetail(body: unknown): DatasetDetail | null {
  const summary = parseDatasetSummary(body);
  if (summary === null || !isRecord(body)) return null;
  const tables = Array.isArray(body.tables) ? body.tables.map(parseTableDetail).filter((t): t is TableDetail => t !== null) : [];
  const templates = Array.isArray(body.templates) ? body.templates.map(parseTemplateRef).filter((t): t is DependentTemplate => t !== null) : [];
  return { ...summary, tables, templates };
}

function parseDraftColumn(value: unknown): DraftColumn | null {
  if (!isRecord(value)) return null;
  const name = stringField(value, "name", null);
  const type = stringField(value, "type", null);
  if (name === null || type === null) return null;
  return {
    name,
    type,
    null_count: numberField(value, "null_count", 0),
    examples: Array.isArray(value.examples) ? value.examples.map(json) : [],
    thousands: value.thousands === true,
    formula_cells: numberField(value, "formula_cells", 0),
    role: stringField(value, "role", ""),
  };
}

/** Reads `POST /api/datasets`' answer; null without a draft id, a table name or columns. */
export function parseUploadDraft(body: unknown): UploadDraft | null {
  if (!isRecord(body) || !Array.isArray(body.columns)) return null;
  const draftId = stringField(body, "draft_id", null);
  const tableName = stringField(body, "table_name", null);
  if (draftId === null || tableName === null) return null;
  const columns = body.columns.map(parseDraftColumn).filter((c): c is DraftColumn => c !== null);
  return {
    draft_id: draftId,
    original_name: stringField(body, "original_name", ""),
    table_name: tableName,
    format: stringField(body, "format", ""),
    row_count: numberField(body, "row_count", 0),
    columns,
    preview: parsePreview(body.preview, columns.map((c) => c.name)),
    problems: stringList(body.problems),
    size_bytes: numberField(body, "size_bytes", 0),
  };
}

/** Rows of all of a dataset's tables; null when any table's count is unknown. */
export function totalRows(dataset: Pick<DatasetSummary, "tables">): number | null {
  let total = 0;
  for (const table of dataset.tables) {
    if (table.row_count === null) return null;
    total += table.row_count;
  }
  return total;
}
