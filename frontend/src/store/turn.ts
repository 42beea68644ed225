import { extractCode } from "../artifact/extractCode";
import { dataFor } from "../artifact/records";
import { chatReducer, type AssistantMessage, type ChatAction, type ChatMessage } from "../chat/chatState";
import type { ChatEvent } from "../chat/events";
import { artifactKeyFor, newArtifact, updateArtifact, withResult, type ArtifactSource } from "./artifacts";
import type { AppData, ArtifactRecord } from "./types";

type TurnData = Pick<AppData, "conversationId" | "messages" | "artifacts" | "activeArtifact" | "turnStage">;

function assistant(messages: readonly ChatMessage[], id: string): AssistantMessage | null {
  const message = messages.find((m) => m.id === id);
  return message?.role === "assistant" ? message : null;
}

function setArtifactKey(messages: ChatMessage[], id: string, key: string): ChatMessage[] {
  return messages.map((m) => (m.id === id && m.role === "assistant" ? { ...m, artifactKey: key } : m));
}

/** Adds the artifact a message renders and makes it the active one (the newest is shown). */
function addArtifact(state: TurnData, message: AssistantMessage, key: string, source: ArtifactSource): TurnData {
  const record: ArtifactRecord = newArtifact(key, message.id, source, dataFor(message.data, source.queryId));
  return {
    ...state,
    messages: setArtifactKey(state.messages, message.id, key),
    artifacts: { ...state.artifacts, [key]: record },
    activeArtifact: key,
  };
}

/**
 * A finished answer whose component block never got an `artifact` event still renders (with
 * the turn's last result), as a local artifact that cannot be refreshed.
 */
function addLocalArtifact(state: TurnData, message: AssistantMessage): TurnData {
  if (message.artifactKey !== null || message.status !== "done") return state;
  const block = extractCode(message.markdown);
  if (block.language === null || !block.complete) return state;
  const queryId = message.data.at(-1)?.query_id ?? null;
  return addArtifact(state, message, `local-${message.id}`, { artifactId: null, code: block.code, language: block.language, queryId });
}

/** Applies one chat action (a turn starting, an event, its end) to messages and artifacts. */
export function applyChatAction(state: TurnData, action: ChatAction): TurnData {
  const wasStreaming = action.type !== "send" && assistant(state.messages, action.id)?.status === "streaming";
  const chat = chatReducer({ conversationId: state.conversationId, messages: state.messages }, action);
  let next: TurnData = { ...state, conversationId: chat.conversationId, messages: chat.messages };
  if (action.type === "send") return { ...next, turnStage: "thinking" };
  // Events after the end of a turn change nothing (the reducer ignored them too).
  if (!wasStreaming) return next;
  const message = assistant(next.messages, action.id);
  if (message === null) return next;
  if (action.type !== "event") return { ...next, turnStage: null };
  const event: ChatEvent = action.event;
  switch (event.type) {
    case "stage":
      return { ...next, turnStage: event.stage };
    case "data": {
      // Results normally come first; one that arrives after its artifact is bound on arrival.
      const key = message.artifactKey;
      const record = key === null ? undefined : next.artifacts[key];
      if (key === null || record?.data !== null || record.queryId !== event.query_id) return next;
      return { ...next, artifacts: updateArtifact(next.artifacts, key, (r) => withResult(r, event)) };
    }
    case "artifact": {
      // One artifact per answer: the first block is the one shown in the text.
      if (message.artifactKey !== null) return next;
      const key = artifactKeyFor(next.artifacts, event.artifact_id, message.id);
      const source = { artifactId: event.artifact_id, code: event.code, language: event.language, queryId: event.query_id };
      return addArtifact(next, message, key, source);
    }
    case "done":
      next = addLocalArtifact(next, message);
      return { ...next, turnStage: null };
    case "error":
      return { ...next, turnStage: null };
    default:
      return next;
  }
}
