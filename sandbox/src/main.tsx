import { createRoot } from "react-dom/client";
import { parseParentMessage } from "@plotwise/protocol";
import { observeHeight, postToParent } from "./bridge";
import { BLOCKED_GLOBALS, removeGlobals } from "./lockdown";
import { createRuntime } from "./runtime";
import { readEmbeddedArtifact } from "./standalone";
import "./sandbox.css";

// Imports are evaluated first, so this still runs before any generated code.
removeGlobals(window, BLOCKED_GLOBALS);

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");

const render = createRuntime(createRoot(container));
const embedded = readEmbeddedArtifact(document);

if (embedded !== null) {
  // A standalone HTML file: render its own snapshot; no app, no messages to listen to.
  document.documentElement.dataset.state = "rendering";
  render(embedded, performance.now());
} else {
  observeHeight(container);
  listenToApp();
}

function listenToApp(): void {
  window.addEventListener("message", (event) => {
    // Taken first, so the reported render time covers parsing the message too.
    const received = performance.now();
    // Only the embedding app may ask for a render; a top-level load has no parent to trust.
    if (window.parent === window || event.source !== window.parent) return;
    const message = parseParentMessage(event.data);
    if (message) render(message, received);
  });
  postToParent({ type: "ready" });
}
