import { useEffect, useState } from "react";
import { MessageSquare } from "lucide-react";
import { formatUpdatedAt } from "../lib/time";
import { useAppStore } from "../store/appStore";
import { notify } from "../toast/toastStore";
import { ConfirmDelete } from "../ui/ConfirmDelete";
import { conversationsApi, type ConversationSummary } from "./api";
import { conversationsStore, useConversations } from "./conversationsStore";

function ConversationItem({ conversation, current, busy, onOpen }: { conversation: ConversationSummary; current: boolean; busy: boolean; onOpen: () => void }) {
  const newChat = useAppStore((state) => state.newChat);
  const title = conversation.title || "Untitled conversation";
  const remove = async () => {
    const result = await conversationsApi.remove(conversation.id);
    if (!result.ok) {
      notify("error", `Could not delete the conversation: ${result.error.message}`);
      return;
    }
    // Deleting the open conversation leaves nothing to continue: start afresh.
    if (current) newChat();
    notify("success", `Deleted “${title}”.`);
    conversationsStore.getState().load();
  };
  return (
    <li className="rail-item" data-testid="conversation-item" data-id={conversation.id} data-active={current || undefined}>
      <button type="button" className="rail-item-main" aria-current={current ? "true" : undefined} disabled={busy} onClick={onOpen}>
        <span className="rail-item-title" title={title}>
          {title}
        </span>
        <span className="rail-item-meta">
          {formatUpdatedAt(conversation.updated_at)} · {conversation.message_count} {conversation.message_count === 1 ? "message" : "messages"}
        </span>
      </button>
      <div className="rail-item-actions">
        <ConfirmDelete what={`conversation “${title}”`} testId="conversation-delete" onConfirm={() => void remove()} />
      </div>
    </li>
  );
}

/** The stored conversations; one click reopens one, replacing the chat. */
export function ConversationsPanel() {
  const { items, loading, error } = useConversations((state) => state);
  const currentId = useAppStore((state) => state.conversationId);
  const turnIdle = useAppStore((state) => state.turnAbort === null);
  const loadConversation = useAppStore((state) => state.loadConversation);
  const [opening, setOpening] = useState<string | null>(null);

  // On mount, and whenever a turn ends (it may have created or renamed a conversation).
  useEffect(() => {
    if (turnIdle) conversationsStore.getState().load();
  }, [turnIdle]);

  const open = async (id: string) => {
    setOpening(id);
    const result = await conversationsApi.get(id);
    setOpening(null);
    if (result.ok) loadConversation(result.value);
    else notify("error", `Could not open the conversation: ${result.error.message}`);
  };

  return (
    <div className="rail-panel" data-testid="conversations-panel" aria-busy={loading}>
      {error && (
        <p className="inline-error" role="alert">
          {error.message}
        </p>
      )}
      {!loading && !error && items.length === 0 ? (
        <p className="rail-empty" data-testid="conversations-empty">
          <MessageSquare size={16} aria-hidden />
          No saved conversations yet. Ask a question to start one.
        </p>
      ) : (
        <ul className="rail-list" aria-label="Conversations">
          {items.map((conversation) => (
            <ConversationItem
              key={conversation.id}
              conversation={conversation}
              current={conversation.id === currentId}
              busy={opening !== null}
              onOpen={() => void open(conversation.id)}
            />
          ))}
        </ul>
      )}
    </div>
  );
}
