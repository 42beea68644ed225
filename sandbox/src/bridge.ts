import type { SandboxMessage } from "@plotwise/protocol";
import { reportOnPage } from "./standalone";

/**
 * Sends a message to the app. The sandbox cannot know the app's origin (its own is opaque),
 * so it targets "*" and sends only status, never data.
 */
export function postToParent(message: SandboxMessage): void {
  // A standalone file has no app around it: the page itself shows the state instead.
  if (window.parent === window) {
    reportOnPage(document, message);
    return;
  }
  window.parent.postMessage(message, "*");
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
