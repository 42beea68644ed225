import { ChatPanel } from "./chat/ChatPanel";

/** The whole app: a header and the chat. */
export function App() {
  return (
    <div className="app">
      <header className="app-header">
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span className="app-name">Plotwise</span>
        <span className="app-tagline">chat with your data</span>
      </header>
      <ChatPanel />
    </div>
  );
}
