import { datasetNameProblem } from "./names";

// The "Connect PostgreSQL" form's rules. The URL carries a password: it stays in the input and
// the request, and is masked in anything shown back (an error may quote the URL).

/** What the form holds. */
export interface SourceForm {
  name: string;
  url: string;
  schema: string;
}

export const emptySourceForm: SourceForm = { name: "", url: "", schema: "public" };

const MASK = "•••";

/** Why the form cannot be sent yet, or null. */
export function sourceFormProblem(form: SourceForm, taken: readonly string[]): string | null {
  const name = datasetNameProblem(form.name.trim(), taken);
  if (name !== null) return name;
  if (!/^postgres(ql)?:\/\/\S+$/i.test(form.url.trim())) return "Give a postgresql://user:password@host:5432/database URL.";
  return null;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** The password in a `scheme://user:password@host` URL, raw and decoded; [] when it has none. */
function passwords(url: string): string[] {
  // Up to the last "@": a typed password may hold spaces or an unescaped "@".
  const match = /^[a-z][a-z0-9+.-]*:\/\/[^:/@]*:(.+)@[^@]*$/i.exec(url.trim());
  const raw = match?.[1];
  if (raw === undefined) return [];
  let decoded = raw;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    // A malformed escape: the raw form is all there is to mask.
  }
  return [...new Set([raw, decoded])];
}

/**
 * `message` with passwords masked: the form's own (anywhere), any `user:password@` in a URL,
 * and libpq's `password=…`.
 */
export function redactPassword(message: string, url: string): string {
  let text = message.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)[^@\s]+@/gi, `$1${MASK}@`).replace(/(password\s*=\s*)('[^']*'|\S+)/gi, `$1${MASK}`);
  for (const secret of passwords(url)) {
    // Very short passwords would mask ordinary words; the URL forms above still catch them.
    if (secret.length >= 3) text = text.replace(new RegExp(escapeRegExp(secret), "g"), MASK);
  }
  return text;
}
