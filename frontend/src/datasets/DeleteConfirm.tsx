import { useEffect, useId, useRef } from "react";
import { dependentsText } from "./detail";
import type { DatasetDetail } from "./parse";

interface DeleteConfirmProps {
  detail: DatasetDetail;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/**
 * The delete confirmation, in place of the detail's buttons: it names the templates that use
 * the dataset. Focus starts on Cancel (the safe choice); Escape cancels.
 */
export function DeleteConfirm({ detail, busy, onConfirm, onCancel }: DeleteConfirmProps) {
  const cancel = useRef<HTMLButtonElement>(null);
  const id = useId();
  useEffect(() => cancel.current?.focus(), []);
  return (
    <div
      className="dataset-delete-confirm"
      role="alertdialog"
      aria-labelledby={`${id}-title`}
      aria-describedby={`${id}-text`}
      data-testid="dataset-delete-dialog"
      onKeyDown={(event) => {
        if (event.key !== "Escape") return;
        // Only this step closes, not the whole detail.
        event.preventDefault();
        event.stopPropagation();
        onCancel();
      }}
    >
      <p id={`${id}-title`}>
        <strong>Delete dataset “{detail.name}”?</strong>
      </p>
      <p id={`${id}-text`} data-testid="dataset-delete-templates">
        {detail.kind === "postgres" ? "The connection is removed; the database itself is not touched. " : "Its stored file is removed. "}
        {dependentsText(detail)}
      </p>
      <div className="dataset-dialog-buttons">
        <button ref={cancel} type="button" className="button-secondary" disabled={busy} onClick={onCancel}>
          Cancel
        </button>
        <button type="button" className="button-danger" data-testid="dataset-delete-confirm" disabled={busy} onClick={onConfirm}>
          {busy ? "Deleting…" : "Delete dataset"}
        </button>
      </div>
    </div>
  );
}
