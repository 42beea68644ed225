import { ChatPanel } from "./chat/ChatPanel";
import { ClearHistoryButton } from "./chat/ClearHistoryButton";
import { ParamsSidebar } from "./sidebar/ParamsSidebar";

/** The whole app: a header, the chat, and the active chart's parameters beside it. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span className="app-name">Plotwise</span>
        <span className="app-tagline">chat with your data</span>
        <ClearHistoryButton />
      </header>
      <div className="workspace">
        <ChatPanel />
        <ParamsSidebar />
      </div>
    </div>
  );
}
