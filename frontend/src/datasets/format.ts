import type { JsonValue } from "../lib/json";

// How the datasets feature writes sizes, progress and cell values; numbers in the reader's locale.

const UNITS = ["bytes", "KiB", "MiB", "GiB", "TiB"] as const;

/** "512 bytes", "4.0 KiB", "3.2 MiB" (binary units, as the server's upload limit is given). */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  if (unit === 0) return `${value.toLocaleString()} ${value === 1 ? "byte" : "bytes"}`;
  return `${value.toLocaleString(undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })} ${UNITS[unit]}`;
}

/** Whole percent sent, 0-100; 0 while the total is unknown. */
export function uploadPercent(loaded: number, total: number): number {
  if (total <= 0) return 0;
  return Math.max(0, Math.min(100, Math.floor((loaded / total) * 100)));
}

/** "1.2 MiB of 4.0 MiB (30%)": what the progress bar says. */
export function progressText(loaded: number, total: number): string {
  return `${formatBytes(loaded)} of ${formatBytes(total)} (${uploadPercent(loaded, total)}%)`;
}

/** "1 row", "12,345 rows", or "rows unknown". */
export function rowsText(count: number | null): string {
  if (count === null) return "rows unknown";
  return `${count.toLocaleString()} ${count === 1 ? "row" : "rows"}`;
}

/** A cell or statistic as text: strings as they are, null as "", the rest as JSON. */
export function cellText(value: JsonValue): string {
  if (value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}
