import { useEffect, useState } from "react";
import { Trash2 } from "lucide-react";
import { useAppStore } from "../store/appStore";

/** How long the button waits for the confirming second press. */
export const CONFIRM_MS = 4000;

/**
 * Empties the chat, its artifacts and their copy in this browser; the server keeps the
 * conversation (it stays in the rail's list). The first press (click, Enter or
 * Space) arms it as "Confirm clear"; a second press within a few seconds clears; Escape,
 * leaving the button or waiting cancels.
 */
export function ClearHistoryButton() {
  const empty = useAppStore((state) => state.messages.length === 0);
  const clearHistory = useAppStore((state) => state.clearHistory);
  const [confirming, setConfirming] = useState(false);

  useEffect(() => {
    if (!confirming) return;
    const timer = window.setTimeout(() => setConfirming(false), CONFIRM_MS);
    return () => window.clearTimeout(timer);
  }, [confirming]);

  const onClick = () => {
    if (!confirming) {
      setConfirming(true);
      return;
    }
    setConfirming(false);
    clearHistory();
  };

  return (
    <button
      type="button"
      className={`button-secondary clear-history${confirming ? " clear-history-confirm" : ""}`}
      data-testid="clear-history"
      data-state={confirming ? "confirm" : "idle"}
      disabled={empty && !confirming}
      onClick={onClick}
      onBlur={() => setConfirming(false)}
      onKeyDown={(event) => event.key === "Escape" && setConfirming(false)}
      title="Clears this chat from this browser; saved conversations stay on the server"
    >
      <Trash2 size={14} aria-hidden />
      <span aria-live="polite">{confirming ? "Confirm clear" : "Clear local chat"}</span>
    </button>
  );
}
