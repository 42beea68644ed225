import { useEffect, useId, useRef, useState, type FormEvent, type SyntheticEvent } from "react";
import { KeyRound } from "lucide-react";
import { useStore } from "zustand";
import { apiTokenGate, type TokenGate } from "./tokenGate";
import "./auth.css";

interface TokenDialogProps {
  /** The gate to answer (the app's own by default). */
  gate?: TokenGate;
}

/** The token dialog while an API call waits for a token; nothing otherwise. */
export function TokenDialog({ gate = apiTokenGate }: TokenDialogProps) {
  const { open, rejected } = useStore(gate.prompt);
  return open ? <TokenForm rejected={rejected} onSubmit={gate.submit} onCancel={gate.cancel} /> : null;
}

interface TokenFormProps {
  /** The server refused the last token given. */
  rejected: boolean;
  onSubmit: (token: string) => void;
  onCancel: () => void;
}

/**
 * A modal dialog asking for the server's API token: the field has the focus, Enter sends it,
 * Escape or "Cancel" closes the dialog (the waiting calls then show their error).
 */
export function TokenForm({ rejected, onSubmit, onCancel }: TokenFormProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [value, setValue] = useState("");
  const fieldId = useId();
  const errorId = useId();

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim() !== "") onSubmit(value);
  };
  const cancel = (event: SyntheticEvent) => {
    event.preventDefault();
    onCancel();
  };

  return (
    <dialog ref={dialog} className="token-dialog" aria-labelledby={`${fieldId}-title`} onCancel={cancel} data-testid="token-dialog">
      <form onSubmit={submit}>
        <h2 id={`${fieldId}-title`}>
          <KeyRound size={16} aria-hidden /> API token
        </h2>
        <p>This server needs its API token (PLOTWISE_API_TOKEN). It is kept for this tab only.</p>
        <label htmlFor={fieldId}>Token</label>
        <input
          id={fieldId}
          type="password"
          autoComplete="off"
          autoFocus
          required
          value={value}
          aria-invalid={rejected}
          aria-describedby={rejected ? errorId : undefined}
          onChange={(event) => setValue(event.target.value)}
          data-testid="token-input"
        />
        {rejected && (
          <p id={errorId} className="token-error" role="alert" data-testid="token-error">
            The server refused that token. Check it and try again.
          </p>
        )}
        <footer>
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button type="submit" className="token-submit" disabled={value.trim() === ""} data-testid="token-submit">
            Use token
          </button>
        </footer>
      </form>
    </dialog>
  );
}
