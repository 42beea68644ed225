import { useCallback, useEffect, useState } from "react";
import type { ErrorBody } from "../chat/events";
import { formatUpdatedAt } from "../lib/time";
import { templatesApi } from "./api";
import type { Template, TemplateVersion } from "./parse";
import { restoreVersion } from "./templateActions";

/** A template's versions, newest first; an older one can be restored as a new version. */
export function TemplateHistory({ template }: { template: Template }) {
  const [versions, setVersions] = useState<TemplateVersion[] | null>(null);
  const [error, setError] = useState<ErrorBody | null>(null);
  const [restoring, setRestoring] = useState<number | null>(null);

  const load = useCallback(() => {
    let live = true;
    templatesApi.versions(template.id).then((result) => {
      if (!live) return;
      if (result.ok) setVersions(result.value);
      else setError(result.error);
    });
    return () => {
      live = false;
    };
  }, [template.id]);

  // Again when the template changes version (a restore, a rename, a save).
  useEffect(load, [load, template.version]);

  const restore = async (version: number) => {
    setRestoring(version);
    await restoreVersion(template, version);
    setRestoring(null);
  };

  if (error) {
    return (
      <p className="inline-error" role="alert">
        {error.message}
      </p>
    );
  }
  if (versions === null) return <p className="template-history-note">Loading versions…</p>;
  return (
    <ol className="template-history" data-testid="template-history" aria-label={`Versions of ${template.name}`}>
      {versions.map((entry) => {
        const current = entry.version === template.version;
        return (
          <li key={entry.version} data-testid="template-version" data-version={entry.version}>
            <span className="template-history-version">v{entry.version}</span>
            <span className="template-history-name" title={entry.name}>
              {entry.name}
            </span>
            <span className="template-history-date">{formatUpdatedAt(entry.created_at)}</span>
            {current ? (
              <span className="template-history-current">current</span>
            ) : (
              <button
                type="button"
                className="button-link"
                data-testid="template-restore"
                disabled={restoring !== null}
                onClick={() => void restore(entry.version)}
              >
                {restoring === entry.version ? "Restoring…" : "Restore"}
              </button>
            )}
          </li>
        );
      })}
    </ol>
  );
}
