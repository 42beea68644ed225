import type { ChatMessage } from "../chat/chatState";
import type { ErrorBody, Stage } from "../chat/events";
import type { Job } from "../job/model";
import type { JsonObject, JsonValue } from "../lib/json";
import type { DataMeta } from "../artifact/protocol";
import type { CacheInfo, ColumnSchema, QueryParamSpec } from "../query/result";

/** The rows an artifact renders (positional, as the server sends them). */
export interface ArtifactData {
  columns: ColumnSchema[];
  rows: JsonValue[][];
  rowCount: number;
  truncated: boolean;
  /** Whether the rows are the whole result or the server's reduction of it for the chart. */
  meta: DataMeta;
}

/** What an artifact is waiting for: new query parameter values, or a refresh. */
export type DataLoading = "query" | "refresh";

/** The saved template an artifact was opened from or saved as, for "Save new version". */
export interface TemplateRef {
  id: string;
  version: number;
  name: string;
}

/** One rendered answer component with its query, data and parameter values. */
export interface ArtifactRecord {
  /** Key in the store (the server's artifact id unless that was taken; see artifactKeyFor). */
  key: string;
  /** The server's id for POST /api/artifacts/{id}/data; null for a block the server never announced. */
  artifactId: string | null;
  messageId: string;
  code: string;
  language: string;
  queryId: string | null;
  sql: string;
  /** The query parameters declared with the SQL. */
  paramSpecs: QueryParamSpec[];
  /** Current query parameter values (all of them, as last sent or received). */
  queryParams: JsonObject;
  /** View parameter values the analyst changed; the rest take the schema's defaults. */
  viewParams: JsonObject;
  data: ArtifactData | null;
  fetchedAt: string | null;
  dataVersion: string | null;
  cache: CacheInfo | null;
  /** The Spark job whose preview `data` is (its files hold every row); null for DuckDB's rows. */
  job: Job | null;
  /** Transient: a data request in flight. */
  loading: DataLoading | null;
  /** The last data request's error; the previous data is kept. */
  error: ErrorBody | null;
  /** The question it answered, when the server told (a reopened conversation, a template). */
  prompt: string | null;
  /** The template it came from or was saved as; null for a plain answer. */
  template: TemplateRef | null;
}

/** The whole client state: chat, artifacts and what is in flight. */
export interface AppData {
  conversationId: string | null;
  messages: ChatMessage[];
  artifacts: Record<string, ArtifactRecord>;
  /** The artifact the sidebar shows. */
  activeArtifact: string | null;
  /**
   * The conversation's active datasets as picked in the composer; null before any pick (the
   * default dataset), [] when the analyst unchecked them all (the default answers too).
   */
  datasets: string[] | null;
  /** Transient: the stage of the turn that is streaming, null when none is. */
  turnStage: Stage | null;
  /** Transient: aborts the turn in flight. */
  turnAbort: AbortController | null;
  /** Transient: whether the sidebar is unfolded on narrow screens (it always shows on wide ones). */
  sidebarOpen: boolean;
}

/** The part of AppData kept in localStorage. */
export type PersistedData = Pick<AppData, "conversationId" | "messages" | "artifacts" | "activeArtifact" | "datasets">;

export const emptyAppData: AppData = {
  conversationId: null,
  messages: [],
  artifacts: {},
  activeArtifact: null,
  datasets: null,
  turnStage: null,
  turnAbort: null,
  sidebarOpen: false,
};
