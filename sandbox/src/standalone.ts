import { parseParentMessage, type RenderMessage, type SandboxMessage } from "@plotwise/protocol";

/** Id of the JSON script element a standalone HTML file embeds its artifact in. */
export const EMBED_ID = "plotwise-artifact";

/**
 * Reads the artifact embedded in a standalone HTML file (`<script type="application/json">`,
 * never executed), validated like a message from the app; null when this is the app's frame.
 */
export function readEmbeddedArtifact(doc: Document): RenderMessage | null {
  const element = doc.getElementById(EMBED_ID);
  if (element === null || element.getAttribute("type") !== "application/json") return null;
  let payload: unknown;
  try {
    payload = JSON.parse(element.textContent ?? "");
  } catch {
    return null;
  }
  const message = parseParentMessage(payload);
  return message !== null && message.type === "render" ? message : null;
}

/**
 * With no app around it, the sandbox reports its state on the page itself: `data-state` on the
 * root element (rendering, rendered, error) and error text in the `#plotwise-error` element.
 */
export function reportOnPage(doc: Document, message: SandboxMessage): void {
  if (message.type === "rendered") doc.documentElement.dataset.state = "rendered";
  if (message.type === "error") {
    doc.documentElement.dataset.state = "error";
    const target = doc.getElementById("plotwise-error");
    if (target !== null) target.textContent = message.message;
  }
}
