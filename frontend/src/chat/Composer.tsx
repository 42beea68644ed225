import { useEffect, useRef, useState, type FormEvent, type KeyboardEvent } from "react";
import { ArrowUp, Square } from "lucide-react";
import "./composer.css";

interface ComposerProps {
  streaming: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
}

/** The message box: Enter sends, Shift+Enter adds a line; while a turn streams, Stop aborts it. */
export function Composer({ streaming, onSend, onStop }: ComposerProps) {
  const [text, setText] = useState("");
  const input = useRef<HTMLTextAreaElement>(null);

  // Give the focus back once a turn ends (the box is disabled while it streams).
  useEffect(() => {
    if (!streaming) input.current?.focus();
  }, [streaming]);

  const submit = () => {
    if (streaming || !text.trim()) return;
    onSend(text);
    setText("");
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    submit();
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // isComposing: Enter that confirms an IME candidate must not send.
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };

  return (
    <form className="composer" onSubmit={onSubmit}>
      <textarea
        ref={input}
        data-testid="chat-input"
        aria-label="Ask a question about the data"
        placeholder={streaming ? "Answering…" : "Ask a question about the data"}
        rows={1}
        value={text}
        disabled={streaming}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={onKeyDown}
      />
      {streaming ? (
        <button type="button" className="composer-button composer-stop" data-testid="chat-stop" onClick={onStop} aria-label="Stop">
          <Square size={14} fill="currentColor" aria-hidden /> Stop
        </button>
      ) : null}
      <button
        type="submit"
        className="composer-button"
        data-testid="chat-send"
        disabled={streaming || !text.trim()}
        aria-label="Send"
      >
        <ArrowUp size={16} aria-hidden /> Send
      </button>
    </form>
  );
}
