import { useEffect, useRef, useState } from "react";
import { Trash2 } from "lucide-react";
import "./ui.css";

interface ConfirmDeleteProps {
  /** What is deleted, for the buttons' labels ("template “Flights by month”"). */
  what: string;
  /** Test id of the first button; the confirming one gets `-confirm` appended. */
  testId: string;
  disabled?: boolean;
  onConfirm: () => void;
}

/**
 * A delete button with a confirmation step: the first press shows "Delete" and "Cancel" in
 * its place (focus moves to Cancel, the safe choice); Escape cancels.
 */
export function ConfirmDelete({ what, testId, disabled = false, onConfirm }: ConfirmDeleteProps) {
  const [asking, setAsking] = useState(false);
  const cancel = useRef<HTMLButtonElement>(null);
  const start = useRef<HTMLButtonElement>(null);
  const wasAsking = useRef(false);

  useEffect(() => {
    if (asking) cancel.current?.focus();
    else if (wasAsking.current) start.current?.focus();
    wasAsking.current = asking;
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={start}
        type="button"
        className="icon-button icon-button-danger"
        data-testid={testId}
        aria-label={`Delete ${what}`}
        title="Delete"
        disabled={disabled}
        onClick={() => setAsking(true)}
      >
        <Trash2 size={14} aria-hidden />
      </button>
    );
  }
  return (
    <span className="confirm-delete" role="group" aria-label={`Delete ${what}?`} onKeyDown={(event) => event.key === "Escape" && setAsking(false)}>
      <button
        type="button"
        className="confirm-delete-yes"
        data-testid={`${testId}-confirm`}
        onClick={() => {
          setAsking(false);
          onConfirm();
        }}
      >
        Delete
      </button>
      <button ref={cancel} type="button" className="confirm-delete-no" onClick={() => setAsking(false)}>
        Cancel
      </button>
    </span>
  );
}
