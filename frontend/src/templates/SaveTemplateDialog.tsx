import { useEffect, useRef, useState, type FormEvent } from "react";
import { effectiveParams } from "../artifact/standalone";
import type { ErrorBody } from "../chat/events";
import type { ApiResult } from "../lib/http";
import { appStore } from "../store/appStore";
import type { ArtifactRecord } from "../store/types";
import { notify } from "../toast/toastStore";
import { DESCRIPTION_MAX, NAME_MAX, suggestedName, templatesApi } from "./api";
import { templateRef } from "./open";
import type { Template } from "./parse";
import { templatesStore } from "./templatesStore";

interface SaveTemplateDialogProps {
  record: ArtifactRecord;
  /** The artifact's artifact id on the server (the dialog is only offered for those). */
  artifactId: string;
  /** The name to start from: the question, or the template's name. */
  initialName: string;
  onClose: () => void;
}

type Saving = "new" | "version" | null;

/**
 * Saves the artifact, with its current query and view parameter values, as a new template; an
 * artifact opened from (or saved as) a template can also become that template's next version.
 * A modal dialog: focus stays inside, Escape closes it.
 */
export function SaveTemplateDialog({ record, artifactId, initialName, onClose }: SaveTemplateDialogProps) {
  const dialog = useRef<HTMLDialogElement>(null);
  const [name, setName] = useState(() => suggestedName(initialName));
  const [description, setDescription] = useState("");
  const [saving, setSaving] = useState<Saving>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const template = record.template;

  useEffect(() => {
    const element = dialog.current;
    if (element && !element.open) element.showModal();
  }, []);

  const finish = (result: ApiResult<Template>, what: (t: Template) => string) => {
    setSaving(null);
    if (!result.ok) {
      setError(result.error);
      return;
    }
    appStore.getState().setArtifactTemplate(record.key, templateRef(result.value));
    notify("success", what(result.value));
    templatesStore.getState().load();
    dialog.current?.close();
  };

  const saveNew = async (event: FormEvent) => {
    event.preventDefault();
    if (saving !== null || name.trim() === "") return;
    setSaving("new");
    setError(null);
    const params = effectiveParams(record);
    const result = await templatesApi.create({ artifactId, name, description, ...params });
    finish(result, (t) => `Saved template “${t.name}” (v${t.version}).`);
  };

  const saveVersion = async () => {
    if (saving !== null || template === null) return;
    setSaving("version");
    setError(null);
    const { queryParams, viewParams } = effectiveParams(record);
    const result = await templatesApi.patch(template.id, { query_params: queryParams, view_params: viewParams });
    finish(result, (t) => `Saved “${t.name}” as version ${t.version}.`);
  };

  return (
    <dialog ref={dialog} className="save-template" data-testid="template-dialog" aria-labelledby="save-template-title" onClose={onClose}>
      <form method="dialog" onSubmit={(event) => void saveNew(event)}>
        <h2 id="save-template-title">Save as template</h2>
        <p className="save-template-note">Keeps the question, SQL, component and the current parameter values, to open again later.</p>
        <label className="save-template-field">
          <span>Name</span>
          <input
            data-testid="template-name"
            value={name}
            required
            maxLength={NAME_MAX}
            autoFocus
            onFocus={(event) => event.target.select()}
            onChange={(event) => setName(event.target.value)}
          />
        </label>
        <label className="save-template-field">
          <span>
            Description <span className="save-template-optional">(optional)</span>
          </span>
          <textarea data-testid="template-description" rows={3} maxLength={DESCRIPTION_MAX} value={description} onChange={(event) => setDescription(event.target.value)} />
        </label>
        {error && (
          <p className="inline-error" role="alert" data-testid="template-save-error" data-code={error.code}>
            {error.message}
          </p>
        )}
        <div className="save-template-buttons">
          <button type="button" className="button-secondary" onClick={() => dialog.current?.close()}>
            Cancel
          </button>
          {template !== null && (
            <button
              type="button"
              className="button-secondary"
              data-testid="template-save-version"
              disabled={saving !== null}
              title={`Updates “${template.name}” with the current parameter values`}
              onClick={() => void saveVersion()}
            >
              {saving === "version" ? "Saving…" : `Save new version (v${template.version + 1})`}
            </button>
          )}
          <button type="submit" className="button-primary" data-testid="template-save-confirm" disabled={saving !== null || name.trim() === ""}>
            {saving === "new" ? "Saving…" : template === null ? "Save template" : "Save as new template"}
          </button>
        </div>
      </form>
    </dialog>
  );
}
