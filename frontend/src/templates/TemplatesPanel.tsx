import { useEffect, useRef, useState, type ChangeEvent } from "react";
import { LayoutTemplate, Search, Upload, X } from "lucide-react";
import { SEARCH_MAX } from "./api";
import { readImportFile } from "./importFile";
import { importTemplate } from "./templateActions";
import { TemplateItem } from "./TemplateItem";
import { templatesStore, useTemplates } from "./templatesStore";
import "./templates.css";

/** Typing in the search waits this long before the list is asked for again. */
export const SEARCH_DEBOUNCE_MS = 250;

function ImportButton() {
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const onPick = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    // Cleared so picking the same file again (after fixing it) fires a change.
    event.target.value = "";
    if (file === undefined) return;
    setBusy(true);
    setError(null);
    const read = await readImportFile(file);
    const result = read.ok ? await importTemplate(read.json) : read;
    setBusy(false);
    if (!result.ok) setError(result.message);
  };

  return (
    <>
      <button type="button" className="button-secondary rail-button" data-testid="template-import" disabled={busy} onClick={() => input.current?.click()}>
        <Upload size={14} aria-hidden /> {busy ? "Importing…" : "Import"}
      </button>
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        hidden
        data-testid="template-import-input"
        aria-label="Template export file to import"
        onChange={(event) => void onPick(event)}
      />
      {error && (
        <div className="inline-error template-import-error" role="alert" data-testid="template-import-error">
          <p>
            <strong>Import refused.</strong> {error}
          </p>
          <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => setError(null)}>
            <X size={14} aria-hidden />
          </button>
        </div>
      )}
    </>
  );
}

/** Saved templates: search, import, and per template open, rename, export, history, delete. */
export function TemplatesPanel() {
  const items = useTemplates((state) => state.items);
  const loading = useTemplates((state) => state.loading);
  const error = useTemplates((state) => state.error);
  const [query, setQuery] = useState(() => templatesStore.getState().query);

  useEffect(() => {
    const timer = window.setTimeout(() => templatesStore.getState().load(query), SEARCH_DEBOUNCE_MS);
    return () => window.clearTimeout(timer);
  }, [query]);

  const searching = query.trim() !== "";
  return (
    <div className="rail-panel" data-testid="templates-panel" aria-busy={loading}>
      <div className="templates-tools">
        <label className="template-search">
          <Search size={14} aria-hidden />
          <input
            type="search"
            data-testid="template-search"
            placeholder="Search templates"
            aria-label="Search templates"
            value={query}
            maxLength={SEARCH_MAX}
            onChange={(event) => setQuery(event.target.value)}
          />
        </label>
        <ImportButton />
      </div>
      {error && (
        <p className="inline-error" role="alert">
          {error.message}
        </p>
      )}
      {!loading && !error && items.length === 0 ? (
        <p className="rail-empty" data-testid="templates-empty">
          <LayoutTemplate size={16} aria-hidden />
          {searching ? `No template matches “${query.trim()}”.` : "No templates yet. Save a chart with “Save as template” to reuse it here."}
        </p>
      ) : (
        <ul className="rail-list" aria-label="Templates">
          {items.map((template) => (
            <TemplateItem key={template.id} template={template} />
          ))}
        </ul>
      )}
    </div>
  );
}
