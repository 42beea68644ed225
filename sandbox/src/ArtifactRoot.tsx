import { Component, useEffect, type ReactNode } from "react";
import type { ArtifactComponent, ArtifactProps } from "./compile";
import { describeError } from "./compile";

/** A compiled component with the props to render it with. */
export interface RenderJob extends ArtifactProps {
  component: ArtifactComponent;
  /** performance.now() when the message asking for this render arrived. */
  received: number;
}

interface BoundaryProps {
  fallback: ReactNode;
  onError: (message: string) => void;
  children: ReactNode;
}

/** Catches render errors of generated code and shows `fallback` instead. */
class Boundary extends Component<BoundaryProps, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: unknown): void {
    this.props.onError(describeError(error));
  }

  render(): ReactNode {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

function Committed({ job, onCommit }: { job: RenderJob; onCommit: (job: RenderJob) => void }) {
  // Parent effects run after all child effects: the whole component has committed by now.
  useEffect(() => onCommit(job), [job, onCommit]);
  const Artifact = job.component;
  return <Artifact data={job.data} params={job.params} meta={job.meta} />;
}

function ignore(): void {}

interface ArtifactRootProps {
  job: RenderJob;
  lastGood: RenderJob | null;
  onCommit: (job: RenderJob) => void;
  onError: (message: string) => void;
}

/** Renders `job`; if it throws, keeps showing the last render that worked. */
export function ArtifactRoot({ job, lastGood, onCommit, onError }: ArtifactRootProps) {
  const fallback = lastGood ? (
    <Boundary fallback={null} onError={ignore}>
      <lastGood.component data={lastGood.data} params={lastGood.params} meta={lastGood.meta} />
    </Boundary>
  ) : null;
  return (
    <Boundary fallback={fallback} onError={onError}>
      <Committed job={job} onCommit={onCommit} />
    </Boundary>
  );
}
