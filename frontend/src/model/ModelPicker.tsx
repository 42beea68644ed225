import { useId } from "react";
import { Cpu } from "lucide-react";
import { useServerConfig } from "../config/configStore";
import { modelStore, useActiveModel } from "./modelStore";
import "./model.css";

/**
 * The model the next turns use, in the header: a "Model" menu when the server offers more than
 * one (GET /api/config), else just its name. Turns already answered keep theirs.
 */
export function ModelPicker() {
  const config = useServerConfig();
  const active = useActiveModel();
  const id = useId();
  if (config.status !== "ready" || active === null) return null;
  const { models } = config.config;
  return (
    <div className="model-picker" data-testid="model-picker">
      <Cpu size={14} aria-hidden />
      {models.length > 1 ? (
        <>
          <label htmlFor={id}>Model</label>
          <select
            id={id}
            data-testid="model-select"
            value={active}
            onChange={(event) => modelStore.getState().choose(event.target.value)}
          >
            {models.map((name) => (
              <option key={name} value={name}>
                {name}
              </option>
            ))}
          </select>
        </>
      ) : (
        <span data-testid="model-name" title="The model that answers">
          {active}
        </span>
      )}
    </div>
  );
}
