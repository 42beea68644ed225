import { STAGES, type StageEvent } from "./events";

const LABELS = {
  thinking: "Thinking",
  query: "Querying",
  answer: "Answering",
  artifact: "Building chart",
  fixing: "Fixing the chart",
} as const;

/** Progress of a streaming turn: the four stages, the current one highlighted, and its message. */
export function StageIndicator({ stage }: { stage: StageEvent | null }) {
  const current = stage ? STAGES.indexOf(stage.stage) : 0;
  return (
    <div className="stage" data-testid="stage" role="status" aria-live="polite">
      <span className="stage-pulse" aria-hidden />
      <ol className="stage-steps">
        {STAGES.map((name, i) => (
          <li key={name} className={i < current ? "done" : i === current ? "current" : undefined}>
            {LABELS[name]}
          </li>
        ))}
      </ol>
      {stage?.message && <span className="stage-message">{stage.message}</span>}
    </div>
  );
}
