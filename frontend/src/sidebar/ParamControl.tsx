import { useEffect, useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { isDateRange, isIsoDate, type ParamSpec } from "../artifact/paramSpec";
import type { JsonValue } from "../lib/json";
import { inputText, labelOf, longHex, parseNumberInput } from "./controls";

interface ParamControlProps {
  spec: ParamSpec;
  value: JsonValue;
  onChange: (value: JsonValue) => void;
  /** Typed text and numbers wait this long before they are committed (0: at once). */
  debounceMs?: number;
}

type TypedSpec = Extract<ParamSpec, { type: "text" | "number" }>;

/** A text or number box: keeps what is typed, commits it after a pause, on Enter or on blur. */
function TypedInput({ spec, value, onChange, debounceMs = 0, id }: ParamControlProps & { spec: TypedSpec; id: string }) {
  const [draft, setDraft] = useState(inputText(value));
  const timer = useRef<number | undefined>(undefined);

  // A value set from outside (a reset, a server answer) replaces the draft.
  useEffect(() => setDraft(inputText(value)), [value]);
  useEffect(() => () => window.clearTimeout(timer.current), []);

  // While typing, a number outside the bounds waits (it may be the start of one inside);
  // Enter or leaving the box ("final") pulls it within bounds and commits it.
  const commit = (text: string, final: boolean) => {
    window.clearTimeout(timer.current);
    if (spec.type === "text") {
      if (text !== value) onChange(text);
      return;
    }
    const number = parseNumberInput(text, spec.min, spec.max);
    if (number === null || (!final && String(number) !== String(Number(text)))) return;
    if (final && String(number) !== text) setDraft(String(number));
    if (number !== value) onChange(number);
  };
  const onInput = (text: string) => {
    setDraft(text);
    window.clearTimeout(timer.current);
    if (debounceMs <= 0) commit(text, false);
    else timer.current = window.setTimeout(() => commit(text, false), debounceMs);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") commit(draft, true);
  };

  return (
    <input
      id={id}
      data-testid={`param-${spec.name}`}
      type={spec.type === "number" ? "number" : "text"}
      min={spec.type === "number" ? (spec.min ?? undefined) : undefined}
      max={spec.type === "number" ? (spec.max ?? undefined) : undefined}
      step={spec.type === "number" ? (spec.step ?? "any") : undefined}
      value={draft}
      onChange={(event) => onInput(event.target.value)}
      onBlur={() => commit(draft, true)}
      onKeyDown={onKeyDown}
    />
  );
}

function DateRange({ spec, value, onChange, labelId }: ParamControlProps & { labelId: string }) {
  const id = useId();
  const [start, end] = isDateRange(value) ? value : spec.type === "daterange" ? spec.default : ["", ""];
  // Keep start ≤ end: moving one past the other moves both.
  const setStart = (day: string) => isIsoDate(day) && onChange([day, day > end ? day : end]);
  const setEnd = (day: string) => isIsoDate(day) && onChange([day < start ? day : start, day]);
  return (
    <div className="param-range" role="group" aria-labelledby={labelId} data-testid={`param-${spec.name}`}>
      <label htmlFor={`${id}-start`}>From</label>
      <input id={`${id}-start`} type="date" data-testid={`param-${spec.name}-start`} value={start} onChange={(e) => setStart(e.target.value)} />
      <label htmlFor={`${id}-end`}>To</label>
      <input id={`${id}-end`} type="date" data-testid={`param-${spec.name}-end`} value={end} onChange={(e) => setEnd(e.target.value)} />
    </div>
  );
}

/** One parameter's control with its label; the input itself carries data-testid="param-<name>". */
export function ParamControl(props: ParamControlProps) {
  const { spec, value, onChange } = props;
  const id = useId();
  const testId = `param-${spec.name}`;
  const label = labelOf(spec);

  switch (spec.type) {
    case "boolean":
      return (
        <div className="param param-boolean">
          <input id={id} type="checkbox" data-testid={testId} checked={value === true} onChange={(e) => onChange(e.target.checked)} />
          <label htmlFor={id}>{label}</label>
        </div>
      );
    case "daterange":
      return (
        <div className="param">
          <span className="param-label" id={`${id}-label`}>
            {label}
          </span>
          <DateRange {...props} labelId={`${id}-label`} />
        </div>
      );
    default:
      break;
  }

  let control: ReactNode;
  if (spec.type === "select") {
    const current = (typeof value === "string" || typeof value === "number") && spec.options.includes(value) ? value : spec.default;
    // The DOM holds strings: map the choice back to the option, so numbers stay numbers.
    control = (
      <select
        id={id}
        data-testid={testId}
        value={String(current)}
        onChange={(e) => onChange(spec.options.find((option) => String(option) === e.target.value) ?? spec.default)}
      >
        {spec.options.map((option) => (
          <option key={`${typeof option}:${option}`} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else if (spec.type === "color") {
    const color = typeof value === "string" ? longHex(value) : longHex(spec.default);
    control = (
      <span className="param-color">
        <input id={id} type="color" data-testid={testId} value={color} onChange={(e) => onChange(e.target.value)} />
        <code>{color}</code>
      </span>
    );
  } else if (spec.type === "date") {
    control = <input id={id} type="date" data-testid={testId} value={inputText(value)} onChange={(e) => isIsoDate(e.target.value) && onChange(e.target.value)} />;
  } else {
    control = <TypedInput {...props} spec={spec} id={id} />;
  }
  return (
    <div className="param">
      <label className="param-label" htmlFor={id}>
        {label}
      </label>
      {control}
    </div>
  );
}
