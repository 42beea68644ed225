/** Fence languages that mark the answer's component block. */
export const COMPONENT_LANGUAGES = ["tsx", "jsx"] as const;
export type ComponentLanguage = (typeof COMPONENT_LANGUAGES)[number];

export interface CodeExtraction {
  /** Markdown before the component block (all of it when there is no block yet). */
  before: string;
  /** The component's source so far, without the fences. */
  code: string;
  /** Markdown after the closing fence ("" until it arrives). */
  after: string;
  /** The block's fence language, or null when no component block has started. */
  language: ComponentLanguage | null;
  /** True once the closing fence arrived. */
  complete: boolean;
}

interface Fence {
  char: "`" | "~";
  length: number;
  info: string;
}

const FENCE_LINE = /^ {0,3}(`{3,}|~{3,})(.*)$/;
// An unterminated last line that may still grow into a fence: held back so "``" never flashes.
const FENCE_PREFIX = /^ {0,3}(`{1,}|~{1,})[^`~]*$/;

function openingFence(line: string): Fence | null {
  const match = FENCE_LINE.exec(line);
  if (!match) return null;
  const marks = match[1] ?? "";
  const info = (match[2] ?? "").trim();
  // A backtick fence's info string may not contain backticks (CommonMark).
  if (marks.startsWith("`") && info.includes("`")) return null;
  return { char: marks.startsWith("`") ? "`" : "~", length: marks.length, info };
}

function closes(line: string, fence: Fence): boolean {
  const match = FENCE_LINE.exec(line);
  const marks = match?.[1] ?? "";
  return marks.startsWith(fence.char) && marks.length >= fence.length && (match?.[2] ?? "").trim() === "";
}

function componentLanguage(info: string): ComponentLanguage | null {
  const word = (info.split(/\s+/)[0] ?? "").toLowerCase();
  return (COMPONENT_LANGUAGES as readonly string[]).includes(word) ? (word as ComponentLanguage) : null;
}

function isFencePrefix(line: string): boolean {
  const match = FENCE_PREFIX.exec(line);
  // "`code` and more" is inline code, not a fence: only short runs or fence-length runs qualify.
  return match !== null && ((match[1]?.length ?? 0) >= 3 || line.trim() === match[1]);
}

function stripFinalNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}

/**
 * Finds the first ```tsx (or ```jsx) block in markdown that may still be streaming.
 * Other fenced blocks (```sql) are skipped whole, so a fence inside them never counts.
 */
export function extractCode(markdown: string): CodeExtraction {
  let pos = 0;
  let other: Fence | null = null;
  let component: { fence: Fence; language: ComponentLanguage; start: number; contentStart: number } | null = null;

  while (pos < markdown.length) {
    const newline = markdown.indexOf("\n", pos);
    const terminated = newline !== -1;
    const lineEnd = terminated ? newline : markdown.length;
    const line = markdown.slice(pos, lineEnd).replace(/\r$/, "");
    const next = terminated ? newline + 1 : markdown.length;

    if (component !== null) {
      if (closes(line, component.fence)) {
        return {
          before: markdown.slice(0, component.start),
          code: stripFinalNewline(markdown.slice(component.contentStart, pos)),
          after: markdown.slice(next),
          language: component.language,
          complete: true,
        };
      }
      if (!terminated && isFencePrefix(line)) {
        return {
          before: markdown.slice(0, component.start),
          code: markdown.slice(component.contentStart, pos),
          after: "",
          language: component.language,
          complete: false,
        };
      }
    } else if (other !== null) {
      if (closes(line, other)) other = null;
      else if (!terminated && isFencePrefix(line)) {
        return { before: markdown.slice(0, pos), code: "", after: "", language: null, complete: false };
      }
    } else {
      const fence = openingFence(line);
      if (!terminated && (fence !== null || isFencePrefix(line))) {
        // The info string may still be arriving ("```ts" before "x"): decide once the line ends.
        return { before: markdown.slice(0, pos), code: "", after: "", language: null, complete: false };
      }
      if (fence !== null) {
        const language = componentLanguage(fence.info);
        if (language !== null) component = { fence, language, start: pos, contentStart: next };
        else other = fence;
      }
    }
    pos = next;
  }

  if (component !== null) {
    return {
      before: markdown.slice(0, component.start),
      code: markdown.slice(component.contentStart),
      after: "",
      language: component.language,
      complete: false,
    };
  }
  return { before: markdown, code: "", after: "", language: null, complete: false };
}
