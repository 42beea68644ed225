import type { Root } from "react-dom/client";
import type { ParentMessage } from "@plotwise/protocol";
import { ArtifactRoot, type RenderJob } from "./ArtifactRoot";
import { postToParent } from "./bridge";
import { compileComponent, type ArtifactComponent } from "./compile";

/**
 * Renders what the app asks for. The compiled component is cached by its code string, so a
 * new `render` with the same code (new data) or a `params` message re-renders without compiling.
 * `received` is performance.now() when the message arrived; `rendered` reports the time to commit.
 */
export function createRuntime(root: Root): (message: ParentMessage, received: number) => void {
  let compiled: { code: string; component: ArtifactComponent } | null = null;
  let current: RenderJob | null = null;
  let lastGood: RenderJob | null = null;
  let generation = 0;
  let failed = false;

  const onCommit = (job: RenderJob) => {
    lastGood = job;
    postToParent({ type: "rendered", ms: Math.round((performance.now() - job.received) * 100) / 100 });
  };
  const onError = (message: string) => {
    failed = true;
    postToParent({ type: "error", phase: "render", message });
  };

  const show = (job: RenderJob, newComponent: boolean) => {
    // Same component and no error: keep the tree, so React updates the chart in place. A new
    // component, or a boundary that caught an error, gets a fresh key (and error boundary).
    if (newComponent || failed) {
      generation += 1;
      failed = false;
    }
    current = job;
    root.render(<ArtifactRoot key={generation} job={job} lastGood={lastGood} onCommit={onCommit} onError={onError} />);
  };

  return (message, received) => {
    if (message.type === "params") {
      if (current === null) {
        postToParent({ type: "error", phase: "render", message: "There is no component to re-render yet." });
        return;
      }
      show({ ...current, params: message.params, received }, false);
      return;
    }
    const newComponent = compiled === null || compiled.code !== message.code;
    if (compiled === null || newComponent) {
      const result = compileComponent(message.code);
      if (!result.ok) {
        // The last good render (if any) stays on screen.
        postToParent({ type: "error", phase: "compile", message: result.message });
        return;
      }
      compiled = { code: message.code, component: result.component };
    }
    show({ component: compiled.component, data: message.data, params: message.params, meta: message.meta, received }, newComponent);
  };
}
