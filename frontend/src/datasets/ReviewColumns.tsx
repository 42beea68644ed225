import { TriangleAlert } from "lucide-react";
import { cellText } from "./format";
import type { DraftColumn } from "./parse";
import { columnNotes, DESCRIPTION_MAX, typeOptions, type ReviewForm } from "./review";

interface ReviewColumnsProps {
  columns: DraftColumn[];
  form: ReviewForm;
  disabled: boolean;
  onType: (column: string, type: string) => void;
  onDescription: (column: string, text: string) => void;
}

/** The inferred columns: name (with notes), a type to keep or change, missing values, examples, a description. */
export function ReviewColumns({ columns, form, disabled, onType, onDescription }: ReviewColumnsProps) {
  return (
    <div className="dataset-table-scroll" tabIndex={0} role="region" aria-label="Inferred columns">
      <table className="dataset-table dataset-review-columns" data-testid="dataset-review-columns">
        <caption>Columns as read: check the types before adding the dataset</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">Missing</th>
            <th scope="col">Examples</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => {
            const notes = columnNotes(column);
            const chosen = form.types[column.name] ?? column.type;
            return (
              <tr key={column.name} data-testid="dataset-review-column" data-column={column.name}>
                <th scope="row">
                  <div className="dataset-column-head">
                    <span className="dataset-column-name">{column.name}</span>
                    {column.role !== "" && <span className="dataset-role">{column.role}</span>}
                    {notes.map((note) =>
                      note.kind === "formula" ? (
                        <span key={note.kind} className="dataset-warning" data-testid="dataset-formula-warning">
                          <TriangleAlert size={12} aria-hidden /> {note.text}
                        </span>
                      ) : (
                        <span key={note.kind} className="dataset-note" data-testid="dataset-thousands-note">
                          {note.text}
                        </span>
                      ),
                    )}
                  </div>
                </th>
                <td>
                  <select
                    aria-label={`Type of ${column.name}`}
                    data-testid="dataset-column-type"
                    data-column={column.name}
                    data-changed={chosen !== column.type || undefined}
                    value={chosen}
                    disabled={disabled}
                    onChange={(event) => onType(column.name, event.target.value)}
                  >
                    {typeOptions(column.type).map((type) => (
                      <option key={type} value={type}>
                        {type === column.type ? `${type} (inferred)` : type}
                      </option>
                    ))}
                  </select>
                </td>
                <td className="dataset-number" data-testid="dataset-column-nulls">
                  {column.null_count.toLocaleString()}
                </td>
                <td>
                  <div className="dataset-examples">
                    {column.examples.map((example, i) => (
                      <code key={i}>{example === null ? "null" : cellText(example)}</code>
                    ))}
                  </div>
                </td>
                <td>
                  <input
                    aria-label={`Description of ${column.name}`}
                    data-testid="dataset-column-description"
                    data-column={column.name}
                    value={form.descriptions[column.name] ?? ""}
                    maxLength={DESCRIPTION_MAX}
                    disabled={disabled}
                    placeholder="What it means (optional)"
                    onChange={(event) => onDescription(column.name, event.target.value)}
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
