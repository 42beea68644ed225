import { ChevronDown, SlidersHorizontal } from "lucide-react";
import { artifactTitle } from "../artifact/title";
import { useAppStore } from "../store/appStore";
import { DataSection } from "./DataSection";
import { QuerySection } from "./QuerySection";
import { ViewSection } from "./ViewSection";
import "./sidebar.css";

/**
 * The active artifact's parameters and data: "View" (re-render only), "Query" (re-runs the
 * SQL) and "Data" (refresh, fetch time, version). Beside the chat; below it on narrow
 * screens, where it folds away behind its header.
 */
export function ParamsSidebar() {
  const record = useAppStore((state) => (state.activeArtifact === null ? null : (state.artifacts[state.activeArtifact] ?? null)));
  const messages = useAppStore((state) => state.messages);
  const open = useAppStore((state) => state.sidebarOpen);
  const setOpen = useAppStore((state) => state.setSidebarOpen);
  const question = record ? artifactTitle(record, messages) : null;

  return (
    <aside className="sidebar" data-testid="params-sidebar" data-open={open} aria-label="Chart parameters">
      <div className="sidebar-head">
        <SlidersHorizontal size={16} aria-hidden />
        <div className="sidebar-title">
          <span>Parameters</span>
          {question && (
            <span className="sidebar-question" title={question}>
              {question}
            </span>
          )}
        </div>
        <button
          type="button"
          className="sidebar-toggle"
          aria-expanded={open}
          aria-controls="sidebar-body"
          aria-label={open ? "Hide parameters" : "Show parameters"}
          onClick={() => setOpen(!open)}
        >
          <ChevronDown size={16} aria-hidden />
        </button>
      </div>
      <div className="sidebar-body" id="sidebar-body">
        {record === null ? (
          <p className="sidebar-empty" data-testid="sidebar-empty">
            Ask a question to get a chart; its parameters appear here.
          </p>
        ) : (
          <>
            <ViewSection key={`view-${record.key}`} record={record} />
            <QuerySection key={`query-${record.key}`} record={record} />
            <DataSection record={record} />
          </>
        )}
      </div>
    </aside>
  );
}
