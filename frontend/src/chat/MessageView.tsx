import { Fragment, memo, useMemo } from "react";
import { ArtifactView } from "../artifact/ArtifactView";
import { extractCode } from "../artifact/extractCode";
import { JobCard } from "../job/JobCard";
import { needsPolling, type MessageJob } from "../job/messageJobs";
import { useAppStore } from "../store/appStore";
import type { AssistantMessage, ChatMessage } from "./chatState";
import { ErrorNotice } from "./ErrorNotice";
import { Markdown } from "./Markdown";
import { isIncomplete } from "./retry";
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

function MessageJobCard({ entry, message }: { entry: MessageJob; message: AssistantMessage }) {
  const updateJob = useAppStore((state) => state.updateJob);
  return <JobCard job={entry.job} poll={needsPolling(entry, message)} onJob={updateJob} />;
}

function AssistantBody({ message, onRetry }: { message: AssistantMessage; onRetry?: () => void }) {
  const key = message.artifactKey;
  const record = useAppStore((state) => (key === null ? null : (state.artifacts[key] ?? null)));
  const active = useAppStore((state) => key !== null && state.activeArtifact === key);
  const activate = useAppStore((state) => state.setActiveArtifact);
  // The component block is cut out of the markdown and shown as an artifact in its place.
  const found = useMemo(() => extractCode(message.markdown), [message.markdown]);
  // An artifact without a matching block in the text still gets shown, after the text.
  const extraction =
    found.language === null && record
      ? { before: found.before, code: record.code, after: "", language: "tsx" as const, complete: true }
      : found;
  const meta = footer(message);
  // A Spark job shows below the tool call that submitted it; one without (restored) after all.
  const jobOf = (callId: string) => message.jobs.find((entry) => entry.toolCallId === callId);
  const looseJobs = message.jobs.filter((entry) => entry.toolCallId === null || !message.toolCalls.some((call) => call.id === entry.toolCallId));
  return (
    <>
      {message.status === "streaming" && <StageIndicator stage={message.stage} />}
      {message.toolCalls.map((call) => {
        const entry = jobOf(call.id);
        return (
          <Fragment key={call.id}>
            <ToolCallView call={call} />
            {entry && <MessageJobCard entry={entry} message={message} />}
          </Fragment>
        );
      })}
      {looseJobs.map((entry) => (
        <MessageJobCard key={entry.job.job_id} entry={entry} message={message} />
      ))}
      <Markdown text={extraction.before} />
      {extraction.language !== null && (
        <ArtifactView extraction={extraction} record={record} status={message.status} active={active} onActivate={activate} />
      )}
      <Markdown text={extraction.after} />
      {isIncomplete(message) && (
        <p className="message-incomplete" data-testid="message-incomplete">
          Incomplete: the answer stopped here.
        </p>
      )}
      {message.error && <ErrorNotice error={message.error} onRetry={onRetry} />}
      {meta && <p className="message-footer">{meta}</p>}
    </>
  );
}

interface MessageViewProps {
  message: ChatMessage;
  /** Asks a failed answer's question again (its error is recoverable and it is the last). */
  onRetry?: () => void;
}

/** One chat message; assistant messages stream their markdown, tool calls and artifact. */
export const MessageView = memo(function MessageView({ message, onRetry }: MessageViewProps) {
  return (
    <article
      className={`message message-${message.role}`}
      data-testid="message"
      data-role={message.role}
      data-status={message.role === "assistant" ? message.status : undefined}
    >
      {message.role === "user" ? <p className="message-text">{message.text}</p> : <AssistantBody message={message} onRetry={onRetry} />}
    </article>
  );
});
