import { parseServerArtifact, type ServerArtifact } from "../artifact/serverArtifact";
import { isJsonValue, isRecord, numberField, stringField, type JsonObject } from "../lib/json";
import { parseParamSpecs, parseQueryResult, type QueryParamSpec, type QueryResult } from "../query/result";

// Templates as the server sends them (docs/templates-and-history.md); field names stay snake_case.

/** A saved template, at its latest version. */
export interface Template {
  id: string;
  name: string;
  description: string;
  prompt: string;
  sql: string;
  param_specs: QueryParamSpec[];
  query_params: JsonObject;
  view_params: JsonObject;
  code: string;
  language: string;
  dataset: string;
  version: number;
  created_at: string;
  updated_at: string;
}

/** One page of `GET /api/templates`. */
export interface TemplateList {
  items: Template[];
  total: number;
}

/** One entry of a template's history (`GET /api/templates/{id}/versions`). */
export interface TemplateVersion {
  version: number;
  name: string;
  created_at: string;
}

/** What `POST /api/templates/{id}/open` answers: the template, a live artifact and its rows. */
export interface OpenedTemplate {
  template: Template;
  artifact: ServerArtifact;
  data: QueryResult;
}

function jsonObject(value: unknown): JsonObject {
  return isRecord(value) && isJsonValue(value) ? (value as JsonObject) : {};
}

/** Reads a template from an untrusted object; null without an id, name, code or version. */
export function parseTemplate(value: unknown): Template | null {
  if (!isRecord(value)) return null;
  const id = stringField(value, "id", null);
  const name = stringField(value, "name", null);
  const code = stringField(value, "code", null);
  const version = numberField(value, "version", null);
  if (id === null || name === null || code === null || version === null) return null;
  return {
    id,
    name,
    description: stringField(value, "description", ""),
    prompt: stringField(value, "prompt", ""),
    sql: stringField(value, "sql", ""),
    param_specs: parseParamSpecs(value.param_specs),
    query_params: jsonObject(value.query_params),
    view_params: jsonObject(value.view_params),
    code,
    language: stringField(value, "language", "tsx"),
    dataset: stringField(value, "dataset", ""),
    version,
    created_at: stringField(value, "created_at", ""),
    updated_at: stringField(value, "updated_at", ""),
  };
}

/** Reads `{items, total}`; malformed items are skipped, a body without `items` is refused. */
export function parseTemplateList(body: unknown): TemplateList | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  const items = body.items.map(parseTemplate).filter((t): t is Template => t !== null);
  return { items, total: numberField(body, "total", items.length) };
}

/** Reads a template's versions, newest first as the server lists them. */
export function parseVersions(body: unknown): TemplateVersion[] | null {
  if (!Array.isArray(body)) return null;
  const versions: TemplateVersion[] = [];
  for (const item of body) {
    if (!isRecord(item)) continue;
    const version = numberField(item, "version", null);
    if (version === null) continue;
    versions.push({ version, name: stringField(item, "name", ""), created_at: stringField(item, "created_at", "") });
  }
  return versions;
}

/** Reads the answer of opening a template; null when any of its three parts is unusable. */
export function parseOpenedTemplate(body: unknown): OpenedTemplate | null {
  if (!isRecord(body) || !isRecord(body.data)) return null;
  const template = parseTemplate(body.template);
  const artifact = parseServerArtifact(body.artifact);
  const data = parseQueryResult(body.data);
  return template === null || artifact === null || data === null ? null : { template, artifact, data };
}
