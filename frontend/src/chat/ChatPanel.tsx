import { useEffect, useRef } from "react";
import { DatasetPicker } from "../datasets/DatasetPicker";
import { useAppStore } from "../store/appStore";
import { isStreaming } from "./chatState";
import { Composer } from "./Composer";
import { EmptyState } from "./EmptyState";
import { MessageView } from "./MessageView";
import { retryQuestion } from "./retry";
import "./chat.css";

// Follow new content only when the reader is already near the bottom.
const STICKY_PX = 120;

/** The chat: message list (or the empty state) above the composer. */
export function ChatPanel() {
  const messages = useAppStore((state) => state.messages);
  const send = useAppStore((state) => state.send);
  const stop = useAppStore((state) => state.stop);
  const streaming = isStreaming(messages);
  const scroller = useRef<HTMLDivElement>(null);
  const column = useRef<HTMLDivElement>(null);
  const stick = useRef(true);

  const onSend = (text: string) => {
    stick.current = true;
    send(text);
  };

  const onScroll = () => {
    const el = scroller.current;
    if (el) stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < STICKY_PX;
  };

  // A new entry (a turn, an opened template, a reopened conversation) is followed even when
  // the reader had scrolled up; within a turn, scrolling up still stops the following.
  const lastId = messages.at(-1)?.id;
  useEffect(() => {
    stick.current = true;
  }, [lastId]);

  useEffect(() => {
    const el = scroller.current;
    if (el && stick.current) el.scrollTop = el.scrollHeight;
  }, [messages]);

  // Charts grow after they render (and restored ones after a reload): keep following them.
  useEffect(() => {
    const el = scroller.current;
    const content = column.current;
    if (!el || !content) return;
    const observer = new ResizeObserver(() => {
      if (stick.current) el.scrollTop = el.scrollHeight;
    });
    observer.observe(content);
    return () => observer.disconnect();
  }, []);

  return (
    <main className="chat">
      <div className="chat-scroll" ref={scroller} onScroll={onScroll}>
        <div className="chat-column" ref={column}>
          {messages.length === 0 ? (
            <EmptyState onPick={onSend} />
          ) : (
            messages.map((message, index) => {
              const question = streaming ? null : retryQuestion(messages, index);
              const onRetry = question === null ? undefined : () => onSend(question);
              return <MessageView key={message.id} message={message} onRetry={onRetry} />;
            })
          )}
        </div>
      </div>
      <div className="chat-composer">
        <div className="chat-column">
          <DatasetPicker streaming={streaming} />
          <Composer streaming={streaming} onSend={onSend} onStop={stop} />
        </div>
      </div>
    </main>
  );
}
