import { cellText } from "./format";
import type { TableDetail } from "./parse";
import { DESCRIPTION_MAX } from "./review";

interface ColumnStatsTableProps {
  table: TableDetail;
  /** Column name to its edited description; null when descriptions are read-only. */
  descriptions: Record<string, string> | null;
  disabled: boolean;
  onDescription: (column: string, text: string) => void;
}

function count(value: number | null): string {
  return value === null ? "—" : value.toLocaleString();
}

/** A table's schema with statistics: type, role, missing and distinct values, range, description. */
export function ColumnStatsTable({ table, descriptions, disabled, onDescription }: ColumnStatsTableProps) {
  return (
    <div className="dataset-table-scroll" tabIndex={0} role="region" aria-label={`Columns of ${table.name}`}>
      <table className="dataset-table" data-testid="dataset-columns" data-table={table.name}>
        <caption>Columns of {table.name}</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Type</th>
            <th scope="col">Role</th>
            <th scope="col">Missing</th>
            <th scope="col">Distinct</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Description</th>
          </tr>
        </thead>
        <tbody>
          {table.columns.map((column) => (
            <tr key={column.name} data-testid="dataset-column" data-column={column.name}>
              <th scope="row">{column.name}</th>
              <td>
                <code>{column.type}</code>
              </td>
              <td>{column.role}</td>
              <td className="dataset-number">{count(column.null_count)}</td>
              <td className="dataset-number">{count(column.distinct_count)}</td>
              <td>{cellText(column.min)}</td>
              <td>{cellText(column.max)}</td>
              <td>
                {descriptions === null ? (
                  column.description
                ) : (
                  <input
                    aria-label={`Description of ${column.name}`}
                    data-testid="dataset-column-description"
                    data-column={column.name}
                    value={descriptions[column.name] ?? ""}
                    maxLength={DESCRIPTION_MAX}
                    disabled={disabled}
                    onChange={(event) => onDescription(column.name, event.target.value)}
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
