const TIME: Intl.DateTimeFormatOptions = { hour: "2-digit", minute: "2-digit", second: "2-digit" };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...TIME, year: "numeric", month: "short", day: "numeric" };

/**
 * An ISO 8601 instant as local time with seconds (a refresh within the same minute must read
 * differently), with the date too when it is not today. Unparseable input is shown as is.
 */
export function formatFetchedAt(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const sameDay = date.toDateString() === now.toDateString();
  return date.toLocaleString(undefined, sameDay ? TIME : DATE_TIME);
}

/**
 * A list's "updated" time, short: the time today, the day this year, the full date before.
 * Unparseable input is shown as is.
 */
export function formatUpdatedAt(iso: string, now: Date = new Date()): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  if (date.toDateString() === now.toDateString()) return date.toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" });
  const options: Intl.DateTimeFormatOptions = { month: "short", day: "numeric" };
  if (date.getFullYear() !== now.getFullYear()) options.year = "numeric";
  return date.toLocaleDateString(undefined, options);
}
