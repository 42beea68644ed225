import type { ServerArtifact } from "../artifact/serverArtifact";
import type { ErrorBody } from "../chat/events";
import type { JsonValue } from "../lib/json";
import { defaultQueryParams } from "../query/api";
import type { QueryResult } from "../query/result";
import type { ArtifactData, ArtifactRecord, DataLoading } from "./types";

/** What an artifact starts from: the component and (when it has one) the query it renders. */
export interface ArtifactSource {
  artifactId: string | null;
  code: string;
  language: string;
  queryId: string | null;
}

/**
 * The store key for a new artifact: its server id. Ids are meant to be unique, but a server
 * that reuses one (the first backend numbered them per turn) must not overwrite an older
 * answer's artifact, so a clash gets the message id appended.
 */
export function artifactKeyFor(artifacts: Readonly<Record<string, ArtifactRecord>>, artifactId: string, messageId: string): string {
  const existing = artifacts[artifactId];
  return existing === undefined || existing.messageId === messageId ? artifactId : `${artifactId}@${messageId}`;
}

/** A new artifact record, bound to the query result it renders (if any). */
export function newArtifact(key: string, messageId: string, source: ArtifactSource, result: QueryResult | null): ArtifactRecord {
  const record: ArtifactRecord = {
    key,
    artifactId: source.artifactId,
    messageId,
    code: source.code,
    language: source.language,
    queryId: source.queryId,
    sql: "",
    paramSpecs: [],
    queryParams: {},
    viewParams: {},
    data: null,
    fetchedAt: null,
    dataVersion: null,
    cache: null,
    job: null,
    loading: null,
    error: null,
    prompt: null,
    template: null,
  };
  return result === null ? record : withResult(record, result);
}

/** Rows of the whole result: before downsampling when the server reduced them for the chart. */
export function resultRowCount(data: ArtifactData): number {
  return data.meta.downsampled ? data.meta.original_row_count : data.rowCount;
}

/** The record with a new query result: new rows and fetch details; the code never changes. */
export function withResult(record: ArtifactRecord, result: QueryResult): ArtifactRecord {
  return {
    ...record,
    queryId: result.query_id,
    sql: result.sql || record.sql,
    paramSpecs: result.param_specs.length > 0 ? result.param_specs : record.paramSpecs,
    queryParams: { ...record.queryParams, ...result.params },
    data: {
      columns: result.columns,
      rows: result.rows,
      rowCount: result.row_count,
      truncated: result.truncated,
      meta: { downsampled: result.downsampled, original_row_count: result.original_row_count, downsample: result.downsample },
    },
    fetchedAt: result.fetched_at || null,
    dataVersion: result.data_version || null,
    cache: result.cache,
    job: result.job,
    loading: null,
    error: null,
  };
}

/** A data request started: the previous data stays on screen meanwhile. */
export function withLoading(record: ArtifactRecord, loading: DataLoading): ArtifactRecord {
  return { ...record, loading, error: null };
}

/** A data request failed: its error is shown, the previous data kept. */
export function withError(record: ArtifactRecord, error: ErrorBody): ArtifactRecord {
  return { ...record, loading: null, error };
}

/** One parameter value changed (view or query, by `field`). */
export function withParam(record: ArtifactRecord, field: "viewParams" | "queryParams", name: string, value: JsonValue): ArtifactRecord {
  return { ...record, [field]: { ...record[field], [name]: value } };
}

/** Updates one record in a map of them; unknown keys leave the map unchanged. */
export function updateArtifact(
  artifacts: Record<string, ArtifactRecord>,
  key: string,
  update: (record: ArtifactRecord) => ArtifactRecord,
): Record<string, ArtifactRecord> {
  const record = artifacts[key];
  return record === undefined ? artifacts : { ...artifacts, [key]: update(record) };
}

/**
 * A record for an artifact the server stored (a reopened conversation, an opened template):
 * its code, SQL and specs, without rows until they are fetched. Query parameters start at
 * their defaults.
 */
export function fromServerArtifact(key: string, messageId: string, artifact: ServerArtifact): ArtifactRecord {
  const source = { artifactId: artifact.artifact_id, code: artifact.code, language: artifact.language, queryId: artifact.query_id };
  return {
    ...newArtifact(key, messageId, source, null),
    sql: artifact.sql ?? "",
    paramSpecs: artifact.param_specs,
    queryParams: defaultQueryParams(artifact.param_specs),
    prompt: artifact.prompt,
  };
}
