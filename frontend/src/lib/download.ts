const MAX_SLUG = 60;

/**
 * A file-name-safe slug of a title: lower case ASCII letters, digits and single dashes, at most
 * 60 characters; accents are folded first ("Café" → "cafe"). `fallback` when nothing is left.
 */
export function slugify(title: string, fallback = "plotwise"): string {
  const slug = title
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, MAX_SLUG)
    .replace(/-+$/, "");
  return slug === "" ? fallback : slug;
}

/** `<slug>.<extension>` for a title. */
export function fileNameFor(title: string, extension: string, fallback?: string): string {
  return `${slugify(title, fallback)}.${extension}`;
}

/**
 * Saves `blob` as a download named `filename`, through a temporary object URL and an
 * `<a download>` (no navigation, so the page and its chat stay as they are).
 */
export function saveBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement("a");
  link.href = url;
  link.download = filename;
  link.rel = "noopener";
  link.style.display = "none";
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked later: some browsers read the URL after click() returns.
  window.setTimeout(() => URL.revokeObjectURL(url), 30_000);
}
