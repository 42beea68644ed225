import { apiTokenGate, type TokenGate } from "../auth/tokenGate";
import { clientErrorBody } from "../chat/sse";
import { parseErrorBody, type ErrorBody } from "../lib/errorBody";
import { isRecord } from "../lib/json";
import { formatBytes } from "./format";
import { parseUploadDraft, type UploadDraft } from "./parse";

/** Where uploads go (multipart, one field `file`). */
export const UPLOAD_URL = "/api/datasets";

/** An XHR event handler (XHR's own events are all progress events). */
export type XhrHandler = (event: ProgressEvent) => void;

/**
 * The part of XMLHttpRequest an upload uses: fetch() reports no upload progress, so uploads
 * go through XHR. Tests pass fakes of this shape.
 */
export interface UploadXhr {
  readonly upload: { onprogress: XhrHandler | null; onload: XhrHandler | null };
  onload: XhrHandler | null;
  onerror: XhrHandler | null;
  onabort: XhrHandler | null;
  readonly status: number;
  readonly responseText: string;
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  send(body: FormData): void;
  abort(): void;
}

/** How an upload ended. */
export type UploadOutcome = { kind: "draft"; draft: UploadDraft } | { kind: "error"; error: ErrorBody } | { kind: "cancelled" };

export interface UploadHandlers {
  /** Bytes sent so far of `total` (the request's size, a little more than the file's). */
  onProgress: (loaded: number, total: number) => void;
  /** Every byte is sent; the server now reads the file for review. */
  onSent: () => void;
}

/** A running upload: cancel it, or wait for how it ends (the promise never rejects). */
export interface UploadHandle {
  cancel: () => void;
  done: Promise<UploadOutcome>;
}

/** The error of a failed upload: the server's `{error}` body, else one built from the status. */
export function uploadError(status: number, responseText: string): ErrorBody {
  let body: unknown = null;
  try {
    body = JSON.parse(responseText);
  } catch {
    // A proxy's HTML page, say: described from the status below.
  }
  if (isRecord(body) && isRecord(body.error)) return parseErrorBody(body.error);
  if (status === 413) return clientErrorBody("upload_too_large", "The file is larger than the server's upload limit (PLOTWISE_MAX_UPLOAD_MB).", false);
  return clientErrorBody(`http_${status}`, `The server answered ${status} to the upload.`);
}

/**
 * The error of a connection that closed mid-upload. A server that refuses a body it has not
 * read to the end (over its size limit) can look like this to the browser, so that is named.
 */
export function brokenOff(sent: number, size: number): ErrorBody {
  if (sent <= 0) return clientErrorBody("network_error", "The upload failed: the server could not be reached.");
  return clientErrorBody(
    "network_error",
    `The upload broke off after ${formatBytes(sent)} of ${formatBytes(size)}: the connection closed (the server may have refused the file, for example as over its size limit).`,
  );
}

/** Reads the XHR's end: a 2xx answer must be a draft, anything else is the server's error. */
export function uploadOutcome(status: number, responseText: string): UploadOutcome {
  if (status < 200 || status >= 300) return { kind: "error", error: uploadError(status, responseText) };
  let body: unknown = null;
  try {
    body = JSON.parse(responseText);
  } catch {
    // Refused just below.
  }
  const draft = parseUploadDraft(body);
  if (draft === null) return { kind: "error", error: clientErrorBody("bad_response", "The server's answer to the upload was not what this page expected.") };
  return { kind: "draft", draft };
}

/**
 * Uploads `file` as `POST /api/datasets` (multipart field `file`), reporting progress.
 * `createXhr` is `new XMLHttpRequest()` in the browser and a fake in tests; `gate` gives the
 * API token (sent as `Authorization: Bearer`) and asks for one on a 401.
 */
export function sendUpload(
  file: Blob & { name: string },
  handlers: UploadHandlers,
  createXhr: () => UploadXhr,
  gate: TokenGate = apiTokenGate,
): UploadHandle {
  let settle: (outcome: UploadOutcome) => void = () => undefined;
  const done = new Promise<UploadOutcome>((resolve) => {
    settle = resolve;
  });
  let ended = false;
  let sent = 0;
  let xhr: UploadXhr | null = null;
  const end = (outcome: UploadOutcome) => {
    if (ended) return;
    ended = true;
    settle(outcome);
  };
  // A 401 asks for the API token (the token dialog), then sends the file again with it.
  const retryWithToken = async (token: string | null, declines: number, status: number, responseText: string) => {
    const next = await gate.refused(token, declines);
    if (ended) return;
    if (next === null) end(uploadOutcome(status, responseText));
    else attempt(next);
  };
  const attempt = (token: string | null) => {
    const declines = gate.declines();
    const current = createXhr();
    xhr = current;
    sent = 0;
    current.upload.onprogress = (event) => {
      // Without a length the file's own size is the best total there is.
      const total = event.lengthComputable && event.total > 0 ? event.total : file.size;
      sent = Math.min(event.loaded, total);
      handlers.onProgress(sent, total);
    };
    current.upload.onload = () => handlers.onSent();
    current.onload = () => {
      if (current.status === 401) void retryWithToken(token, declines, current.status, current.responseText);
      else end(uploadOutcome(current.status, current.responseText));
    };
    current.onerror = () => end({ kind: "error", error: brokenOff(sent, file.size) });
    current.onabort = () => end({ kind: "cancelled" });
    const form = new FormData();
    form.append("file", file, file.name);
    current.open("POST", UPLOAD_URL);
    current.setRequestHeader("Accept", "application/json");
    if (token !== null) current.setRequestHeader("Authorization", `Bearer ${token}`);
    current.send(form);
  };
  attempt(gate.token());
  return {
    cancel: () => {
      if (ended) return;
      xhr?.abort();
      // Some browsers fire no abort event once the response has started: end here too.
      end({ kind: "cancelled" });
    },
    done,
  };
}

/** The browser's XMLHttpRequest, as an upload uses it. */
export function browserXhr(): UploadXhr {
  return new XMLHttpRequest();
}
