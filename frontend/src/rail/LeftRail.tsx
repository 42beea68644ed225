import { lazy, Suspense, useRef, useState, type ComponentType, type KeyboardEvent } from "react";
import { Database, LayoutTemplate, MessageSquare, SquarePen } from "lucide-react";
import { ConversationsPanel } from "../conversations/ConversationsPanel";
import { useAppStore } from "../store/appStore";
import { TemplatesPanel } from "../templates/TemplatesPanel";
import "./rail.css";

type RailTab = "chats" | "templates" | "data";

const TABS: { id: RailTab; label: string; icon: typeof MessageSquare }[] = [
  { id: "chats", label: "Chats", icon: MessageSquare },
  { id: "templates", label: "Templates", icon: LayoutTemplate },
  { id: "data", label: "Data", icon: Database },
];

// The Data tab (upload, catalog, dataset dialogs) is its own chunk, loaded when first opened.
const DataPanel = lazy(() => import("../datasets/DataPanel").then((module) => ({ default: module.DataPanel })));

const PANELS: Record<RailTab, ComponentType> = { chats: ConversationsPanel, templates: TemplatesPanel, data: DataPanel };

/**
 * The left rail: "New chat", then a tab switch between the stored conversations, the saved
 * templates and the datasets (arrow keys move between the tabs). Folds away on narrow screens.
 */
export function LeftRail({ open }: { open: boolean }) {
  const newChat = useAppStore((state) => state.newChat);
  const empty = useAppStore((state) => state.messages.length === 0 && state.conversationId === null);
  const [tab, setTab] = useState<RailTab>("chats");
  const tabs = useRef<(HTMLButtonElement | null)[]>([]);
  const Panel = PANELS[tab];

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key !== "ArrowLeft" && event.key !== "ArrowRight") return;
    event.preventDefault();
    const index = TABS.findIndex((t) => t.id === tab);
    const next = TABS[(index + (event.key === "ArrowRight" ? 1 : TABS.length - 1)) % TABS.length];
    if (next === undefined) return;
    setTab(next.id);
    tabs.current[TABS.indexOf(next)]?.focus();
  };

  return (
    <nav className="rail" data-open={open} aria-label="Conversations, templates and data">
      <button type="button" className="rail-new-chat" data-testid="new-chat" disabled={empty} onClick={newChat}>
        <SquarePen size={15} aria-hidden /> New chat
      </button>
      <div className="rail-tabs" role="tablist" aria-label="Show" onKeyDown={onKeyDown}>
        {TABS.map(({ id, label, icon: Icon }, i) => (
          <button
            key={id}
            ref={(el) => {
              tabs.current[i] = el;
            }}
            type="button"
            role="tab"
            id={`rail-tab-${id}`}
            data-testid={`rail-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`rail-panel-${id}`}
            tabIndex={tab === id ? 0 : -1}
            onClick={() => setTab(id)}
          >
            <Icon size={14} aria-hidden /> {label}
          </button>
        ))}
      </div>
      <div className="rail-body" role="tabpanel" id={`rail-panel-${tab}`} aria-labelledby={`rail-tab-${tab}`}>
        <Suspense fallback={<p className="rail-empty">Loading…</p>}>
          <Panel />
        </Suspense>
      </div>
    </nav>
  );
}
