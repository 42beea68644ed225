import type { CommitBody } from "./api";
import { DATASET_NAME, datasetNameProblem, NAME_MAX, suggestDatasetName } from "./names";
import type { DraftColumn, UploadDraft } from "./parse";

/**
 * Types a reviewed column may be given; the server accepts these (and a few more) as casts.
 * DECIMAL(18,2) suits money: exact cents, no float rounding.
 */
export const COLUMN_TYPES = ["VARCHAR", "BIGINT", "DOUBLE", "DECIMAL(18,2)", "DATE", "TIMESTAMP", "TIME", "BOOLEAN"] as const;

/** Longest description the review sends (the dataset's, and each column's). */
export const DESCRIPTION_MAX = 2000;

/** What the analyst edits while reviewing an upload. */
export interface ReviewForm {
  name: string;
  description: string;
  /** Column name to the type it will get (the inferred one unless changed). */
  types: Record<string, string>;
  /** Column name to its description. */
  descriptions: Record<string, string>;
}

/**
 * The name the review suggests: the server's table name (made valid if needed), with `_2`,
 * `_3`… added when a dataset already has it.
 */
export function suggestedName(tableName: string, taken: readonly string[]): string {
  const base = DATASET_NAME.test(tableName) ? tableName : suggestDatasetName(tableName);
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n += 1) {
    const suffix = `_${n}`;
    const name = `${base.slice(0, NAME_MAX - suffix.length)}${suffix}`;
    if (!taken.includes(name)) return name;
  }
}

/** The form as it starts: the suggested name, inferred types, no descriptions. */
export function initialReview(draft: UploadDraft, taken: readonly string[] = []): ReviewForm {
  return {
    name: suggestedName(draft.table_name, taken),
    description: "",
    types: Object.fromEntries(draft.columns.map((column) => [column.name, column.type])),
    descriptions: Object.fromEntries(draft.columns.map((column) => [column.name, ""])),
  };
}

/** The types a column's select offers: the inferred one first when it is not a usual one. */
export function typeOptions(inferred: string): string[] {
  const usual: readonly string[] = COLUMN_TYPES;
  return usual.includes(inferred) ? [...usual] : [inferred, ...usual];
}

/** Why the form cannot be committed yet (the name's problem), or null. */
export function reviewProblem(form: ReviewForm, taken: readonly string[]): string | null {
  return datasetNameProblem(form.name.trim(), taken);
}

function changedTypes(form: ReviewForm, columns: readonly DraftColumn[]): Record<string, string> {
  const overrides: Record<string, string> = {};
  for (const column of columns) {
    const chosen = form.types[column.name];
    if (chosen !== undefined && chosen !== column.type) overrides[column.name] = chosen;
  }
  return overrides;
}

function givenDescriptions(form: ReviewForm, columns: readonly DraftColumn[]): Record<string, string> {
  const descriptions: Record<string, string> = {};
  for (const column of columns) {
    const text = form.descriptions[column.name]?.trim() ?? "";
    if (text !== "") descriptions[column.name] = text.slice(0, DESCRIPTION_MAX);
  }
  return descriptions;
}

/**
 * The commit request's body: the name, and only what the review changed (types that differ
 * from the inferred ones, non-blank descriptions), so the server's inference stays the default.
 */
export function commitBody(form: ReviewForm, draft: UploadDraft): CommitBody {
  const body: CommitBody = { name: form.name.trim() };
  const description = form.description.trim();
  if (description !== "") body.description = description.slice(0, DESCRIPTION_MAX);
  const overrides = changedTypes(form, draft.columns);
  if (Object.keys(overrides).length > 0) body.overrides = overrides;
  const descriptions = givenDescriptions(form, draft.columns);
  if (Object.keys(descriptions).length > 0) body.descriptions = descriptions;
  return body;
}

/** A note on a column under review; a formula one is a warning. */
export interface ColumnNote {
  kind: "thousands" | "formula";
  text: string;
}

/** Notes a column's review shows: thousands separators read, formula-looking cells kept as text. */
export function columnNotes(column: DraftColumn): ColumnNote[] {
  const notes: ColumnNote[] = [];
  if (column.thousands) notes.push({ kind: "thousands", text: "Numbers with thousands separators (1,234) were read as numbers." });
  if (column.formula_cells > 0) {
    const cells = column.formula_cells === 1 ? "1 cell looks" : `${column.formula_cells.toLocaleString()} cells look`;
    notes.push({ kind: "formula", text: `${cells} like a spreadsheet formula (=, +, -, @): kept as text, and escaped in CSV exports.` });
  }
  return notes;
}
