import { useEffect, useRef, useState, type FormEvent } from "react";
import type { ErrorBody } from "../lib/errorBody";
import { formatUpdatedAt } from "../lib/time";
import { notify } from "../toast/toastStore";
import { deleteDataset, patchDataset } from "./actions";
import { datasetsApi } from "./api";
import { takenNames, useCatalog } from "./catalogStore";
import { ColumnStatsTable } from "./ColumnStatsTable";
import { DeleteConfirm } from "./DeleteConfirm";
import { descriptionPatch, initialEdits, isDeletable, isEditable, type DescriptionEdits } from "./detail";
import { KindBadge } from "./KindBadge";
import { rowsText } from "./format";
import { datasetNameProblem, NAME_MAX } from "./names";
import type { DatasetDetail, TableDetail } from "./parse";
import { PreviewTable } from "./PreviewTable";
import { DESCRIPTION_MAX } from "./review";
import "./dialogs.css";

type Loaded = { status: "loading" } | { status: "error"; error: ErrorBody } | { status: "ready"; detail: DatasetDetail };

function RenameForm({ detail, onRenamed }: { detail: DatasetDetail; onRenamed: (detail: DatasetDetail) => void }) {
  const taken = takenNames(useCatalog((state) => state.items)).filter((name) => name !== detail.name);
  const [name, setName] = useState(detail.name);
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const trimmed = name.trim();
  const problem = trimmed === detail.name ? null : datasetNameProblem(trimmed, taken);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (problem !== null || trimmed === detail.name || saving) return;
    setSaving(true);
    setError(null);
    const result = await patchDataset(detail.name, { name: trimmed });
    setSaving(false);
    if (!result.ok) {
      setError(result.error.message);
      return;
    }
    notify("success", `Renamed “${detail.name}” to “${result.detail.name}”.`);
    onRenamed(result.detail);
  };

  return (
    <form className="dataset-rename" onSubmit={(event) => void submit(event)}>
      <label className="dataset-field">
        <span>Name</span>
        <span className="dataset-rename-row">
          <input
            data-testid="dataset-rename-input"
            value={name}
            maxLength={NAME_MAX}
            spellCheck={false}
            autoComplete="off"
            disabled={saving}
            aria-invalid={problem !== null || undefined}
            aria-describedby="dataset-rename-hint"
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="button-secondary" data-testid="dataset-rename-save" disabled={saving || problem !== null || trimmed === detail.name}>
            {saving ? "Renaming…" : "Rename"}
          </button>
        </span>
        <span id="dataset-rename-hint" className={problem !== null || error !== null ? "dataset-field-error" : "dataset-note"}>
          {error ?? problem ?? "Lower-case letters, digits and _, starting with a letter."}
        </span>
      </label>
    </form>
  );
}

function DescriptionsEditor({ detail, onSaved }: { detail: DatasetDetail; onSaved: (detail: DatasetDetail) => void }) {
  const [edits, setEdits] = useState<DescriptionEdits>(() => initialEdits(detail));
  const [saving, setSaving] = useState(false);
  const [error, setError] = useState<ErrorBody | null>(null);
  const patch = descriptionPatch(detail, edits);

  const save = async () => {
    if (patch === null || saving) return;
    setSaving(true);
    setError(null);
    const result = await patchDataset(detail.name, patch);
    setSaving(false);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    notify("success", `Saved the descriptions of “${detail.name}”.`);
    setEdits(initialEdits(result.detail));
    onSaved(result.detail);
  };

  return (
    <>
      <label className="dataset-field">
        <span>Description</span>
        <textarea
          data-testid="dataset-description-input"
          rows={2}
          maxLength={DESCRIPTION_MAX}
          disabled={saving}
          value={edits.description}
          onChange={(event) => setEdits({ ...edits, description: event.target.value })}
        />
      </label>
      {detail.tables.map((table) => (
        <TableSection key={table.name} table={table} descriptions={edits.columns} disabled={saving} onDescription={(column, text) => setEdits({ ...edits, columns: { ...edits.columns, [column]: text } })} />
      ))}
      {error !== null && (
        <p className="inline-error" role="alert" data-testid="dataset-save-error">
          {error.message}
        </p>
      )}
      <div className="dataset-dialog-buttons">
        <button type="button" className="button-secondary" data-testid="dataset-save-descriptions" disabled={saving || patch === null} onClick={() => void save()}>
          {saving ? "Saving…" : "Save descriptions"}
        </button>
      </div>
    </>
  );
}

function TableSection({
  table,
  descriptions,
  disabled,
  onDescription,
}: {
  table: TableDetail;
  descriptions: Record<string, string> | null;
  disabled: boolean;
  onDescription: (column: string, text: string) => void;
}) {
  return (
    <section className="dataset-table-section" data-testid="dataset-table" data-table={table.name} aria-label={`Table ${table.name}`}>
      <h3>
        {table.name} <span className="dataset-note">{rowsText(table.row_count)} · {table.column_count} columns</span>
      </h3>
      <ColumnStatsTable table={table} descriptions={descriptions} disabled={disabled} onDescription={onDescription} />
      <PreviewTable preview={table.preview} caption={`First rows of ${table.name}`} testId="dataset-preview" />
    </section>
  );
}

function DetailBody({ detail, onChanged, onDeleted }: { detail: DatasetDetail; onChanged: (detail: DatasetDetail) => void; onDeleted: () => void }) {
  const [confirming, setConfirming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const editable = isEditable(detail);

  const remove = async () => {
    setDeleting(true);
    const gone = await deleteDataset(detail.name);
    setDeleting(false);
    if (gone) onDeleted();
    else setConfirming(false);
  };

  return (
    <>
      <header className="dataset-dialog-head">
        <h2 id="dataset-detail-title">
          {detail.name} <KindBadge kind={detail.kind} />
          {detail.is_default && <span className="badge dataset-default">default</span>}
        </h2>
        <p className="dataset-note">
          {detail.engine === "postgres" ? "PostgreSQL" : "DuckDB"}
          {detail.origin !== null && <> · from {detail.origin}</>}
          {detail.created_at !== null && <> · added {formatUpdatedAt(detail.created_at)}</>}
        </p>
      </header>
      {editable && <RenameForm key={detail.name} detail={detail} onRenamed={onChanged} />}
      {editable ? (
        <DescriptionsEditor key={detail.name} detail={detail} onSaved={onChanged} />
      ) : (
        <>
          {detail.description !== "" && <p className="dataset-description">{detail.description}</p>}
          {detail.tables.map((table) => (
            <TableSection key={table.name} table={table} descriptions={null} disabled onDescription={() => undefined} />
          ))}
        </>
      )}
      {isDeletable(detail) &&
        (confirming ? (
          <DeleteConfirm detail={detail} busy={deleting} onConfirm={() => void remove()} onCancel={() => setConfirming(false)} />
        ) : (
          <div className="dataset-dialog-buttons dataset-danger-zone">
            <button type="button" className="button-secondary dataset-delete" data-testid="dataset-delete" onClick={() => setConfirming(true)}>
              Delete dataset…
            </button>
          </div>
        ))}
    </>
  );
}

/** One dataset: schema with statistics, first rows, and for uploads rename, descriptions and delete. A modal dialog. */
export function DatasetDialog({ name, onClose }: { name: string; onClose: () => void }) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [loaded, setLoaded] = useState<Loaded>({ status: "loading" });

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  useEffect(() => {
    const abort = new AbortController();
    datasetsApi
      .get(name, abort.signal)
      .then((result) => setLoaded(result.ok ? { status: "ready", detail: result.value } : { status: "error", error: result.error }))
      .catch(() => {
        // Closed before the answer came.
      });
    return () => abort.abort();
  }, [name]);

  return (
    <dialog ref={dialog} className="dataset-dialog" data-testid="dataset-detail" aria-labelledby="dataset-detail-title" aria-busy={loaded.status === "loading"} onClose={onClose}>
      <div className="dataset-dialog-body">
        {loaded.status === "loading" && (
          <p id="dataset-detail-title" className="dataset-note">
            Loading “{name}”…
          </p>
        )}
        {loaded.status === "error" && (
          <>
            <h2 id="dataset-detail-title">{name}</h2>
            <p className="inline-error" role="alert" data-testid="dataset-detail-error">
              {loaded.error.message}
            </p>
          </>
        )}
        {loaded.status === "ready" && (
          <DetailBody detail={loaded.detail} onChanged={(detail) => setLoaded({ status: "ready", detail })} onDeleted={() => dialog.current?.close()} />
        )}
        <footer className="dataset-dialog-buttons">
          <button type="button" className="button-secondary" data-testid="dataset-detail-close" onClick={() => dialog.current?.close()}>
            Close
          </button>
        </footer>
      </div>
    </dialog>
  );
}
