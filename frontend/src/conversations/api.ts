import { parseServerArtifact, type ServerArtifact } from "../artifact/serverArtifact";
import { parseErrorBody, type ErrorBody } from "../chat/events";
import { parseJob, type Job } from "../job/model";
import { callJson, segment, type ApiRequest, type ApiResult } from "../lib/http";
import { isRecord, numberField, stringField } from "../lib/json";

// Stored conversations (docs/templates-and-history.md); field names stay snake_case.

const BASE = "/api/conversations";

/** Page size of the conversations list. */
export const CONVERSATION_PAGE = 50;

/** One row of the conversations list. */
export interface ConversationSummary {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  message_count: number;
}

/** One stored message: markdown, the SQL it ran, its artifacts, Spark jobs and error. */
export interface StoredMessage {
  id: string;
  role: "user" | "assistant";
  content: string;
  created_at: string;
  artifacts: ServerArtifact[];
  sql: string[];
  /** The Spark jobs the answer submitted, in their current state. */
  jobs: Job[];
  error: ErrorBody | null;
}

/** A whole stored conversation. */
export interface StoredConversation {
  id: string;
  title: string;
  created_at: string;
  updated_at: string;
  messages: StoredMessage[];
  /** The conversation's active datasets; [] for the default. */
  datasets: string[];
}

export function listConversationsRequest(offset = 0, limit = CONVERSATION_PAGE): ApiRequest {
  return { method: "GET", url: `${BASE}?limit=${limit}&offset=${offset}` };
}

export function getConversationRequest(id: string): ApiRequest {
  return { method: "GET", url: `${BASE}/${segment(id)}` };
}

export function deleteConversationRequest(id: string): ApiRequest {
  return { method: "DELETE", url: `${BASE}/${segment(id)}` };
}

function parseSummary(value: unknown): ConversationSummary | null {
  if (!isRecord(value)) return null;
  const id = stringField(value, "id", null);
  if (id === null) return null;
  return {
    id,
    title: stringField(value, "title", ""),
    created_at: stringField(value, "created_at", ""),
    updated_at: stringField(value, "updated_at", ""),
    message_count: numberField(value, "message_count", 0),
  };
}

/** Reads `{items, total}`; malformed rows are skipped. */
export function parseConversationList(body: unknown): { items: ConversationSummary[]; total: number } | null {
  if (!isRecord(body) || !Array.isArray(body.items)) return null;
  const items = body.items.map(parseSummary).filter((c): c is ConversationSummary => c !== null);
  return { items, total: numberField(body, "total", items.length) };
}

function parseMessage(value: unknown): StoredMessage | null {
  if (!isRecord(value)) return null;
  const id = stringField(value, "id", null);
  const role = value.role;
  if (id === null || (role !== "user" && role !== "assistant")) return null;
  const artifacts = Array.isArray(value.artifacts) ? value.artifacts.map(parseServerArtifact).filter((a): a is ServerArtifact => a !== null) : [];
  const sql = Array.isArray(value.sql) ? value.sql.filter((s): s is string => typeof s === "string") : [];
  return {
    id,
    role,
    content: stringField(value, "content", ""),
    created_at: stringField(value, "created_at", ""),
    artifacts,
    sql,
    jobs: Array.isArray(value.jobs) ? value.jobs.map(parseJob).filter((j): j is Job => j !== null) : [],
    error: isRecord(value.error) ? parseErrorBody(value.error) : null,
  };
}

/** Reads a stored conversation; malformed messages are skipped, a body without `messages` is refused. */
export function parseConversation(body: unknown): StoredConversation | null {
  if (!isRecord(body) || !Array.isArray(body.messages)) return null;
  const id = stringField(body, "id", null);
  if (id === null) return null;
  return {
    id,
    title: stringField(body, "title", ""),
    created_at: stringField(body, "created_at", ""),
    updated_at: stringField(body, "updated_at", ""),
    messages: body.messages.map(parseMessage).filter((m): m is StoredMessage => m !== null),
    datasets: Array.isArray(body.datasets) ? body.datasets.filter((name): name is string => typeof name === "string") : [],
  };
}

/** The conversations API; every call resolves with a value or the server's error. */
export const conversationsApi = {
  list: (signal?: AbortSignal): Promise<ApiResult<{ items: ConversationSummary[]; total: number }>> =>
    callJson(listConversationsRequest(), parseConversationList, signal),
  get: (id: string): Promise<ApiResult<StoredConversation>> => callJson(getConversationRequest(id), parseConversation),
  remove: (id: string): Promise<ApiResult<true>> => callJson(deleteConversationRequest(id), () => true),
};
