import { useMemo } from "react";
import { defaultQueryParams } from "../query/api";
import type { ArtifactRecord } from "../store/types";
import { useAppStore } from "../store/appStore";
import { querySpecToControl } from "./controls";
import { ParamControl } from "./ParamControl";

/** Typing waits this long before the SQL re-runs; selects and dates re-run at once. */
export const QUERY_DEBOUNCE_MS = 400;

/** Controls for the query's declared parameters; a change re-runs the SQL on the server. */
export function QuerySection({ record }: { record: ArtifactRecord }) {
  const setQueryParam = useAppStore((state) => state.setQueryParam);
  const resetQueryParams = useAppStore((state) => state.resetQueryParams);
  const controls = useMemo(() => record.paramSpecs.map(querySpecToControl), [record.paramSpecs]);
  const live = record.artifactId !== null;
  const atDefaults = useMemo(() => {
    const defaults = defaultQueryParams(record.paramSpecs);
    return Object.entries(defaults).every(([name, value]) => (record.queryParams[name] ?? value) === value);
  }, [record.paramSpecs, record.queryParams]);

  return (
    <section className="sidebar-section" aria-labelledby="sidebar-query" aria-busy={record.loading === "query"}>
      <div className="sidebar-section-head">
        <h2 id="sidebar-query">Query</h2>
        {controls.length > 0 && live && (
          <button
            type="button"
            className="button-link"
            data-testid="reset-query-params"
            disabled={atDefaults}
            onClick={() => resetQueryParams(record.key)}
          >
            Reset to defaults
          </button>
        )}
      </div>
      {controls.length === 0 ? (
        <p className="sidebar-note">This chart's query has no parameters.</p>
      ) : (
        <fieldset className="sidebar-fields" disabled={!live}>
          {controls.map((spec) => (
            <ParamControl
              key={spec.name}
              spec={spec}
              value={record.queryParams[spec.name] ?? spec.default}
              onChange={(value) => setQueryParam(record.key, spec.name, value)}
              debounceMs={QUERY_DEBOUNCE_MS}
            />
          ))}
        </fieldset>
      )}
      {record.loading === "query" && (
        <p className="sidebar-status" role="status" data-testid="query-loading">
          Updating data…
        </p>
      )}
    </section>
  );
}
