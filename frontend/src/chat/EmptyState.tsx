import { ChartColumn } from "lucide-react";
import "./empty-state.css";

/** Questions offered on an empty chat; each one is sent as is when clicked. */
export const EXAMPLE_QUESTIONS = [
  "Number of flights by carrier",
  "Monthly number of flights",
  "Average departure delay by carrier",
  "Top 10 destinations from JFK",
] as const;

/** The empty chat: what Plotwise does and a few questions to start with. */
export function EmptyState({ onPick }: { onPick: (question: string) => void }) {
  return (
    <div className="empty-state">
      <div className="empty-state-icon" aria-hidden>
        <ChartColumn size={28} />
      </div>
      <h1>Ask your data a question</h1>
      <p>Plotwise writes the SQL, runs it, and draws the answer as a chart you can inspect.</p>
      <ul className="examples">
        {EXAMPLE_QUESTIONS.map((question) => (
          <li key={question}>
            <button type="button" data-testid="example-question" onClick={() => onPick(question)}>
              {question}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
