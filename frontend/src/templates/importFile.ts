import { isJsonValue, isRecord, type JsonObject } from "../lib/json";

/** Export files are small (one template's code and SQL); anything far larger is not one. */
export const MAX_IMPORT_BYTES = 5 * 1024 * 1024;

/** A file read for import: its JSON object, or why it cannot be sent. */
export type ImportFile = { ok: true; json: JsonObject } | { ok: false; message: string };

/**
 * Checks an export file's text before it is sent: it must be one JSON object. Everything else
 * (format, schema version, fields, SQL, code) is the server's to check, and its 400 says what.
 */
export function parseImportText(text: string, filename: string): ImportFile {
  if (text.trim() === "") return { ok: false, message: `${filename} is empty.` };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${filename} is not valid JSON (${detail}).` };
  }
  if (!isRecord(parsed) || !isJsonValue(parsed)) {
    return { ok: false, message: `${filename} is not a Plotwise template export: it should hold one JSON object.` };
  }
  return { ok: true, json: parsed as JsonObject };
}

/** The subset of File the reader needs, so tests can pass plain objects. */
export interface ReadableFile {
  name: string;
  size: number;
  text: () => Promise<string>;
}

/** Reads a picked file for import; size, read and JSON problems become a message naming the file. */
export async function readImportFile(file: ReadableFile): Promise<ImportFile> {
  if (file.size > MAX_IMPORT_BYTES) {
    const mb = (file.size / (1024 * 1024)).toFixed(1);
    return { ok: false, message: `${file.name} is ${mb} MB; a template export is far smaller, so this is not one.` };
  }
  let text: string;
  try {
    text = await file.text();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, message: `${file.name} could not be read (${detail}).` };
  }
  return parseImportText(text, file.name);
}
