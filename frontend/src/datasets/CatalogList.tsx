import { Database } from "lucide-react";
import { catalogStore, useCatalog } from "./catalogStore";
import { rowsText } from "./format";
import { KindBadge } from "./KindBadge";
import { totalRows, type DatasetSummary } from "./parse";

function tablesText(dataset: DatasetSummary): string {
  const count = dataset.tables.length;
  return `${count} ${count === 1 ? "table" : "tables"}`;
}

/** The datasets there are; one click opens one's detail. */
export function CatalogList({ onOpen }: { onOpen: (name: string) => void }) {
  const items = useCatalog((state) => state.items);
  const loading = useCatalog((state) => state.loading);
  const loaded = useCatalog((state) => state.loaded);
  const error = useCatalog((state) => state.error);

  return (
    <section className="dataset-catalog" aria-labelledby="dataset-catalog-title" aria-busy={loading}>
      <h2 id="dataset-catalog-title" className="rail-heading">
        Datasets
      </h2>
      {error && (
        <div className="inline-error" role="alert" data-testid="datasets-error">
          <p>Could not list the datasets: {error.message}</p>
          <button type="button" className="button-link" onClick={() => catalogStore.getState().load()}>
            Try again
          </button>
        </div>
      )}
      {loaded && items.length === 0 ? (
        <p className="rail-empty" data-testid="datasets-empty">
          <Database size={16} aria-hidden />
          No datasets yet. Upload a file above, or connect a PostgreSQL database.
        </p>
      ) : (
        <ul className="rail-list" aria-label="Datasets">
          {items.map((dataset) => (
            <li key={dataset.name} className="rail-item" data-testid="dataset-item" data-name={dataset.name} data-kind={dataset.kind}>
              <button type="button" className="rail-item-main" aria-label={`${dataset.name}: details`} onClick={() => onOpen(dataset.name)}>
                <span className="rail-item-title" title={dataset.description || dataset.name}>
                  {dataset.name}
                </span>
                <span className="rail-item-meta">
                  <KindBadge kind={dataset.kind} />
                  {dataset.is_default && <span className="badge dataset-kind">default</span>}
                  <span>
                    {rowsText(totalRows(dataset))} · {tablesText(dataset)}
                  </span>
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
