import type { ErrorBody } from "../lib/errorBody";
import { notify } from "../toast/toastStore";
import { followDatasetChange, setActiveDatasets } from "./activeDatasets";
import { datasetsApi, type CommitBody, type DatasetPatch } from "./api";
import { catalogStore } from "./catalogStore";
import { rowsText } from "./format";
import { totalRows, type DatasetDetail, type DatasetSummary } from "./parse";
import { redactPassword, type SourceForm } from "./sources";
import { uploadStore } from "./uploadStore";

// What the Data panel's buttons do: one API call each, then a notice and a fresh catalog.

function reload(): void {
  catalogStore.getState().load();
}

/** Commits the reviewed upload and makes it the conversation's active dataset. */
export async function commitReview(body: CommitBody): Promise<DatasetDetail | null> {
  const detail = await uploadStore.getState().commit(body);
  if (detail === null) return null;
  reload();
  await setActiveDatasets([detail.name]);
  notify("success", `Added dataset “${detail.name}” (${rowsText(totalRows(detail))}); the chat now asks about it.`);
  return detail;
}

/** Drops the upload under review (its staged file goes on the server too). */
export async function discardReview(): Promise<void> {
  const result = await uploadStore.getState().discard();
  if (!result.ok) notify("error", `Could not discard the upload on the server: ${result.error.message}`);
}

/** PATCHes a dataset; its new detail, or the server's error. */
export async function patchDataset(name: string, patch: DatasetPatch): Promise<{ ok: true; detail: DatasetDetail } | { ok: false; error: ErrorBody }> {
  const result = await datasetsApi.patch(name, patch);
  if (!result.ok) return { ok: false, error: result.error };
  reload();
  if (result.value.name !== name) await followDatasetChange(name, result.value.name);
  return { ok: true, detail: result.value };
}

/** Deletes a dataset the analyst confirmed (dependent templates named); whether it went. */
export async function deleteDataset(name: string): Promise<boolean> {
  const result = await datasetsApi.remove(name);
  if (!result.ok) {
    notify("error", `Could not delete “${name}”: ${result.error.message}`);
    return false;
  }
  notify("success", `Deleted dataset “${name}”.`);
  reload();
  await followDatasetChange(name, null);
  return true;
}

/** Connects a PostgreSQL source; the error's text has the URL's password masked. */
export async function connectSource(form: SourceForm): Promise<{ ok: true; dataset: DatasetSummary } | { ok: false; message: string }> {
  const result = await datasetsApi.connectSource({ name: form.name.trim(), url: form.url.trim(), schema: form.schema });
  if (!result.ok) return { ok: false, message: redactPassword(result.error.message, form.url) };
  notify("success", `Connected “${result.value.name}” (${result.value.tables.length} tables).`);
  reload();
  return { ok: true, dataset: result.value };
}
