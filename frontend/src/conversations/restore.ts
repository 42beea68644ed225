import type { AssistantMessage, ChatMessage, ToolCall } from "../chat/chatState";
import { artifactKeyFor, fromServerArtifact } from "../store/artifacts";
import type { ArtifactRecord, PersistedData } from "../store/types";
import type { StoredConversation, StoredMessage } from "./api";

/** The stored SQL of an answer as finished `run_sql` calls (the store kept no row counts). */
function toolCalls(message: StoredMessage): ToolCall[] {
  return message.sql.map((sql, i) => {
    const id = `${message.id}-sql-${i}`;
    return {
      id,
      tool: "run_sql",
      args: { sql },
      result: { type: "tool_result", tool_call_id: id, tool: "run_sql", ok: true, row_count: null, truncated: false, elapsed_ms: null, error: null },
    };
  });
}

/** The server stores a turn the client left as a `cancelled` error: here that reads "Stopped." */
function statusOf(message: StoredMessage): Pick<AssistantMessage, "status" | "error"> {
  if (message.error === null) return { status: "done", error: null };
  return message.error.code === "cancelled" ? { status: "stopped", error: null } : { status: "error", error: message.error };
}

function assistantMessage(message: StoredMessage, artifactKey: string | null): AssistantMessage {
  return {
    id: message.id,
    role: "assistant",
    ...statusOf(message),
    model: null,
    markdown: message.content,
    stage: null,
    toolCalls: toolCalls(message),
    data: [],
    jobs: message.jobs.map((job) => ({ toolCallId: null, job })),
    artifact: null,
    artifactKey,
    usage: null,
    elapsedMs: null,
  };
}

/**
 * A stored conversation as the chat's state: its messages, the artifact of each answer (the
 * first one: an answer shows one) without rows yet, the last one active, and its id so a
 * follow-up continues it.
 */
export function conversationToData(conversation: StoredConversation): PersistedData {
  const messages: ChatMessage[] = [];
  const artifacts: Record<string, ArtifactRecord> = {};
  let activeArtifact: string | null = null;
  for (const message of conversation.messages) {
    if (message.role === "user") {
      messages.push({ id: message.id, role: "user", text: message.content });
      continue;
    }
    const artifact = message.artifacts[0];
    let key: string | null = null;
    if (artifact !== undefined) {
      key = artifactKeyFor(artifacts, artifact.artifact_id, message.id);
      artifacts[key] = fromServerArtifact(key, message.id, artifact);
      activeArtifact = key;
    }
    messages.push(assistantMessage(message, key));
  }
  const datasets = conversation.datasets.length > 0 ? [...conversation.datasets] : null;
  return { conversationId: conversation.id, messages, artifacts, activeArtifact, datasets };
}

/** The artifacts whose rows can be fetched again: those the server has SQL for. */
export function refetchable(artifacts: Readonly<Record<string, ArtifactRecord>>): string[] {
  return Object.values(artifacts)
    .filter((record) => record.artifactId !== null && record.sql !== "")
    .map((record) => record.key);
}
