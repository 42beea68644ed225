import type { Root } from "react-dom/client";
import type { RenderMessage } from "@plotwise/protocol";
import { ArtifactRoot, type RenderJob } from "./ArtifactRoot";
import { postToParent } from "./bridge";
import { compileComponent, type ArtifactComponent } from "./compile";

/** Renders what the app asks for: compiles each new code once, re-renders with new props. */
export function createRuntime(root: Root): (message: RenderMessage) => void {
  let compiled: { code: string; component: ArtifactComponent } | null = null;
  let lastGood: RenderJob | null = null;
  let renders = 0;

  const onCommit = (job: RenderJob) => {
    lastGood = job;
    postToParent({ type: "rendered" });
  };
  const onError = (message: string) => postToParent({ type: "error", phase: "render", message });

  return (message) => {
    if (compiled === null || compiled.code !== message.code) {
      const result = compileComponent(message.code);
      if (!result.ok) {
        // The last good render (if any) stays on screen.
        postToParent({ type: "error", phase: "compile", message: result.message });
        return;
      }
      compiled = { code: message.code, component: result.component };
    }
    const job: RenderJob = { component: compiled.component, data: message.data, params: message.params };
    renders += 1;
    // A new key gives every render a fresh error boundary.
    root.render(<ArtifactRoot key={renders} job={job} lastGood={lastGood} onCommit={onCommit} onError={onError} />);
  };
}
