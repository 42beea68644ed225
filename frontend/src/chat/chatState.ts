import type {
  ArtifactEvent,
  ChatEvent,
  DataEvent,
  ErrorBody,
  StageEvent,
  ToolResultEvent,
  Usage,
} from "./events";
import { upsertJob, type MessageJob } from "../job/messageJobs";
import type { JsonObject } from "../lib/json";

export interface UserMessage {
  id: string;
  role: "user";
  text: string;
}

export interface ToolCall {
  id: string;
  tool: string;
  args: JsonObject;
  result: ToolResultEvent | null;
}

export type TurnStatus = "streaming" | "done" | "error" | "stopped";

export interface AssistantMessage {
  id: string;
  role: "assistant";
  status: TurnStatus;
  model: string | null;
  markdown: string;
  stage: StageEvent | null;
  toolCalls: ToolCall[];
  /** Query results of this turn, held until the artifact that renders one arrives. */
  data: DataEvent[];
  /** The Spark jobs this answer submitted, each at its latest snapshot. */
  jobs: MessageJob[];
  artifact: ArtifactEvent | null;
  /** Key of this answer's artifact in the store's `artifacts`. */
  artifactKey: string | null;
  error: ErrorBody | null;
  usage: Usage | null;
  elapsedMs: number | null;
}

export type ChatMessage = UserMessage | AssistantMessage;

export interface ChatState {
  conversationId: string | null;
  messages: ChatMessage[];
}

export type ChatAction =
  | { type: "send"; userId: string; assistantId: string; text: string }
  | { type: "event"; id: string; event: ChatEvent }
  | { type: "stopped"; id: string }
  | { type: "ended"; id: string; error: ErrorBody | null };

export const initialChatState: ChatState = { conversationId: null, messages: [] };

function newAssistant(id: string): AssistantMessage {
  return {
    id,
    role: "assistant",
    status: "streaming",
    model: null,
    markdown: "",
    stage: null,
    toolCalls: [],
    data: [],
    jobs: [],
    artifact: null,
    artifactKey: null,
    error: null,
    usage: null,
    elapsedMs: null,
  };
}

/** Applies one server event to the assistant message it belongs to. */
export function applyEvent(message: AssistantMessage, event: ChatEvent): AssistantMessage {
  switch (event.type) {
    case "meta":
      return { ...message, model: event.model };
    case "stage":
      return { ...message, stage: event };
    case "text":
      return { ...message, markdown: message.markdown + event.delta };
    case "revision":
      // The refused answer disappears; the corrected one streams in after it.
      return { ...message, markdown: "", artifact: null };
    case "tool_call":
      return {
        ...message,
        toolCalls: [...message.toolCalls, { id: event.tool_call_id, tool: event.tool, args: event.args, result: null }],
      };
    case "tool_result":
      return {
        ...message,
        toolCalls: message.toolCalls.map((call) =>
          call.id === event.tool_call_id ? { ...call, result: event } : call,
        ),
      };
    case "data": {
      // A Spark preview's query id is its submit_spark call's id; its job is final by now.
      const jobs = event.job === null ? message.jobs : upsertJob(message.jobs, event.query_id, event.job);
      return { ...message, data: [...message.data, event], jobs };
    }
    case "job":
      return { ...message, jobs: upsertJob(message.jobs, event.tool_call_id, event.job) };
    case "artifact":
      return { ...message, artifact: event };
    case "error":
      return {
        ...message,
        status: "error",
        error: {
          code: event.code,
          message: event.message,
          stage: event.stage,
          recoverable: event.recoverable,
          trace_id: event.trace_id,
        },
      };
    case "done":
      return { ...message, status: "done", usage: event.usage, elapsedMs: event.elapsed_ms };
  }
}

function updateAssistant(
  state: ChatState,
  id: string,
  update: (message: AssistantMessage) => AssistantMessage,
): ChatState {
  return {
    ...state,
    messages: state.messages.map((m) => (m.id === id && m.role === "assistant" ? update(m) : m)),
  };
}

/** The chat's state transitions: a turn starts with `send` and ends with done, error or stop. */
export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case "send":
      return {
        ...state,
        messages: [
          ...state.messages,
          { id: action.userId, role: "user", text: action.text },
          newAssistant(action.assistantId),
        ],
      };
    case "event": {
      const next = updateAssistant(state, action.id, (m) =>
        m.status === "streaming" ? applyEvent(m, action.event) : m,
      );
      return action.event.type === "meta" ? { ...next, conversationId: action.event.conversation_id } : next;
    }
    case "stopped":
      return updateAssistant(state, action.id, (m) => (m.status === "streaming" ? { ...m, status: "stopped" } : m));
    case "ended":
      // A body that ends without `done` or `error` means the connection broke mid-turn.
      return updateAssistant(state, action.id, (m) =>
        m.status === "streaming"
          ? {
              ...m,
              status: "error",
              error: action.error ?? {
                code: "stream_incomplete",
                message: "The connection closed before the answer finished.",
                stage: m.stage?.stage ?? null,
                recoverable: true,
                trace_id: null,
              },
            }
          : m,
      );
  }
}

/** True while the last assistant message is still streaming. */
export function isStreaming(messages: readonly ChatMessage[]): boolean {
  const last = messages.at(-1);
  return last !== undefined && last.role === "assistant" && last.status === "streaming";
}
