import { callFile, callJson, segment, type ApiRequest, type ApiResult, type DownloadedFile } from "../lib/http";
import type { JsonObject, JsonValue } from "../lib/json";
import { parseOpenedTemplate, parseTemplate, parseTemplateList, parseVersions, type OpenedTemplate, type Template, type TemplateList, type TemplateVersion } from "./parse";

const BASE = "/api/templates";

/** Page size of the templates list. */
export const TEMPLATE_PAGE = 50;

/** The server's limits (longer values answer 422), so the inputs stop there. */
export const NAME_MAX = 200;
export const DESCRIPTION_MAX = 2000;
export const SEARCH_MAX = 200;

/** A suggested name cut to the server's limit (a question can be longer). */
export function suggestedName(text: string): string {
  const trimmed = text.trim();
  return trimmed.length <= NAME_MAX ? trimmed : `${trimmed.slice(0, NAME_MAX - 1).trimEnd()}…`;
}

/** What saving an artifact as a template sends. */
export interface NewTemplate {
  artifactId: string;
  name: string;
  description: string;
  queryParams: JsonObject;
  viewParams: JsonObject;
}

/** Fields a PATCH may change; each one given makes a new version. */
export interface TemplatePatch {
  name?: string;
  description?: string;
  query_params?: JsonObject;
  view_params?: JsonObject;
}

function templateUrl(id: string, rest = ""): string {
  return `${BASE}/${segment(id)}${rest}`;
}

/** `POST /api/templates`: save an artifact (the server takes its prompt, SQL and code). */
export function createTemplateRequest(input: NewTemplate): ApiRequest {
  return {
    method: "POST",
    url: BASE,
    body: {
      artifact_id: input.artifactId,
      name: input.name.trim(),
      description: input.description.trim(),
      query_params: input.queryParams,
      view_params: input.viewParams,
    },
  };
}

/** `GET /api/templates?q=…`: a blank search lists everything. */
export function listTemplatesRequest(query: string, offset = 0, limit = TEMPLATE_PAGE): ApiRequest {
  const params = new URLSearchParams();
  const q = query.trim();
  if (q !== "") params.set("q", q);
  params.set("limit", String(limit));
  params.set("offset", String(offset));
  return { method: "GET", url: `${BASE}?${params.toString()}` };
}

/** `PATCH /api/templates/{id}`; only the fields given are sent. */
export function patchTemplateRequest(id: string, patch: TemplatePatch): ApiRequest {
  const body: { [key: string]: JsonValue } = {};
  for (const [key, value] of Object.entries(patch)) if (value !== undefined) body[key] = value;
  return { method: "PATCH", url: templateUrl(id), body };
}

export function deleteTemplateRequest(id: string): ApiRequest {
  return { method: "DELETE", url: templateUrl(id) };
}

export function versionsRequest(id: string): ApiRequest {
  return { method: "GET", url: templateUrl(id, "/versions") };
}

export function restoreVersionRequest(id: string, version: number): ApiRequest {
  return { method: "POST", url: templateUrl(id, `/versions/${version}/restore`) };
}

/** `POST /api/templates/{id}/open`, with the saved query parameters unless others are given. */
export function openTemplateRequest(id: string, queryParams?: JsonObject): ApiRequest {
  return { method: "POST", url: templateUrl(id, "/open"), body: queryParams === undefined ? {} : { query_params: queryParams } };
}

export function exportTemplateRequest(id: string): ApiRequest {
  return { method: "GET", url: templateUrl(id, "/export") };
}

export function templateStandaloneRequest(id: string): ApiRequest {
  return { method: "GET", url: templateUrl(id, "/standalone") };
}

/** `POST /api/templates/import` with an export file's JSON, sent as read. */
export function importTemplateRequest(file: JsonValue): ApiRequest {
  return { method: "POST", url: `${BASE}/import`, body: file };
}

/** The templates API; every call resolves with a value or the server's error. */
export const templatesApi = {
  create: (input: NewTemplate): Promise<ApiResult<Template>> => callJson(createTemplateRequest(input), parseTemplate),
  list: (query: string, signal?: AbortSignal): Promise<ApiResult<TemplateList>> => callJson(listTemplatesRequest(query), parseTemplateList, signal),
  patch: (id: string, patch: TemplatePatch): Promise<ApiResult<Template>> => callJson(patchTemplateRequest(id, patch), parseTemplate),
  remove: (id: string): Promise<ApiResult<true>> => callJson(deleteTemplateRequest(id), () => true),
  versions: (id: string): Promise<ApiResult<TemplateVersion[]>> => callJson(versionsRequest(id), parseVersions),
  restore: (id: string, version: number): Promise<ApiResult<Template>> => callJson(restoreVersionRequest(id, version), parseTemplate),
  open: (id: string): Promise<ApiResult<OpenedTemplate>> => callJson(openTemplateRequest(id), parseOpenedTemplate),
  exportFile: (id: string): Promise<ApiResult<DownloadedFile>> => callFile(exportTemplateRequest(id)),
  standalone: (id: string): Promise<ApiResult<DownloadedFile>> => callFile(templateStandaloneRequest(id)),
  importFile: (file: JsonValue): Promise<ApiResult<Template>> => callJson(importTemplateRequest(file), parseTemplate),
};
