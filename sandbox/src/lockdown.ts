/**
 * Globals removed before any generated code runs. CSP does not govern WebRTC (a peer connection
 * can send STUN packets anywhere), so those must go; the network APIs are covered by
 * `connect-src 'none'` already and are removed as a second layer.
 */
export const BLOCKED_GLOBALS: readonly string[] = [
  "RTCPeerConnection",
  "webkitRTCPeerConnection",
  "mozRTCPeerConnection",
  "RTCDataChannel",
  "RTCSessionDescription",
  "RTCIceCandidate",
  "RTCIceTransport",
  "RTCDtlsTransport",
  "RTCSctpTransport",
  "RTCRtpSender",
  "RTCRtpReceiver",
  "RTCRtpTransceiver",
  "RTCCertificate",
  "RTCDTMFSender",
  "RTCEncodedAudioFrame",
  "RTCEncodedVideoFrame",
  "RTCRtpScriptTransform",
  "fetch",
  "XMLHttpRequest",
  "WebSocket",
  "WebSocketStream",
  "WebTransport",
  "EventSource",
];

/**
 * Deletes `names` from `target`; a name that cannot be deleted is pinned to undefined instead.
 * Returns the names still reachable afterwards (expected: none).
 */
export function removeGlobals(target: object, names: readonly string[]): string[] {
  const left: string[] = [];
  for (const name of names) {
    if (!(name in target)) continue;
    Reflect.deleteProperty(target, name);
    if (name in target) {
      try {
        Object.defineProperty(target, name, { value: undefined, writable: false, configurable: false });
      } catch {
        // Non-configurable and not writable: reported through the return value below.
      }
    }
    if (Reflect.get(target, name) !== undefined) left.push(name);
  }
  return left;
}
