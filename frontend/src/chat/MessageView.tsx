import { memo, useMemo } from "react";
import { ArtifactView } from "../artifact/ArtifactView";
import { extractCode } from "../artifact/extractCode";
import type { AssistantMessage, ChatMessage } from "./chatState";
import { ErrorNotice } from "./ErrorNotice";
import { Markdown } from "./Markdown";
import { StageIndicator } from "./StageIndicator";
import { ToolCallView } from "./ToolCallView";

function footer(message: AssistantMessage): string | null {
  if (message.status === "stopped") return "Stopped.";
  if (message.status !== "done" || message.elapsedMs === null) return null;
  const seconds = (message.elapsedMs / 1000).toFixed(1);
  const tokens = message.usage ? message.usage.input_tokens + message.usage.output_tokens : 0;
  return [message.model, `${seconds} s`, tokens > 0 ? `${tokens.toLocaleString()} tokens` : null]
    .filter((part) => part)
    .join(" · ");
}

function AssistantBody({ message }: { message: AssistantMessage }) {
  // The component block is cut out of the markdown and shown as an artifact in its place.
  const found = useMemo(() => extractCode(message.markdown), [message.markdown]);
  // An artifact event without a matching block in the text still gets shown, after the text.
  const extraction =
    found.language === null && message.artifact
      ? { before: found.before, code: message.artifact.code, after: "", language: "tsx" as const, complete: true }
      : found;
  const meta = footer(message);
  return (
    <>
      {message.status === "streaming" && <StageIndicator stage={message.stage} />}
      {message.toolCalls.map((call) => (
        <ToolCallView key={call.id} call={call} />
      ))}
      <Markdown text={extraction.before} />
      {extraction.language !== null && (
        <ArtifactView extraction={extraction} artifact={message.artifact} data={message.data} status={message.status} />
      )}
      <Markdown text={extraction.after} />
      {message.error && <ErrorNotice error={message.error} />}
      {meta && <p className="message-footer">{meta}</p>}
    </>
  );
}

/** One chat message; assistant messages stream their markdown, tool calls and artifact. */
export const MessageView = memo(function MessageView({ message }: { message: ChatMessage }) {
  return (
    <article
      className={`message message-${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-status={message.role === "assistant" ? message.status : undefined}
    >
      {message.role === "user" ? <p className="message-text">{message.text}</p> : <AssistantBody message={message} />}
    </article>
  );
});
