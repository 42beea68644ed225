import type { DatasetPatch } from "./api";
import type { DatasetDetail } from "./parse";

// The detail view's edits of descriptions (uploaded datasets only: others are read-only).

/** The descriptions as edited: the dataset's, and each column's by name. */
export interface DescriptionEdits {
  description: string;
  columns: Record<string, string>;
}

/** The edits as they start: what the server has. */
export function initialEdits(detail: DatasetDetail): DescriptionEdits {
  const columns: Record<string, string> = {};
  for (const table of detail.tables) for (const column of table.columns) columns[column.name] = column.description;
  return { description: detail.description, columns };
}

/** Only uploads can be renamed or described here (bundled ones ship as files, sources read their catalog). */
export function isEditable(detail: Pick<DatasetDetail, "kind">): boolean {
  return detail.kind === "upload";
}

/** Bundled datasets cannot be deleted; uploads and sources can (the server refuses configured sources). */
export function isDeletable(detail: Pick<DatasetDetail, "kind">): boolean {
  return detail.kind !== "bundled";
}

/** The PATCH that saves what changed (trimmed), or null when nothing did. */
export function descriptionPatch(detail: DatasetDetail, edits: DescriptionEdits): DatasetPatch | null {
  const saved = initialEdits(detail);
  const patch: DatasetPatch = {};
  const description = edits.description.trim();
  if (description !== saved.description.trim()) patch.description = description;
  const columns: Record<string, { description: string }> = {};
  for (const [name, text] of Object.entries(edits.columns)) {
    const trimmed = text.trim();
    if (name in saved.columns && trimmed !== (saved.columns[name] ?? "").trim()) columns[name] = { description: trimmed };
  }
  if (Object.keys(columns).length > 0) patch.columns = columns;
  return Object.keys(patch).length > 0 ? patch : null;
}

/** What the delete confirmation says about the templates that use the dataset. */
export function dependentsText(detail: Pick<DatasetDetail, "templates">): string {
  const names = detail.templates.map((t) => `“${t.name}”`);
  if (names.length === 0) return "No saved template uses it.";
  const list = names.length === 1 ? names[0] : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
  return names.length === 1 ? `The template ${list} uses it and will stop working.` : `The templates ${list} use it and will stop working.`;
}
