import { TriangleAlert } from "lucide-react";
import type { ErrorBody } from "./events";

/** A failed turn: the server's message (which names the problem), plus a hint when retrying may help. */
export function ErrorNotice({ error }: { error: ErrorBody }) {
  return (
    <div className="chat-error" role="alert" data-testid="chat-error" data-code={error.code}>
      <TriangleAlert size={16} aria-hidden />
      <div>
        <p className="chat-error-message">{error.message}</p>
        <p className="chat-error-detail">
          {error.code}
          {error.recoverable && " · trying again may work"}
          {error.trace_id && ` · trace ${error.trace_id}`}
        </p>
      </div>
    </div>
  );
}
