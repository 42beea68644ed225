import { isRecord, stringField } from "../lib/json";
import { parseParamSpecs, type QueryParamSpec } from "../query/result";

/** An artifact as the server stores it (`GET /api/artifacts/{id}`); field names stay snake_case. */
export interface ServerArtifact {
  artifact_id: string;
  conversation_id: string | null;
  code: string;
  language: string;
  query_id: string | null;
  /** The Spark job whose preview it renders, if any. */
  job_id: string | null;
  sql: string | null;
  param_specs: QueryParamSpec[];
  created_at: string | null;
  /** The question it answered. */
  prompt: string | null;
}

/** Reads a stored artifact from an untrusted object; null without an id or code. */
export function parseServerArtifact(value: unknown): ServerArtifact | null {
  if (!isRecord(value)) return null;
  const id = stringField(value, "artifact_id", null);
  const code = stringField(value, "code", null);
  if (id === null || code === null) return null;
  return {
    artifact_id: id,
    conversation_id: stringField(value, "conversation_id", null),
    code,
    language: stringField(value, "language", "tsx"),
    query_id: stringField(value, "query_id", null),
    job_id: stringField(value, "job_id", null),
    sql: stringField(value, "sql", null),
    param_specs: parseParamSpecs(value.param_specs),
    created_at: stringField(value, "created_at", null),
    prompt: stringField(value, "prompt", null),
  };
}
