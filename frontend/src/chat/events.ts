import { parseJob, type Job } from "../job/model";
import { parseErrorBody, type ErrorBody } from "../lib/errorBody";
import { booleanField, isJsonValue, isRecord, numberField, stringField, type JsonObject } from "../lib/json";
import { parseQueryResult, type QueryResult } from "../query/result";

// The one error shape lives in lib/errorBody (a failed Spark job carries it too).
export { parseErrorBody, type ErrorBody };

// Mirrors backend/plotwise/api/events.py (see docs/protocol.md); field names stay snake_case.

export type Stage = "thinking" | "query" | "answer" | "artifact" | "fixing";
export const STAGES: readonly Stage[] = ["thinking", "query", "answer", "artifact", "fixing"];

export interface MetaEvent {
  type: "meta";
  conversation_id: string;
  turn_id: string;
  model: string;
  /** The turn's secret for a resume or Stop (`X-Resume-Token`); absent from older servers. */
  resume_token?: string;
}

export interface StageEvent {
  type: "stage";
  stage: Stage;
  message: string;
}

export interface TextEvent {
  type: "text";
  delta: string;
}

export interface ToolCallEvent {
  type: "tool_call";
  tool_call_id: string;
  tool: string;
  args: JsonObject;
}

export interface ToolResultEvent {
  type: "tool_result";
  tool_call_id: string;
  tool: string;
  ok: boolean;
  row_count: number | null;
  truncated: boolean;
  elapsed_ms: number | null;
  error: string | null;
}

/** A query result; one from `submit_spark` is its job's preview and names the job in `job`. */
export interface DataEvent extends QueryResult {
  type: "data";
}

/** A snapshot of a Spark job the turn follows: sent on each change, the last one final. */
export interface JobEvent {
  type: "job";
  /** The `submit_spark` call that submitted the job. */
  tool_call_id: string;
  job: Job;
}

export interface ArtifactEvent {
  type: "artifact";
  artifact_id: string;
  code: string;
  language: string;
  query_id: string | null;
  /** The Spark job whose preview the component renders, if any. */
  job_id: string | null;
}

export interface ErrorEvent extends ErrorBody {
  type: "error";
}

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  requests: number;
  tool_calls: number;
}

export interface DoneEvent {
  type: "done";
  usage: Usage;
  elapsed_ms: number;
}

/** The answer so far is withdrawn (its component broke the policy); a corrected one follows. */
export interface RevisionEvent {
  type: "revision";
  problems: string[];
}

export type ChatEvent =
  | RevisionEvent
  | MetaEvent
  | StageEvent
  | TextEvent
  | ToolCallEvent
  | ToolResultEvent
  | DataEvent
  | JobEvent
  | ArtifactEvent
  | ErrorEvent
  | DoneEvent;

function isStage(value: unknown): value is Stage {
  return typeof value === "string" && (STAGES as readonly string[]).includes(value);
}

function parseUsage(value: unknown): Usage {
  const obj = isRecord(value) ? value : {};
  return {
    input_tokens: numberField(obj, "input_tokens", 0),
    output_tokens: numberField(obj, "output_tokens", 0),
    requests: numberField(obj, "requests", 0),
    tool_calls: numberField(obj, "tool_calls", 0),
  };
}

/**
 * Turns one decoded SSE payload into a typed event, copying known fields only.
 * Returns null for unknown types or payloads missing a required field.
 */
export function toChatEvent(payload: unknown): ChatEvent | null {
  if (!isRecord(payload)) return null;
  const p = payload;
  switch (p.type) {
    case "meta": {
      const conversationId = stringField(p, "conversation_id", null);
      if (conversationId === null) return null;
      const resumeToken = stringField(p, "resume_token", null);
      return {
        type: "meta",
        conversation_id: conversationId,
        turn_id: stringField(p, "turn_id", ""),
        model: stringField(p, "model", ""),
        ...(resumeToken === null ? {} : { resume_token: resumeToken }),
      };
    }
    case "stage":
      return isStage(p.stage) ? { type: "stage", stage: p.stage, message: stringField(p, "message", "") } : null;
    case "text":
      return typeof p.delta === "string" ? { type: "text", delta: p.delta } : null;
    case "revision": {
      const problems = Array.isArray(p.problems) ? p.problems.filter((x): x is string => typeof x === "string") : [];
      return { type: "revision", problems };
    }
    case "tool_call": {
      const id = stringField(p, "tool_call_id", null);
      if (id === null) return null;
      const args = isRecord(p.args) && isJsonValue(p.args) ? (p.args as JsonObject) : {};
      return { type: "tool_call", tool_call_id: id, tool: stringField(p, "tool", ""), args };
    }
    case "tool_result": {
      const id = stringField(p, "tool_call_id", null);
      if (id === null) return null;
      return {
        type: "tool_result",
        tool_call_id: id,
        tool: stringField(p, "tool", ""),
        ok: booleanField(p, "ok", false),
        row_count: numberField(p, "row_count", null),
        truncated: booleanField(p, "truncated", false),
        elapsed_ms: numberField(p, "elapsed_ms", null),
        error: stringField(p, "error", null),
      };
    }
    case "data": {
      const result = parseQueryResult(p);
      return result === null ? null : { type: "data", ...result };
    }
    case "job": {
      const id = stringField(p, "tool_call_id", null);
      const job = parseJob(p.job);
      return id === null || job === null ? null : { type: "job", tool_call_id: id, job };
    }
    case "artifact": {
      const id = stringField(p, "artifact_id", null);
      const code = stringField(p, "code", null);
      if (id === null || code === null) return null;
      return {
        type: "artifact",
        artifact_id: id,
        code,
        language: stringField(p, "language", "tsx"),
        query_id: stringField(p, "query_id", null),
        job_id: stringField(p, "job_id", null),
      };
    }
    case "error":
      return { type: "error", ...parseErrorBody(p) };
    case "done":
      return { type: "done", usage: parseUsage(p.usage), elapsed_ms: numberField(p, "elapsed_ms", 0) };
    default:
      return null;
  }
}

/** The SQL of a `run_sql` (`sql`) or `submit_spark` (`query`) tool call, or null for other tools. */
export function sqlOf(args: JsonObject): string | null {
  const sql = args.sql ?? args.query;
  return typeof sql === "string" ? sql : null;
}
