import { describe, expect, it } from "vitest";
import { WarmFramePool, type FrameHost } from "./warmFrame";

const URL_A = "http://127.0.0.1:9/sandbox/";
const URL_B = "http://127.0.0.1:10/sandbox/";

/**
 * An iframe stand-in whose page behaves like the sandbox: on `connect` it answers over the
 * transferred port with its first height report and `ready`, and records every window message.
 */
class FakeFrame extends EventTarget {
  isConnected = true;
  readonly dataset: Record<string, string> = {};
  readonly received: unknown[] = [];
  sandboxPort: MessagePort | null = null;
  readonly contentWindow = {
    postMessage: (message: unknown, _target: string, ports: MessagePort[]) => {
      this.received.push(message);
      const [port] = ports;
      if (port === undefined) return;
      this.sandboxPort = port;
      port.postMessage({ type: "height", height: 0 });
      port.postMessage({ type: "ready" });
    },
  };

  remove(): void {
    this.isConnected = false;
  }

  load(): void {
    this.dispatchEvent(new Event("load"));
  }
}

function setup(canMove = true) {
  const frames: FakeFrame[] = [];
  const tasks: (() => void)[] = [];
  const host: FrameHost = {
    createParked: () => {
      const frame = new FakeFrame();
      frames.push(frame);
      return frame as unknown as HTMLIFrameElement;
    },
    canMove: () => canMove,
    later: (task) => tasks.push(task),
  };
  const runLater = () => tasks.splice(0).forEach((task) => task());
  return { pool: new WarmFramePool(host), frames, runLater };
}

async function until(check: () => boolean): Promise<void> {
  for (let attempt = 0; attempt < 100 && !check(); attempt += 1) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

describe("WarmFramePool", () => {
  it("loads, connects and waits ready before any artifact arrives", async () => {
    const { pool, frames } = setup();
    pool.prewarm(URL_A);
    expect(pool.state()).toBe("loading");
    frames[0]?.load();
    expect(pool.state()).toBe("connecting");
    await until(() => pool.state() === "ready");
    expect(frames[0]?.dataset.warm).toBe("ready");
    expect(frames[0]?.received).toEqual([{ type: "connect", protocol: expect.any(Number) }]);
  });

  it("hands the ready frame and its port to the first claimant only", async () => {
    const { pool, frames, runLater } = setup();
    pool.prewarm(URL_A);
    frames[0]?.load();
    await until(() => pool.state() === "ready");

    const claim = pool.claim(URL_A);
    expect(claim?.frame).toBe(frames[0]);
    expect(claim?.state).toBe("ready");
    expect(claim?.port).not.toBeNull();
    expect(pool.claim(URL_A)).toBeNull();
    // The claimant owns the channel now: the frame's messages reach it, not the pool.
    const heard: unknown[] = [];
    if (claim?.port) claim.port.onmessage = (event: MessageEvent) => heard.push(event.data);
    frames[0]?.sandboxPort?.postMessage({ type: "rendered", ms: 3 });
    await until(() => heard.length === 1);
    // The pool sent it nothing but the handshake: no other artifact's code ever reached it.
    expect(frames[0]?.received).toHaveLength(1);

    // No new frame until the claimant says its render went well (prewarmLater).
    runLater();
    expect(frames).toHaveLength(1);
    pool.prewarmLater(URL_A);
    expect(frames).toHaveLength(1);
    runLater();
    expect(frames).toHaveLength(2);
    expect(pool.state()).toBe("loading");
  });

  it("discards the warm frame, so a hung sandbox process keeps no frame alive", () => {
    const { pool, frames } = setup();
    pool.prewarm(URL_A);
    pool.discard();
    expect(frames[0]?.isConnected).toBe(false);
    expect(pool.state()).toBeNull();
    expect(pool.claim(URL_A)).toBeNull();
  });

  it("hands over a frame still loading, and leaves its handshake to the claimant", () => {
    const { pool, frames } = setup();
    pool.prewarm(URL_A);
    const claim = pool.claim(URL_A);
    expect(claim).toEqual({ frame: frames[0], state: "loading", port: null });
    frames[0]?.load();
    expect(frames[0]?.received).toEqual([]);
  });

  it("keeps one frame per URL and replaces it for another URL", () => {
    const { pool, frames } = setup();
    pool.prewarm(URL_A);
    pool.prewarm(URL_A);
    expect(frames).toHaveLength(1);
    pool.prewarm(URL_B);
    expect(frames).toHaveLength(2);
    expect(frames[0]?.isConnected).toBe(false);
    expect(pool.claim(URL_A)).toBeNull();
  });

  it("never hands out a frame that navigated (loaded twice)", async () => {
    const { pool, frames } = setup();
    pool.prewarm(URL_A);
    frames[0]?.load();
    frames[0]?.load();
    expect(pool.state()).toBeNull();
    expect(frames[0]?.isConnected).toBe(false);
    expect(pool.claim(URL_A)).toBeNull();
  });

  it("drops a frame removed from the page and warms a new one later", () => {
    const { pool, frames, runLater } = setup();
    pool.prewarm(URL_A);
    frames[0]?.remove();
    expect(pool.claim(URL_A)).toBeNull();
    runLater();
    expect(frames).toHaveLength(2);
    expect(pool.state()).toBe("loading");
  });

  it("does nothing where a frame cannot be moved without reloading", () => {
    const { pool, frames } = setup(false);
    pool.prewarm(URL_A);
    expect(frames).toHaveLength(0);
    expect(pool.claim(URL_A)).toBeNull();
  });
});
