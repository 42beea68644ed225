import type { ReactElement } from "react";
import type { Root } from "react-dom/client";
import { beforeEach, describe, expect, it, vi } from "vitest";
import type { SandboxMessage } from "@plotwise/protocol";
import type { RenderJob } from "./ArtifactRoot";
import { wholeData } from "@plotwise/protocol";

const WHOLE = wholeData(1);

const posted: SandboxMessage[] = [];
vi.mock("./bridge", () => ({ postToParent: (message: SandboxMessage) => posted.push(message) }));
const compiles = vi.hoisted(() => ({ count: 0 }));
vi.mock("./compile", async (importOriginal) => {
  const original = await importOriginal<typeof import("./compile")>();
  return {
    ...original,
    compileComponent: (code: string) => {
      compiles.count += 1;
      return original.compileComponent(code);
    },
  };
});

const { createRuntime } = await import("./runtime");

type RootProps = { job: RenderJob; onCommit: (job: RenderJob) => void };

function fakeRoot() {
  const renders: ReactElement<RootProps>[] = [];
  const root = { render: (element: ReactElement<RootProps>) => renders.push(element), unmount: () => {} } as unknown as Root;
  return { root, renders };
}

const CODE = `export const params = { color: { type: "color", default: "#000" } };
export default function A({ data, params }) { return <p style={{ color: params.color }}>{data.length}</p>; }`;

describe("createRuntime", () => {
  beforeEach(() => {
    posted.length = 0;
    compiles.count = 0;
  });

  it("re-renders a params-only change with the cached component, in place", () => {
    const { root, renders } = fakeRoot();
    const render = createRuntime(root);
    render({ type: "render", code: CODE, data: [{ n: 1 }], params: { color: "#000" }, meta: WHOLE }, performance.now());
    render({ type: "params", params: { color: "#f00" } }, performance.now());
    render({ type: "render", code: CODE, data: [{ n: 1 }, { n: 2 }], params: { color: "#f00" }, meta: WHOLE }, performance.now());
    expect(compiles.count).toBe(1);
    expect(renders).toHaveLength(3);
    expect(new Set(renders.map((element) => element.key)).size).toBe(1);
    const [first, second, third] = renders.map((element) => element.props.job);
    expect(second?.component).toBe(first?.component);
    expect(second?.params).toEqual({ color: "#f00" });
    expect(second?.data).toBe(first?.data);
    expect(third?.data).toHaveLength(2);
  });

  it("compiles new code and gives it a fresh tree", () => {
    const { root, renders } = fakeRoot();
    const render = createRuntime(root);
    render({ type: "render", code: CODE, data: [], params: {}, meta: WHOLE }, 0);
    render({ type: "render", code: `${CODE}\n`, data: [], params: {}, meta: WHOLE }, 0);
    expect(compiles.count).toBe(2);
    expect(renders[0]?.key).not.toBe(renders[1]?.key);
  });

  it("reports the time from the message to the commit", () => {
    const { root, renders } = fakeRoot();
    createRuntime(root)({ type: "render", code: CODE, data: [], params: {}, meta: WHOLE }, performance.now() - 5);
    const element = renders[0];
    element?.props.onCommit(element.props.job);
    const message = posted[0];
    expect(message?.type).toBe("rendered");
    expect(message?.type === "rendered" && message.ms).toBeGreaterThanOrEqual(5);
  });

  it("refuses params before any component", () => {
    createRuntime(fakeRoot().root)({ type: "params", params: {} }, 0);
    expect(posted).toEqual([{ type: "error", phase: "render", message: "There is no component to re-render yet." }]);
  });
});
