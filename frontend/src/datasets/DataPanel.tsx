import { useEffect, useState } from "react";
import { catalogStore } from "./catalogStore";
import { CatalogList } from "./CatalogList";
import { ConnectPostgres } from "./ConnectPostgres";
import { DatasetDialog } from "./DatasetDialog";
import { UploadZone } from "./UploadZone";
import "./datasets.css";

/** The rail's "Data" tab: upload a file, the dataset catalog (each opens its detail), connect PostgreSQL. */
export function DataPanel() {
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => catalogStore.getState().load(), []);

  return (
    <div className="rail-panel" data-testid="data-panel">
      <UploadZone />
      <CatalogList onOpen={setOpen} />
      <ConnectPostgres />
      {open !== null && <DatasetDialog key={open} name={open} onClose={() => setOpen(null)} />}
    </div>
  );
}
