import { useState, type FormEvent, type KeyboardEvent } from "react";
import { Check, FileCode, FileJson, FolderOpen, History, Pencil, X } from "lucide-react";
import { formatUpdatedAt } from "../lib/time";
import { ConfirmDelete } from "../ui/ConfirmDelete";
import { NAME_MAX } from "./api";
import type { Template } from "./parse";
import { deleteTemplate, downloadTemplateHtml, exportTemplate, openTemplate, renameTemplate } from "./templateActions";
import { TemplateHistory } from "./TemplateHistory";

function RenameForm({ template, onDone }: { template: Template; onDone: () => void }) {
  const [name, setName] = useState(template.name);
  const [saving, setSaving] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setSaving(true);
    const saved = await renameTemplate(template, name);
    setSaving(false);
    if (saved) onDone();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === "Escape") onDone();
  };
  return (
    <form className="template-rename" onSubmit={(event) => void submit(event)} onKeyDown={onKeyDown}>
      <input
        data-testid="template-rename-input"
        aria-label={`New name for ${template.name}`}
        value={name}
        maxLength={NAME_MAX}
        disabled={saving}
        autoFocus
        onChange={(event) => setName(event.target.value)}
      />
      <button type="submit" className="icon-button" data-testid="template-rename-save" aria-label="Save the name" disabled={saving || name.trim() === ""}>
        <Check size={14} aria-hidden />
      </button>
      <button type="button" className="icon-button" aria-label="Cancel renaming" onClick={onDone}>
        <X size={14} aria-hidden />
      </button>
    </form>
  );
}

/** One template: name, description, version and update time, with its actions. */
export function TemplateItem({ template }: { template: Template }) {
  const [renaming, setRenaming] = useState(false);
  const [history, setHistory] = useState(false);
  const [busy, setBusy] = useState(false);
  const run = async (action: (t: Template) => Promise<boolean>) => {
    setBusy(true);
    await action(template);
    setBusy(false);
  };

  return (
    <li className="rail-item template-item" data-testid="template-item" data-id={template.id} data-version={template.version}>
      {renaming ? (
        <RenameForm template={template} onDone={() => setRenaming(false)} />
      ) : (
        <span className="rail-item-title" data-testid="template-name-label" title={template.name}>
          {template.name}
        </span>
      )}
      {template.description && <p className="template-description">{template.description}</p>}
      <span className="rail-item-meta">
        <span data-testid="template-version-label">v{template.version}</span> · updated {formatUpdatedAt(template.updated_at)}
      </span>
      <div className="template-actions">
        <button type="button" className="template-open" data-testid="template-open" disabled={busy} onClick={() => void run(openTemplate)}>
          <FolderOpen size={14} aria-hidden /> Open
        </button>
        <button type="button" className="icon-button" data-testid="template-rename" aria-label={`Rename ${template.name}`} title="Rename" onClick={() => setRenaming(true)}>
          <Pencil size={14} aria-hidden />
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="template-history-toggle"
          aria-label={`Version history of ${template.name}`}
          aria-expanded={history}
          title="History"
          onClick={() => setHistory(!history)}
        >
          <History size={14} aria-hidden />
        </button>
        <button type="button" className="icon-button" data-testid="template-export" aria-label={`Export ${template.name} as JSON`} title="Export (JSON)" disabled={busy} onClick={() => void run(exportTemplate)}>
          <FileJson size={14} aria-hidden />
        </button>
        <button
          type="button"
          className="icon-button"
          data-testid="template-download-html"
          aria-label={`Download ${template.name} as an HTML page`}
          title="Download HTML"
          disabled={busy}
          onClick={() => void run(downloadTemplateHtml)}
        >
          <FileCode size={14} aria-hidden />
        </button>
        <ConfirmDelete what={`template “${template.name}”`} testId="template-delete" disabled={busy} onConfirm={() => void run(deleteTemplate)} />
      </div>
      {history && <TemplateHistory template={template} />}
    </li>
  );
}
