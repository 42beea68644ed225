import { callJson, segment, type ApiRequest, type ApiResult } from "../lib/http";
import { isRecord, type JsonObject, type JsonValue } from "../lib/json";
import { parseDatasetDetail, parseDatasetList, parseDatasetSummary, type DatasetDetail, type DatasetSummary } from "./parse";

const BASE = "/api/datasets";

/** What committing a reviewed upload sends (`POST /api/datasets/drafts/{id}/commit`). */
export interface CommitBody {
  /** The dataset's (and its one table's) name. */
  name: string;
  description?: string;
  /** Column name to DuckDB type, only for columns whose inferred type was changed. */
  overrides?: Record<string, string>;
  /** Column name to description, only for columns given one. */
  descriptions?: Record<string, string>;
}

/** A column's editable fields in a PATCH. */
export interface ColumnPatch {
  description?: string;
  role?: string;
}

/** What `PATCH /api/datasets/{name}` may change (uploads only). */
export interface DatasetPatch {
  name?: string;
  description?: string;
  columns?: Record<string, ColumnPatch>;
}

/** A PostgreSQL source to connect (`POST /api/sources`). */
export interface NewSource {
  name: string;
  url: string;
  schema?: string;
}

function datasetUrl(name: string): string {
  return `${BASE}/${segment(name)}`;
}

function draftUrl(draftId: string, rest = ""): string {
  return `${BASE}/drafts/${segment(draftId)}${rest}`;
}

export function listDatasetsRequest(): ApiRequest {
  return { method: "GET", url: BASE };
}

export function datasetRequest(name: string): ApiRequest {
  return { method: "GET", url: datasetUrl(name) };
}

export function commitDraftRequest(draftId: string, body: CommitBody): ApiRequest {
  const json: JsonObject = { name: body.name };
  if (body.description !== undefined) json.description = body.description;
  if (body.overrides !== undefined) json.overrides = { ...body.overrides };
  if (body.descriptions !== undefined) json.descriptions = { ...body.descriptions };
  return { method: "POST", url: draftUrl(draftId, "/commit"), body: json };
}

export function discardDraftRequest(draftId: string): ApiRequest {
  return { method: "DELETE", url: draftUrl(draftId) };
}

/** `PATCH /api/datasets/{name}`; only the fields given are sent. */
export function patchDatasetRequest(name: string, patch: DatasetPatch): ApiRequest {
  const body: JsonObject = {};
  if (patch.name !== undefined) body.name = patch.name;
  if (patch.description !== undefined) body.description = patch.description;
  if (patch.columns !== undefined) {
    const columns: JsonObject = {};
    for (const [column, fields] of Object.entries(patch.columns)) {
      const entry: JsonObject = {};
      if (fields.description !== undefined) entry.description = fields.description;
      if (fields.role !== undefined) entry.role = fields.role;
      columns[column] = entry;
    }
    body.columns = columns;
  }
  return { method: "PATCH", url: datasetUrl(name), body };
}

/** `DELETE /api/datasets/{name}?confirm=true`: sent once the analyst confirmed (dependent templates named). */
export function deleteDatasetRequest(name: string): ApiRequest {
  return { method: "DELETE", url: `${datasetUrl(name)}?confirm=true` };
}

/** `PUT /api/conversations/{id}/datasets`: the conversation's active datasets ([] = the default). */
export function conversationDatasetsRequest(conversationId: string, datasets: readonly string[]): ApiRequest {
  return { method: "PUT", url: `/api/conversations/${segment(conversationId)}/datasets`, body: { datasets: [...datasets] } };
}

export function connectSourceRequest(source: NewSource): ApiRequest {
  const body: { [key: string]: JsonValue } = { name: source.name, url: source.url };
  if (source.schema !== undefined && source.schema.trim() !== "") body.schema = source.schema.trim();
  return { method: "POST", url: "/api/sources", body };
}

/** The conversation's active datasets from `ConversationPublic`; null when the answer lacks them. */
export function parseConversationDatasets(body: unknown): string[] | null {
  if (!isRecord(body) || !Array.isArray(body.datasets)) return null;
  return body.datasets.filter((name): name is string => typeof name === "string");
}

/** The datasets API (the upload itself goes through `upload.ts`, for its progress events). */
export const datasetsApi = {
  list: (signal?: AbortSignal): Promise<ApiResult<DatasetSummary[]>> => callJson(listDatasetsRequest(), parseDatasetList, signal),
  get: (name: string, signal?: AbortSignal): Promise<ApiResult<DatasetDetail>> => callJson(datasetRequest(name), parseDatasetDetail, signal),
  commit: (draftId: string, body: CommitBody): Promise<ApiResult<DatasetDetail>> => callJson(commitDraftRequest(draftId, body), parseDatasetDetail),
  discard: (draftId: string): Promise<ApiResult<true>> => callJson(discardDraftRequest(draftId), () => true),
  patch: (name: string, patch: DatasetPatch): Promise<ApiResult<DatasetDetail>> => callJson(patchDatasetRequest(name, patch), parseDatasetDetail),
  remove: (name: string): Promise<ApiResult<true>> => callJson(deleteDatasetRequest(name), () => true),
  setConversationDatasets: (conversationId: string, datasets: readonly string[]): Promise<ApiResult<string[]>> =>
    callJson(conversationDatasetsRequest(conversationId, datasets), parseConversationDatasets),
  connectSource: (source: NewSource): Promise<ApiResult<DatasetSummary>> => callJson(connectSourceRequest(source), parseDatasetSummary),
};
