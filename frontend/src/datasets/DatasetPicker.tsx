import { useEffect, useId, useRef, useState, type KeyboardEvent } from "react";
import { ChevronDown, Database } from "lucide-react";
import { useServerConfig } from "../config/configStore";
import { useAppStore } from "../store/appStore";
import { setActiveDatasets } from "./activeDatasets";
import { catalogStore, useCatalog } from "./catalogStore";
import type { DatasetSummary } from "./parse";
import { pickerOptions, shownSelection, toggleDataset, type PickableDataset, type PickerOption } from "./picker";
import "./datasets.css";
import "./picker.css";

/** The catalog as the picker offers it; the configuration's names while the catalog is unknown. */
function pickable(items: readonly DatasetSummary[], loaded: boolean, configNames: readonly string[]): PickableDataset[] {
  if (loaded) return items.map(({ name, engine, kind }) => ({ name, engine, kind }));
  return configNames.map((name) => ({ name, engine: "duckdb", kind: null }));
}

interface PickerViewProps {
  /** The names shown checked. */
  shown: string[];
  options: PickerOption[];
  defaultName: string;
  streaming: boolean;
  onToggle: (name: string) => void;
  /** Starts with the list open (tests render it so). */
  defaultOpen?: boolean;
}

/** The picker as drawn: chips of the active datasets, "Change", and the checkbox list when open. */
export function PickerView({ shown, options, defaultName, streaming, onToggle, defaultOpen = false }: PickerViewProps) {
  const [open, setOpen] = useState(defaultOpen);
  const toggle = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLFieldSetElement>(null);
  const id = useId();

  // A click outside closes the list, as a menu would.
  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      const target = event.target;
      if (target instanceof Node && !panel.current?.contains(target) && !toggle.current?.contains(target)) setOpen(false);
    };
    document.addEventListener("pointerdown", onPointer);
    return () => document.removeEventListener("pointerdown", onPointer);
  }, [open]);

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "Escape" || !open) return;
    event.stopPropagation();
    setOpen(false);
    toggle.current?.focus();
  };

  return (
    <div className="dataset-picker" data-testid="dataset-picker" onKeyDown={onKeyDown}>
      <Database size={14} aria-hidden />
      <span className="dataset-picker-label" id={`${id}-label`}>
        Data
      </span>
      <ul className="dataset-chips" aria-labelledby={`${id}-label`} data-testid="dataset-chips">
        {shown.length === 0 ? (
          <li className="dataset-chip" data-testid="dataset-chip" data-name={defaultName}>
            {defaultName || "default"} <span className="dataset-note">(default)</span>
          </li>
        ) : (
          shown.map((name) => (
            <li key={name} className="dataset-chip" data-testid="dataset-chip" data-name={name}>
              {name}
            </li>
          ))
        )}
      </ul>
      <button
        ref={toggle}
        type="button"
        className="button-link dataset-picker-toggle"
        data-testid="dataset-picker-toggle"
        aria-label="Change the active datasets"
        aria-expanded={open}
        aria-controls={`${id}-panel`}
        disabled={streaming}
        title={streaming ? "Wait for the answer to finish" : undefined}
        onClick={() => setOpen(!open)}
      >
        Change <ChevronDown size={12} aria-hidden />
      </button>
      {open && (
        <fieldset ref={panel} id={`${id}-panel`} className="dataset-picker-panel" data-testid="dataset-picker-panel" disabled={streaming}>
          <legend>Datasets this conversation asks about</legend>
          {options.map((option, i) => (
            <label key={option.name} className="dataset-option" data-disabled={option.disabled || undefined}>
              <input
                type="checkbox"
                data-testid="dataset-option"
                value={option.name}
                checked={option.checked}
                disabled={option.disabled}
                aria-describedby={option.hint === null ? undefined : `${id}-hint-${i}`}
                onChange={() => onToggle(option.name)}
              />
              <span className="dataset-option-name">{option.name}</span>
              {option.engine === "postgres" && <span className="badge dataset-kind">PostgreSQL</span>}
              {option.hint !== null && (
                <span id={`${id}-hint-${i}`} className="dataset-option-hint">
                  {option.hint}
                </span>
              )}
            </label>
          ))}
          {shown.length === 0 && defaultName !== "" && (
            <p className="dataset-note" data-testid="dataset-picker-default">
              None checked: the default dataset, {defaultName}, answers.
            </p>
          )}
        </fieldset>
      )}
    </div>
  );
}

/**
 * The conversation's active datasets, above the composer. DuckDB datasets combine; a
 * PostgreSQL source is asked alone (the options that would mix are disabled, with the reason).
 * Changes apply to the next turn (and the stored conversation); locked while a turn streams.
 */
export function DatasetPicker({ streaming }: { streaming: boolean }) {
  const selection = useAppStore((state) => state.datasets);
  const items = useCatalog((state) => state.items);
  const loaded = useCatalog((state) => state.loaded);
  const config = useServerConfig();

  useEffect(() => catalogStore.getState().load(), []);

  const configNames = config.status === "ready" ? config.config.datasets : [];
  const defaultName = (config.status === "ready" ? config.config.dataset : "") || (items.find((d) => d.is_default)?.name ?? "");
  const datasets = pickable(items, loaded, configNames);
  const shown = shownSelection(selection, defaultName);
  if (datasets.length === 0 && shown.length === 0) return null;
  return (
    <PickerView
      shown={shown}
      options={pickerOptions(datasets, shown)}
      defaultName={defaultName}
      streaming={streaming}
      onToggle={(name) => void setActiveDatasets(toggleDataset(shown, name, datasets))}
    />
  );
}
