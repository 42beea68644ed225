import type { DatasetEngine, DatasetKind } from "./parse";

// The rules of the active-datasets picker. DuckDB datasets can be asked together (one engine
// joins them); a PostgreSQL source runs on its own server, so it is always asked alone.

/** A dataset the picker can offer. */
export interface PickableDataset {
  name: string;
  engine: DatasetEngine;
  /** Null when only the configuration's name list is known (the catalog did not load). */
  kind: DatasetKind | null;
}

/** One checkbox of the picker. */
export interface PickerOption extends PickableDataset {
  checked: boolean;
  disabled: boolean;
  /** Why it is disabled, or a note about it; null when there is nothing to say. */
  hint: string | null;
}

/** The names the picker shows checked: the conversation's pick, or the default dataset before any pick. */
export function shownSelection(selection: readonly string[] | null, defaultName: string): string[] {
  if (selection !== null) return [...selection];
  return defaultName === "" ? [] : [defaultName];
}

/**
 * The `datasets` a chat request names: null (the server's default, or the conversation's
 * stored pick) before any pick and when nothing is checked.
 */
export function requestDatasets(selection: readonly string[] | null): string[] | null {
  return selection === null || selection.length === 0 ? null : [...selection];
}

function engineOf(name: string, datasets: readonly PickableDataset[]): DatasetEngine {
  return datasets.find((d) => d.name === name)?.engine ?? "duckdb";
}

function quoted(names: readonly string[]): string {
  return names.map((name) => `“${name}”`).join(", ");
}

/** Why `name` cannot join the `shown` selection, or null when it can. */
export function mixProblem(name: string, shown: readonly string[], datasets: readonly PickableDataset[]): string | null {
  const others = shown.filter((n) => n !== name);
  if (others.length === 0) return null;
  if (engineOf(name, datasets) === "postgres") return `A PostgreSQL source is asked on its own: uncheck ${quoted(others)} first.`;
  const sources = others.filter((n) => engineOf(n, datasets) === "postgres");
  return sources.length === 0 ? null : `Uncheck ${quoted(sources)} first: a PostgreSQL source is asked on its own.`;
}

/**
 * The checkboxes: every known dataset, then checked names the catalog no longer has (so they
 * can be unchecked). An option that would mix a PostgreSQL source with others is disabled.
 */
export function pickerOptions(datasets: readonly PickableDataset[], shown: readonly string[]): PickerOption[] {
  const options: PickerOption[] = datasets.map((dataset) => {
    const checked = shown.includes(dataset.name);
    const problem = checked ? null : mixProblem(dataset.name, shown, datasets);
    return { ...dataset, checked, disabled: problem !== null, hint: problem };
  });
  for (const name of shown) {
    if (datasets.some((d) => d.name === name)) continue;
    options.push({ name, engine: "duckdb", kind: null, checked: true, disabled: false, hint: "No longer in the catalog." });
  }
  return options;
}

/** The selection after the analyst toggles `name`; unchanged when checking it would mix engines. */
export function toggleDataset(shown: readonly string[], name: string, datasets: readonly PickableDataset[]): string[] {
  if (shown.includes(name)) return shown.filter((n) => n !== name);
  if (mixProblem(name, shown, datasets) !== null) return [...shown];
  // Kept in catalog order, so the same pick always reads (and caches) the same.
  const next = new Set([...shown, name]);
  const known = datasets.filter((d) => next.has(d.name)).map((d) => d.name);
  return [...known, ...[...next].filter((n) => !known.includes(n))];
}

/** The selection after a dataset was renamed or deleted (`to` null), or null when it did not change. */
export function selectionAfterChange(selection: readonly string[] | null, from: string, to: string | null): string[] | null {
  if (selection === null || !selection.includes(from)) return null;
  return to === null ? selection.filter((n) => n !== from) : selection.map((n) => (n === from ? to : n));
}
