import type { ChatMessage } from "../chat/chatState";
import type { ArtifactRecord } from "../store/types";

/** The question an answer replied to: the user message just before it. */
export function questionOf(messages: readonly ChatMessage[], messageId: string): string | null {
  const index = messages.findIndex((m) => m.id === messageId);
  for (let i = index - 1; i >= 0; i -= 1) {
    const message = messages[i];
    if (message?.role === "user") return message.text;
  }
  return null;
}

/**
 * What to call an artifact (a template's name, a download's title): its template's name, else
 * the question it answered, else "Chart".
 */
export function artifactTitle(record: ArtifactRecord, messages: readonly ChatMessage[]): string {
  return record.template?.name ?? questionOf(messages, record.messageId) ?? record.prompt ?? "Chart";
}
