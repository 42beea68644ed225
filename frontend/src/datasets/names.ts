import { formatBytes } from "./format";

// Names the server accepts for datasets, and files it reads. The server checks both again;
// these checks only spare a doomed upload or request.

/** A dataset (and table) name: a lower-case identifier, also safe as a folder name. */
export const DATASET_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/** Longest dataset name. */
export const NAME_MAX = 63;

/** File extensions an upload may have (each may also be `.gz`-compressed). */
export const DATA_EXTENSIONS = [".csv", ".tsv", ".tab", ".txt", ".parquet", ".pq", ".json", ".ndjson", ".jsonl", ".xlsx"] as const;

/** The file input's `accept`: the data extensions and the two compressed containers. */
export const ACCEPT = [...DATA_EXTENSIONS, ".gz", ".zip"].join(",");

/**
 * Why `name` cannot name a new dataset, or null when it can. `taken` are the names already in
 * use (bundled, uploaded and source datasets share one namespace).
 */
export function datasetNameProblem(name: string, taken: readonly string[] = []): string | null {
  if (name === "") return "Give the dataset a name.";
  if (name.length > NAME_MAX) return `A name has at most ${NAME_MAX} characters.`;
  if (!DATASET_NAME.test(name)) return "Use lower-case letters, digits and _, starting with a letter.";
  if (taken.includes(name)) return `A dataset named “${name}” already exists.`;
  return null;
}

/**
 * A valid name made from `text` (an uploaded table name, a file name): lower case, runs of
 * other characters as one `_`, a leading letter ensured. "Sales 2024" gives "sales_2024",
 * "2024" gives "t_2024", nothing usable gives "upload".
 */
export function suggestDatasetName(text: string): string {
  let name = text
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "") return "upload";
  if (!/^[a-z]/.test(name)) name = `t_${name}`;
  return name.slice(0, NAME_MAX).replace(/_+$/, "");
}

/** The part of a picked file that the upload checks: its name and size in bytes. */
export interface PickedFile {
  name: string;
  size: number;
}

/**
 * Why the server would refuse `file` outright (empty, over the upload limit when `limitMb` is
 * known, an extension it does not read), or null.
 */
export function fileProblem(file: PickedFile, limitMb: number | null = null): string | null {
  if (file.size === 0) return `“${file.name}” is empty.`;
  if (limitMb !== null && file.size > limitMb * 1024 * 1024) {
    return `“${file.name}” is ${formatBytes(file.size)}, over the upload limit of ${limitMb.toLocaleString()} MiB (PLOTWISE_MAX_UPLOAD_MB).`;
  }
  const lower = file.name.toLowerCase();
  // A zip holds one file whose own name the server checks.
  if (lower.endsWith(".zip")) return null;
  const inner = lower.endsWith(".gz") ? lower.slice(0, -".gz".length) : lower;
  if (DATA_EXTENSIONS.some((extension) => inner.endsWith(extension))) return null;
  return `“${file.name}” is not a file Plotwise reads: upload CSV, TSV, Parquet, JSON, NDJSON or Excel (.xlsx), optionally as .gz or .zip.`;
}
