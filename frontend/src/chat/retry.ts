import type { ChatMessage } from "./chatState";

/**
 * The question to ask again for the answer at `index`: the user message just before it, when
 * that answer failed with a recoverable error and is the last message (a later turn has
 * moved the conversation on). Null otherwise.
 */
export function retryQuestion(messages: readonly ChatMessage[], index: number): string | null {
  const answer = messages[index];
  const question = messages[index - 1];
  if (index !== messages.length - 1 || answer?.role !== "assistant" || question?.role !== "user") return null;
  if (answer.status !== "error" || !answer.error?.recoverable) return null;
  return question.text;
}

/** Whether a failed answer had shown some text before it failed (kept, marked incomplete). */
export function isIncomplete(message: ChatMessage): boolean {
  return message.role === "assistant" && message.status === "error" && message.markdown.trim() !== "";
}
