import { useEffect, useState } from "react";
import { PanelLeft } from "lucide-react";
import { ChatPanel } from "./chat/ChatPanel";
import { warmFrames } from "./artifact/warmFrame";
import { TokenDialog } from "./auth/TokenDialog";
import { configStore, useServerConfig } from "./config/configStore";
import { ClearHistoryButton } from "./chat/ClearHistoryButton";
import { UploadReview } from "./datasets/UploadReview";
import { ModelPicker } from "./model/ModelPicker";
import { LeftRail } from "./rail/LeftRail";
import { ParamsSidebar } from "./sidebar/ParamsSidebar";
import { useAppStore } from "./store/appStore";
import { Toaster } from "./toast/Toaster";

/**
 * The whole app: a header, the rail (conversations, templates, datasets), the chat with its
 * active datasets, the active chart's parameters, and an upload's review when one awaits it.
 */
export function App() {
  // Only matters on narrow screens, where the rail folds away (rail.css).
  const [railOpen, setRailOpen] = useState(false);
  const conversationId = useAppStore((state) => state.conversationId);
  const activeArtifact = useAppStore((state) => state.activeArtifact);
  const turnRunning = useAppStore((state) => state.turnAbort !== null);
  const config = useServerConfig();

  // Opening a conversation or a template (or starting afresh) is done with the rail for now.
  useEffect(() => setRailOpen(false), [conversationId, activeArtifact]);
  // The sandbox's origin and watchdog come from the server; charts wait for them.
  useEffect(() => configStore.getState().load(), []);
  // A sandbox frame warms up as soon as its URL is known (and again when a turn starts, if the
  // last one was used), so the first chart does not pay the frame's start-up.
  useEffect(() => {
    if (config.status === "ready") warmFrames.prewarm(config.config.sandboxUrl);
  }, [config, turnRunning]);

  return (
    <div className="app">
      <header className="app-header">
        <button
          type="button"
          className="rail-toggle"
          data-testid="rail-toggle"
          aria-expanded={railOpen}
          aria-label={railOpen ? "Hide conversations, templates and data" : "Show conversations, templates and data"}
          onClick={() => setRailOpen(!railOpen)}
        >
          <PanelLeft size={16} aria-hidden />
        </button>
        <img src="/favicon.svg" alt="" width={22} height={22} />
        <span className="app-name">Plotwise</span>
        <span className="app-tagline">chat with your data</span>
        <ModelPicker />
        <ClearHistoryButton />
      </header>
      <div className="workspace" onKeyDown={(event) => event.key === "Escape" && railOpen && setRailOpen(false)}>
        <LeftRail open={railOpen} />
        <ChatPanel />
        <ParamsSidebar />
      </div>
      <UploadReview />
      <TokenDialog />
      <Toaster />
    </div>
  );
}
