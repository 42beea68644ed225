import type { Preview } from "./parse";
import { cellText } from "./format";

/** Rows shown at most (the server sends the first 20). */
export const PREVIEW_ROWS = 20;

/** First rows of a table or an upload; missing values read "null", dimmed. */
export function PreviewTable({ preview, caption, testId }: { preview: Preview; caption: string; testId: string }) {
  const rows = preview.rows.slice(0, PREVIEW_ROWS);
  if (preview.columns.length === 0 || rows.length === 0) {
    return <p className="dataset-note">No rows to preview.</p>;
  }
  return (
    <div className="dataset-table-scroll" tabIndex={0} role="region" aria-label={caption}>
      <table className="dataset-table dataset-preview" data-testid={testId}>
        <caption>{caption}</caption>
        <thead>
          <tr>
            {preview.columns.map((name, i) => (
              <th key={`${i}-${name}`} scope="col">
                {name}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, r) => (
            <tr key={r}>
              {preview.columns.map((name, i) => {
                const value = row[i] ?? null;
                return <td key={`${i}-${name}`}>{value === null ? <span className="dataset-null">null</span> : cellText(value)}</td>;
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
