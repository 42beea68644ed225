import { useCallback, useEffect, useReducer, useRef } from "react";
import { chatReducer, initialChatState, isStreaming, type ChatState } from "./chatState";
import { clientErrorBody, streamChat } from "./sse";
import type { ChatEvent } from "./events";

export interface Chat {
  state: ChatState;
  streaming: boolean;
  /** Starts a turn; ignored while another turn streams or when `text` is blank. */
  send: (text: string) => void;
  /** Aborts the turn in flight (the server then cancels the run). */
  stop: () => void;
}

let nextId = 0;
// A counter, not crypto.randomUUID: that one is missing outside secure contexts (plain http).
function newId(prefix: string): string {
  nextId += 1;
  return `${prefix}-${nextId}`;
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === "AbortError";
}

/** Chat state plus the actions that drive it; one turn at a time. */
export function useChat(stream: typeof streamChat = streamChat): Chat {
  const [state, dispatch] = useReducer(chatReducer, initialChatState);
  const controller = useRef<AbortController | null>(null);
  // Refs, so `send` stays stable yet reads the latest values.
  const conversationId = useRef<string | null>(null);
  const busy = useRef(false);

  useEffect(() => () => controller.current?.abort(), []);

  const send = useCallback(
    (text: string) => {
      const message = text.trim();
      if (!message || busy.current) return;
      const assistantId = newId("assistant");
      const abort = new AbortController();
      controller.current = abort;
      busy.current = true;
      let ended = false;
      dispatch({ type: "send", userId: newId("user"), assistantId, text: message });

      const onEvent = (event: ChatEvent) => {
        if (event.type === "meta") conversationId.current = event.conversation_id;
        if (event.type === "done" || event.type === "error") ended = true;
        dispatch({ type: "event", id: assistantId, event });
      };
      const request = conversationId.current === null ? { message } : { message, conversation_id: conversationId.current };

      stream(request, onEvent, abort.signal)
        .then(() => {
          if (!ended) dispatch({ type: "ended", id: assistantId, error: null });
        })
        .catch((error: unknown) => {
          if (isAbort(error)) {
            dispatch({ type: "stopped", id: assistantId });
            return;
          }
          const detail = error instanceof Error ? error.message : String(error);
          const body = clientErrorBody("network_error", `Could not reach the server: ${detail}`);
          dispatch({ type: "ended", id: assistantId, error: body });
        })
        .finally(() => {
          busy.current = false;
          if (controller.current === abort) controller.current = null;
        });
    },
    [stream],
  );

  const stop = useCallback(() => controller.current?.abort(), []);

  return { state, streaming: isStreaming(state), send, stop };
}
