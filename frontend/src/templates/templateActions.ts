import type { JsonValue } from "../lib/json";
import { fileNameFor, saveBlob } from "../lib/download";
import { appStore } from "../store/appStore";
import { notify } from "../toast/toastStore";
import { templatesApi } from "./api";
import type { Template } from "./parse";
import { templatesStore } from "./templatesStore";

// What the templates panel's buttons do: one API call each, then a notice and a fresh list.
// Each resolves with true when it worked, so the caller can close an editor or a menu.

function reload(): void {
  templatesStore.getState().load();
}

/** Opens a template into the chat (with its saved parameters). */
export async function openTemplate(template: Template): Promise<boolean> {
  if (appStore.getState().turnAbort !== null) {
    notify("error", "Wait for the current answer to finish, then open the template.");
    return false;
  }
  const result = await templatesApi.open(template.id);
  if (!result.ok) {
    notify("error", `Could not open “${template.name}”: ${result.error.message}`);
    return false;
  }
  if (!appStore.getState().openTemplate(result.value)) {
    notify("error", "Wait for the current answer to finish, then open the template.");
    return false;
  }
  return true;
}

export async function renameTemplate(template: Template, name: string): Promise<boolean> {
  const trimmed = name.trim();
  if (trimmed === "" || trimmed === template.name) return trimmed !== "";
  const result = await templatesApi.patch(template.id, { name: trimmed });
  if (!result.ok) {
    notify("error", `Could not rename “${template.name}”: ${result.error.message}`);
    return false;
  }
  notify("success", `Renamed to “${result.value.name}” (v${result.value.version}).`);
  reload();
  return true;
}

export async function deleteTemplate(template: Template): Promise<boolean> {
  const result = await templatesApi.remove(template.id);
  if (!result.ok) {
    notify("error", `Could not delete “${template.name}”: ${result.error.message}`);
    return false;
  }
  notify("success", `Deleted “${template.name}”.`);
  reload();
  return true;
}

/** Downloads the template's export file (the name the server suggests, else `<slug>.json`). */
export async function exportTemplate(template: Template): Promise<boolean> {
  const result = await templatesApi.exportFile(template.id);
  if (!result.ok) {
    notify("error", `Could not export “${template.name}”: ${result.error.message}`);
    return false;
  }
  saveBlob(result.value.blob, result.value.filename ?? fileNameFor(template.name, "json", "template"));
  return true;
}

/** Downloads the template as one self-contained HTML page, `<slug>.html`. */
export async function downloadTemplateHtml(template: Template): Promise<boolean> {
  const result = await templatesApi.standalone(template.id);
  if (!result.ok) {
    notify("error", `Could not build the HTML page for “${template.name}”: ${result.error.message}`);
    return false;
  }
  saveBlob(result.value.blob, fileNameFor(template.name, "html"));
  return true;
}

export async function restoreVersion(template: Template, version: number): Promise<boolean> {
  const result = await templatesApi.restore(template.id, version);
  if (!result.ok) {
    notify("error", `Could not restore version ${version}: ${result.error.message}`);
    return false;
  }
  notify("success", `Restored version ${version} of “${result.value.name}” as v${result.value.version}.`);
  reload();
  return true;
}

/** Imports an export file; the server's refusal (a 400 naming the problem) comes back as text. */
export async function importTemplate(file: JsonValue): Promise<{ ok: true; template: Template } | { ok: false; message: string }> {
  const result = await templatesApi.importFile(file);
  if (!result.ok) return { ok: false, message: result.error.message };
  notify("success", `Imported “${result.value.name}”.`);
  reload();
  return { ok: true, template: result.value };
}
