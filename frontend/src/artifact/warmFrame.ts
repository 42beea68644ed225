import { parseSandboxMessage, PROTOCOL_VERSION, type ConnectMessage } from "./protocol";

/**
 * How far a warm frame got before it was claimed: its page is still loading; it loaded and was
 * sent `connect`; or it answered `ready` (React, react-runner and Recharts loaded and parsed).
 */
export type WarmState = "loading" | "connecting" | "ready";

/** A warm frame handed to an artifact. It has run nothing but the sandbox's own page. */
export interface WarmClaim {
  frame: HTMLIFrameElement;
  state: WarmState;
  /** The app's end of the channel; null while the frame is still loading (the claimant connects). */
  port: MessagePort | null;
}

/** The DOM the pool needs, injectable so the hand-off logic is testable without a browser. */
export interface FrameHost {
  /** A new sandbox iframe (same attributes as an artifact's), parked out of sight and loading `url`. */
  createParked: (url: string) => HTMLIFrameElement;
  /** Whether a frame can be moved into an artifact without reloading (`Element.moveBefore`). */
  canMove: () => boolean;
  /** Runs `task` later, off the critical path of the render that just claimed a frame. */
  later: (task: () => void) => void;
}

interface Warming {
  url: string;
  frame: HTMLIFrameElement;
  state: WarmState;
  port: MessagePort | null;
  onLoad: () => void;
}

/**
 * Keeps at most one idle sandbox frame warm so the first artifact does not pay the frame's
 * start-up (page load, parsing React, react-runner and Recharts, the handshake). The pool only
 * ever sends `connect`: a frame it hands out has rendered nothing, and it is handed out once
 * (the artifact that takes it owns and destroys it, like a frame it created).
 *
 * Chromium runs all frames of the sandbox's site in one renderer process. A component stuck in a
 * loop blocks that process, and only removing every frame in it ends the loop; so the next frame
 * is warmed only after a render succeeded (`prewarmLater`), and a frame recreated after a hang
 * or a navigation discards the warm one (`discard`).
 */
export class WarmFramePool {
  private warming: Warming | null = null;
  private readonly host: FrameHost;

  constructor(host: FrameHost) {
    this.host = host;
  }

  /** Starts warming a frame for `url` unless one is already warm for it; no-op where frames cannot be moved. */
  prewarm(url: string): void {
    if (!this.host.canMove()) return;
    if (this.warming !== null) {
      if (this.warming.url === url && this.warming.frame.isConnected) return;
      this.discard();
    }
    const frame = this.host.createParked(url);
    const warming: Warming = { url, frame, state: "loading", port: null, onLoad: () => this.onLoad(warming) };
    frame.addEventListener("load", warming.onLoad);
    setState(warming, "loading");
    this.warming = warming;
  }

  /** Warms a frame for `url` after a pause (see FrameHost.later), unless one is warm by then. */
  prewarmLater(url: string): void {
    this.host.later(() => this.prewarm(url));
  }

  /** The warm frame's state, or null when there is none (for tests and diagnostics). */
  state(): WarmState | null {
    return this.warming?.state ?? null;
  }

  /**
   * Hands the warm frame for `url` to the caller, which must move it into place (`moveBefore`),
   * listen to its `load` events and, unless it is still loading, adopt `port`. Null when no
   * usable frame is warm: the caller creates a cold one.
   */
  claim(url: string): WarmClaim | null {
    const warming = this.warming;
    if (warming === null || !this.host.canMove()) return null;
    if (warming.url !== url || !warming.frame.isConnected) {
      this.discard();
      this.prewarmLater(url);
      return null;
    }
    this.warming = null;
    warming.frame.removeEventListener("load", warming.onLoad);
    if (warming.port !== null) warming.port.onmessage = null;
    delete warming.frame.dataset.warm;
    return { frame: warming.frame, state: warming.state, port: warming.port };
  }

  private onLoad(warming: Warming): void {
    const target = warming.frame.contentWindow;
    // A second load means the page navigated: never hand that frame out.
    if (warming.state !== "loading" || target === null) {
      if (this.warming === warming) this.discard();
      return;
    }
    const channel = new MessageChannel();
    channel.port1.onmessage = (event: MessageEvent) => {
      // Until the hand-off only `ready` matters; the frame's first height report is for an empty page.
      if (parseSandboxMessage(event.data)?.type === "ready") setState(warming, "ready");
    };
    warming.port = channel.port1;
    setState(warming, "connecting");
    // As in useSandbox: the frame's origin is opaque, so "*" is the only target that reaches it.
    const connect: ConnectMessage = { type: "connect", protocol: PROTOCOL_VERSION };
    target.postMessage(connect, "*", [channel.port2]);
  }

  /** Destroys the warm frame, if any. */
  discard(): void {
    const warming = this.warming;
    if (warming === null) return;
    this.warming = null;
    warming.frame.removeEventListener("load", warming.onLoad);
    warming.port?.close();
    warming.frame.remove();
  }
}

/** Records the state, also on the element (`data-warm`), where browser tests can wait for it. */
function setState(warming: Warming, state: WarmState): void {
  warming.state = state;
  warming.frame.dataset.warm = state;
}

/** Where warm frames wait: laid out (so the page runs normally) but off-screen and inert. */
function parkingLot(): HTMLElement {
  const existing = document.getElementById("sandbox-parking");
  if (existing !== null) return existing;
  const lot = document.createElement("div");
  lot.id = "sandbox-parking";
  lot.className = "sandbox-parking";
  lot.setAttribute("aria-hidden", "true");
  lot.inert = true;
  document.body.append(lot);
  return lot;
}

/** The browser's DOM: an iframe exactly like SandboxFrame's (sandbox="allow-scripts" only). */
export const browserFrameHost: FrameHost = {
  createParked: (url) => {
    const frame = document.createElement("iframe");
    frame.className = "sandbox-frame";
    frame.title = "Chart";
    frame.setAttribute("sandbox", "allow-scripts");
    frame.referrerPolicy = "no-referrer";
    frame.tabIndex = -1;
    frame.dataset.testid = "sandbox-warm-frame";
    frame.src = url;
    parkingLot().append(frame);
    return frame;
  },
  canMove: () => typeof Element !== "undefined" && "moveBefore" in Element.prototype,
  later: (task) => window.setTimeout(task, REWARM_DELAY_MS),
};

/** Pause before warming the next frame, so it does not compete with the render that claimed one. */
const REWARM_DELAY_MS = 1500;

/** The app's pool. */
export const warmFrames = new WarmFramePool(browserFrameHost);
