import { createRoot } from "react-dom/client";
import { connectToApp, observeHeight } from "./bridge";
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
  connectToApp(render, () => observeHeight(container));
}
