import { useEffect, useRef } from "react";
import { Composer } from "./Composer";
import { EmptyState } from "./EmptyState";
import { MessageView } from "./MessageView";
import { useChat } from "./useChat";
import "./chat.css";

// Follow new content only when the reader is already near the bottom.
const STICKY_PX = 120;

/** The chat: message list (or the empty state) above the composer. */
export function ChatPanel() {
  const { state, streaming, send, stop } = useChat();
  const scroller = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const onSend = (text: string) => {
    stick.current = true;
    send(text);
  };

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
  };

  useEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [state.messages]);

  return (
    <main className="chat">
      <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
        <div className="chat-column">
          {state.messages.length === 0 ? (
            <EmptyState onPick={onSend} />
          ) : (
            state.messages.map((message) => <MessageView key={message.id} message={message} />)
          )}
        </div>
      </div>
      <div className="chat-composer">
        <div className="chat-column">
          <Composer streaming={streaming} onSend={onSend} onStop={stop} />
        </div>
      </div>
    </main>
  );
}
