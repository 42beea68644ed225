import { useEffect, useId, useRef, useState, type FormEvent, type SyntheticEvent } from "react";
import { TriangleAlert } from "lucide-react";
import type { ErrorBody } from "../lib/errorBody";
import { commitReview, discardReview } from "./actions";
import { takenNames, useCatalog } from "./catalogStore";
import { formatBytes, rowsText } from "./format";
import { NAME_MAX } from "./names";
import type { UploadDraft } from "./parse";
import { PreviewTable } from "./PreviewTable";
import { commitBody, DESCRIPTION_MAX, initialReview, reviewProblem, type ReviewForm } from "./review";
import { ReviewColumns } from "./ReviewColumns";
import "./datasets.css";
import "./dialogs.css";

interface ReviewDialogProps {
  draft: UploadDraft;
  committing: boolean;
  /** The server's refusal of the last commit. */
  error: ErrorBody | null;
}

/**
 * The review of an upload before it becomes a dataset: its name and description, each
 * column's type (to keep or change) and description, the first rows and the problems found.
 * A modal dialog; Escape or "Discard" drops the upload, "Add dataset" commits it.
 */
export function ReviewDialog({ draft, committing, error }: ReviewDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const taken = takenNames(useCatalog((state) => state.items));
  const [form, setForm] = useState<ReviewForm>(() => initialReview(draft, taken));
  const nameId = useId();
  const problem = reviewProblem(form, taken);

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null || committing) return;
    void commitReview(commitBody(form, draft));
  };
  const onCancel = (event: SyntheticEvent) => {
    // Escape: the draft is dropped (which unmounts this dialog), unless a commit is under way.
    event.preventDefault();
    if (!committing) void discardReview();
  };
  const showProblem = problem !== null;

  return (
    <dialog ref={dialog} className="dataset-dialog" data-testid="dataset-review" aria-labelledby="dataset-review-title" onCancel={onCancel}>
      <form onSubmit={submit} noValidate>
        <header className="dataset-dialog-head">
          <h2 id="dataset-review-title">Review “{draft.original_name || draft.table_name}”</h2>
          <p className="dataset-note" data-testid="dataset-review-summary">
            {draft.format.toUpperCase()} · {rowsText(draft.row_count)} · {draft.columns.length} columns · {formatBytes(draft.size_bytes)}
          </p>
        </header>
        {draft.problems.length > 0 && (
          <section className="dataset-problems" aria-labelledby="dataset-problems-title" data-testid="dataset-review-problems">
            <h3 id="dataset-problems-title">
              <TriangleAlert size={14} aria-hidden /> Check before adding
            </h3>
            <ul>
              {draft.problems.map((text, i) => (
                <li key={i}>{text}</li>
              ))}
            </ul>
          </section>
        )}
        <div className="dataset-fields">
          <label className="dataset-field">
            <span>Dataset name</span>
            <input
              id={nameId}
              data-testid="dataset-name-input"
              value={form.name}
              maxLength={NAME_MAX}
              required
              spellCheck={false}
              autoComplete="off"
              disabled={committing}
              aria-invalid={showProblem || undefined}
              aria-describedby={`${nameId}-hint`}
              onChange={(event) => setForm({ ...form, name: event.target.value })}
            />
            <span id={`${nameId}-hint`} className={showProblem ? "dataset-field-error" : "dataset-note"} data-testid="dataset-name-hint">
              {showProblem ? problem : "Lower-case letters, digits and _; also the table's name in SQL."}
            </span>
          </label>
          <label className="dataset-field">
            <span>
              Description <span className="dataset-note">(optional)</span>
            </span>
            <textarea
              data-testid="dataset-description-input"
              rows={2}
              maxLength={DESCRIPTION_MAX}
              disabled={committing}
              placeholder="What the data is about; the model reads it"
              value={form.description}
              onChange={(event) => setForm({ ...form, description: event.target.value })}
            />
          </label>
        </div>
        <ReviewColumns
          columns={draft.columns}
          form={form}
          disabled={committing}
          onType={(column, type) => setForm({ ...form, types: { ...form.types, [column]: type } })}
          onDescription={(column, text) => setForm({ ...form, descriptions: { ...form.descriptions, [column]: text } })}
        />
        <PreviewTable preview={draft.preview} caption="First rows" testId="dataset-review-preview" />
        {error !== null && (
          <p className="inline-error" role="alert" data-testid="dataset-review-error" data-code={error.code}>
            {error.message}
          </p>
        )}
        <footer className="dataset-dialog-buttons">
          <button type="button" className="button-secondary" data-testid="dataset-discard" disabled={committing} onClick={() => void discardReview()}>
            Discard
          </button>
          <button type="submit" className="button-primary" data-testid="dataset-commit" disabled={committing || problem !== null}>
            {committing ? "Adding…" : "Add dataset"}
          </button>
        </footer>
      </form>
    </dialog>
  );
}
