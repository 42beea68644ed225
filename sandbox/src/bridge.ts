import { isConnectMessage, parseParentMessage, type ParentMessage, type SandboxMessage } from "@plotwise/protocol";
import { reportOnPage } from "./standalone";

// The app's end of the channel, once the handshake is done. Module scope: generated code is
// evaluated by react-runner in its own function scope and cannot name it.
let port: MessagePort | null = null;

/**
 * Sends a message to the app over the channel port (dropped before the handshake). The
 * sandbox sends only status, never data.
 */
export function postToParent(message: SandboxMessage): void {
  // A standalone file has no app around it: the page itself shows the state instead.
  if (window.parent === window) {
    reportOnPage(document, message);
    return;
  }
  port?.postMessage(message);
}

/**
 * Waits for the app's `connect` message and adopts the port it carries: only from the parent
 * window, only once. Afterwards window messages are not listened to at all, so other windows
 * (and anything the component posts to itself) cannot ask for a render.
 *
 * @param onMessage Called with each valid `render`/`params` message and performance.now() at arrival.
 * @param onConnect Called once the channel is up, before `ready` is sent.
 */
export function connectToApp(onMessage: (message: ParentMessage, received: number) => void, onConnect: () => void): void {
  const onWindowMessage = (event: MessageEvent) => {
    if (window.parent === window || event.source !== window.parent) return;
    const [channel] = event.ports;
    if (!isConnectMessage(event.data) || event.ports.length !== 1 || channel === undefined) return;
    window.removeEventListener("message", onWindowMessage);
    port = channel;
    channel.onmessage = (portEvent: MessageEvent) => {
      // Taken first, so the reported render time covers parsing the message too.
      const received = performance.now();
      const message = parseParentMessage(portEvent.data);
      if (message) onMessage(message, received);
    };
    onConnect();
    postToParent({ type: "ready" });
  };
  window.addEventListener("message", onWindowMessage);
}

/** Reports the content height whenever it changes, so the app can size the frame to fit. */
export function observeHeight(element: HTMLElement): void {
  let last = -1;
  const report = () => {
    const height = Math.ceil(element.getBoundingClientRect().height);
    if (height === last) return;
    last = height;
    postToParent({ type: "height", height });
  };
  new ResizeObserver(report).observe(element);
}
