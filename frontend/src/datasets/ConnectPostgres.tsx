import { useId, useState, type FormEvent } from "react";
import { PlugZap } from "lucide-react";
import { connectSource } from "./actions";
import { takenNames, useCatalog } from "./catalogStore";
import { NAME_MAX } from "./names";
import { emptySourceForm, sourceFormProblem, type SourceForm } from "./sources";

/**
 * "Connect PostgreSQL": a name, a URL and a schema, sent to POST /api/sources. The URL (with
 * its password) lives only in this form's state; errors are shown with the password masked.
 */
export function ConnectPostgres() {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState<SourceForm>(emptySourceForm);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [tried, setTried] = useState(false);
  const taken = takenNames(useCatalog((state) => state.items));
  const id = useId();
  const problem = sourceFormProblem(form, taken);

  const close = () => {
    setOpen(false);
    setForm(emptySourceForm);
    setError(null);
    setTried(false);
  };
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setTried(true);
    if (problem !== null || busy) return;
    setBusy(true);
    setError(null);
    const result = await connectSource(form);
    setBusy(false);
    if (result.ok) close();
    else setError(result.message);
  };

  if (!open) {
    return (
      <button type="button" className="button-secondary rail-button" data-testid="source-connect-toggle" aria-expanded={false} onClick={() => setOpen(true)}>
        <PlugZap size={14} aria-hidden /> Connect PostgreSQL
      </button>
    );
  }
  return (
    <form className="source-form" data-testid="source-form" aria-labelledby={`${id}-title`} onSubmit={(event) => void submit(event)} onKeyDown={(event) => event.key === "Escape" && close()} noValidate>
      <h2 id={`${id}-title`} className="rail-heading">
        Connect PostgreSQL
      </h2>
      <label className="dataset-field">
        <span>Name</span>
        <input data-testid="source-name" value={form.name} maxLength={NAME_MAX} spellCheck={false} autoComplete="off" disabled={busy} autoFocus placeholder="flights_pg" onChange={(event) => setForm({ ...form, name: event.target.value })} />
      </label>
      <label className="dataset-field">
        <span>URL</span>
        <input
          data-testid="source-url"
          value={form.url}
          spellCheck={false}
          autoComplete="off"
          disabled={busy}
          placeholder="postgresql://reader:password@host:5432/db"
          onChange={(event) => setForm({ ...form, url: event.target.value })}
        />
      </label>
      <label className="dataset-field">
        <span>Schema</span>
        <input data-testid="source-schema" value={form.schema} spellCheck={false} autoComplete="off" disabled={busy} onChange={(event) => setForm({ ...form, schema: event.target.value })} />
      </label>
      <p className="dataset-note">Use a read-only role: Plotwise refuses a connection that can write.</p>
      {tried && problem !== null && (
        <p className="inline-error" role="alert" data-testid="source-problem">
          {problem}
        </p>
      )}
      {error !== null && (
        <p className="inline-error" role="alert" data-testid="source-error">
          {error}
        </p>
      )}
      <div className="dataset-dialog-buttons">
        <button type="button" className="button-secondary" disabled={busy} onClick={close}>
          Cancel
        </button>
        <button type="submit" className="button-primary" data-testid="source-connect" disabled={busy}>
          {busy ? "Connecting…" : "Connect"}
        </button>
      </div>
    </form>
  );
}
