import { RotateCcw, TriangleAlert } from "lucide-react";
import type { ErrorBody } from "./events";

interface ErrorNoticeProps {
  error: ErrorBody;
  /** Asks the question again; given only when a retry may help (see `retryQuestion`). */
  onRetry?: () => void;
}

/** A failed turn: the server's message (which names the problem), and Retry when it may help. */
export function ErrorNotice({ error, onRetry }: ErrorNoticeProps) {
  return (
    <div className="chat-error" role="alert" data-testid="chat-error" data-code={error.code}>
      <TriangleAlert size={16} aria-hidden />
      <div className="chat-error-body">
        <p className="chat-error-message">{error.message}</p>
        <p className="chat-error-detail">
          {error.code}
          {error.recoverable && !onRetry && " · trying again may work"}
          {error.trace_id && ` · trace ${error.trace_id}`}
        </p>
      </div>
      {onRetry && (
        <button type="button" className="chat-error-retry" onClick={onRetry} data-testid="retry-turn">
          <RotateCcw size={14} aria-hidden /> Retry
        </button>
      )}
    </div>
  );
}
