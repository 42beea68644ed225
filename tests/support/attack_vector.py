"""The format of a browser attack vector, and running one inside a page or frame (Playwright).

Each vector is the body of an async JavaScript function. ``Vector.js`` wraps it into a function
expression that takes the leak server's ``{http, host, tcpPort, udpPort}`` (``LeakServer.info``)
and always resolves to a JSON report: ``{ok: true, value}`` when the attempt went through as far
as the page can tell, ``{ok: false, error}`` when an API threw or refused. It never throws.

"network" vectors would reach the leak server if nothing blocked them: each uses its own path
``/leak/<name>`` (``url`` inside the body) so a recorded request names its vector; STUN
vectors show up as UDP datagrams and ``link-preconnect`` as a bare TCP connection instead.
"local" vectors reach for state the sandbox must not have (the parent's document, storage,
cookies) or spoof messages towards the parent; on an ordinary page they all succeed.

Seen in Chromium 156: a frame navigation that CSP ``frame-src`` blocks (self-navigation,
meta-refresh, anchor-click, iframe-src from a sandboxed frame) still opens a bare TCP connection
to the target, with no request sent on it. ``evidence_in`` (path evidence) does not count it;
``LeakServer.hits()`` does.

Helpers available inside a body: ``url`` (this vector's leak URL), ``leak`` (the argument),
``root`` (where to attach elements), ``sleep(ms)`` and ``outcome(target, events, ms)``, which
resolves to the first of ``events`` fired on ``target`` or ``"timeout"``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Frame, Page

from support.leak import LEAK_PREFIX, Hit, LeakServer

_WRAPPER = """async (leak) => {
  const url = `${leak.http}%(prefix)s%(name)s`;
  const root = document.body || document.documentElement;
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const outcome = (target, events, ms = 1000) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve("timeout"), ms);
    for (const event of events) {
      const fire = () => { clearTimeout(timer); resolve(event); };
      target.addEventListener(event, fire, { once: true });
    }
  });
  try {
%(body)s
  } catch (error) {
    const name = error && error.name ? `${error.name}: ${error.message}` : String(error);
    return { ok: false, error: name };
  }
}"""

Evidence = Literal["path", "udp", "connect"]


@dataclass(frozen=True)
class Vector:
    """One attack.

    Attributes:
        name: Unique, URL-safe; network vectors request ``/leak/<name>``.
        kind: "network" (would reach the leak server) or "local" (state or parent access).
        body: JavaScript statements of an async function body ending in ``return {...}``.
        evidence: How a network vector shows at the leak server: "path" (an HTTP request on
            ``/leak/<name>``), "udp" (any datagram) or "connect" (any TCP connection).
        navigates: The vector may unload the document it runs in (evaluate may then fail).
        control: Whether the unsandboxed control run proves this vector reaches the server
            (network) or succeeds (local) in headless Chromium.
        reason: Why ``control`` is False.

    """

    name: str
    kind: Literal["network", "local"]
    body: str
    evidence: Evidence = "path"
    navigates: bool = False
    control: bool = True
    reason: str = ""

    @property
    def js(self) -> str:
        """A JavaScript function expression for Playwright's ``evaluate(js, leak.info)``."""
        return _WRAPPER % {
            "prefix": LEAK_PREFIX,
            "name": self.name,
            "body": self.body.strip("\n"),
        }

    def evidence_in(self, hits: list[Hit]) -> list[Hit]:
        """The hits that show this vector reached the leak server.

        "udp" and "connect" evidence cannot name a vector: clear the server before running
        such a vector alone if the hits must be attributed to it.
        """
        if self.evidence == "udp":
            return [hit for hit in hits if hit.transport == "udp"]
        if self.evidence == "connect":
            return [hit for hit in hits if hit.transport == "tcp" and hit.what == "connect"]
        return [hit for hit in hits if hit.vector == self.name]


def run_vector(target: Page | Frame, vector: Vector, leak: LeakServer) -> dict[str, Any]:
    """Runs ``vector`` in ``target`` (a page, or a frame such as the sandbox's iframe).

    Playwright evaluates through DevTools, so the page's CSP does not stop the call itself,
    but everything the vector then does is subject to it.

    Returns:
        The vector's report; for a vector that navigates away before answering,
        ``{"ok": None, "navigated": True, "error": <Playwright's message>}``.

    Raises:
        playwright.sync_api.Error: evaluation failed for a vector that does not navigate.

    """
    try:
        report = target.evaluate(vector.js, leak.info)
    except PlaywrightError as exc:
        if not vector.navigates:
            raise
        return {"ok": None, "navigated": True, "error": str(exc).splitlines()[0]}
    return report
