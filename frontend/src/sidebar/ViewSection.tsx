import { useMemo } from "react";
import { usableSchema, viewParamValues } from "../artifact/viewParams";
import type { ArtifactRecord } from "../store/types";
import { useAppStore } from "../store/appStore";
import { ParamControl } from "./ParamControl";

/** Controls for the view parameters the component declares; changes re-render, nothing is fetched. */
export function ViewSection({ record }: { record: ArtifactRecord }) {
  const setViewParam = useAppStore((state) => state.setViewParam);
  const resetViewParams = useAppStore((state) => state.resetViewParams);
  const schema = useMemo(() => usableSchema(record.code), [record.code]);
  const values = useMemo(() => viewParamValues(schema, record.viewParams), [schema, record.viewParams]);

  return (
    <section className="sidebar-section" aria-labelledby="sidebar-view">
      <div className="sidebar-section-head">
        <h2 id="sidebar-view">View</h2>
        {schema.length > 0 && (
          <button
            type="button"
            className="button-link"
            data-testid="reset-view-params"
            disabled={Object.keys(record.viewParams).length === 0}
            onClick={() => resetViewParams(record.key)}
          >
            Reset to defaults
          </button>
        )}
      </div>
      {schema.length === 0 ? (
        <p className="sidebar-note">This chart has no view parameters.</p>
      ) : (
        schema.map((spec) => (
          <ParamControl
            key={spec.name}
            spec={spec}
            value={values[spec.name] ?? spec.default}
            onChange={(value) => setViewParam(record.key, spec.name, value)}
          />
        ))
      )}
    </section>
  );
}
