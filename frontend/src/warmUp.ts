import { validateComponent } from "./artifact/validation";

/** A small component on the parser's common paths: an import, a typed prop, a hook, JSX. */
const SAMPLE = `import { useMemo } from "react";
export default function Sample({ data }: { data: { x: number }[] }) {
  const total = useMemo(() => data.reduce((sum, row) => sum + row.x, 0), [data]);
  return <p className="total">{total}</p>;
}
`;

/** Longest wait for an idle moment before warming up anyway, in ms. */
const IDLE_TIMEOUT_MS = 3000;

/**
 * Pays the page's one-time costs while it is idle after start-up, not when the first answer
 * arrives: the first Babel parse compiles the validator's parser, and the first number
 * formatted loads ICU's data (each 15-25 ms of the main thread in Chromium 156, profiled on
 * the 2-core test machine). Otherwise both land in the task that renders the first chart and
 * its tool call's row count.
 */
export function warmUpWhenIdle(): void {
  const warm = () => {
    validateComponent(SAMPLE);
    (1234.5).toLocaleString();
  };
  if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(warm, { timeout: IDLE_TIMEOUT_MS });
  else window.setTimeout(warm, 0);
}
