"""Browser attack vectors for the sandbox's attack suite: every vector, and lookup by name.

"network" vectors (`support.attacks_network`) would reach the leak server if nothing blocked
them. "local" vectors (below) reach for state the sandbox must not have (the parent's document,
storage, cookies) or spoof messages towards the parent; on an ordinary page they all succeed.
"""

from __future__ import annotations

from support.attack_vector import Vector, run_vector
from support.attacks_network import NETWORK

LOCAL: list[Vector] = [
    Vector(
        "parent-document",
        "local",
        """
    const doc = window.parent.document;
    return { ok: true, value: doc.title };
""",
    ),
    Vector(
        "top-document",
        "local",
        """
    return { ok: true, value: window.top.document.title };
""",
    ),
    Vector(
        "parent-location",
        "local",
        """
    return { ok: true, value: window.parent.location.href };
""",
    ),
    Vector(
        "document-cookie",
        "local",
        """
    document.cookie = "plotwise_attack=1; SameSite=Lax";
    return { ok: document.cookie.includes("plotwise_attack=1"), value: document.cookie };
""",
    ),
    Vector(
        "local-storage",
        "local",
        """
    localStorage.setItem("plotwise-attack", "1");
    return { ok: localStorage.getItem("plotwise-attack") === "1", value: localStorage.length };
""",
    ),
    Vector(
        "session-storage",
        "local",
        """
    sessionStorage.setItem("plotwise-attack", "1");
    return { ok: sessionStorage.getItem("plotwise-attack") === "1", value: sessionStorage.length };
""",
    ),
    Vector(
        "indexeddb",
        "local",
        """
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open("plotwise-attack");
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    db.close();
    return { ok: true, value: db.name };
""",
    ),
    Vector(
        "cache-storage",
        "local",
        """
    const cache = await caches.open("plotwise-attack");
    return { ok: Boolean(cache), value: (await caches.keys()).length };
""",
    ),
    Vector(
        "document-domain",
        "local",
        """
    document.domain = document.domain;
    return { ok: true, value: document.domain };
""",
    ),
    Vector(
        "post-message-parent",
        "local",
        """
    // Look-alikes of the sandbox's own status messages, sent outside any agreed channel.
    // The marker lets a test check that the parent never shows or acts on them.
    const marker = "plotwise-attack-" + Math.random().toString(36).slice(2);
    const echoed = new Promise((resolve) => {
      const listen = (event) => {
        if (event.data && event.data.marker === marker) resolve(true);
      };
      window.addEventListener("message", listen);
      setTimeout(() => resolve(false), 500);
    });
    const spoofs = [
      { type: "ready", marker },
      { type: "rendered", ms: 1, marker },
      { type: "error", phase: "render", message: marker, marker },
      { type: "height", height: 1e9, marker },
      { type: "render", code: marker, data: [], params: {}, marker },
    ];
    for (const target of new Set([window.parent, window.top])) {
      for (const spoof of spoofs) target.postMessage(spoof, "*");
    }
    // On a top-level page the parent is the page itself, so the messages come back.
    return { ok: await echoed, value: { marker, sent: spoofs.length } };
""",
    ),
]

VECTORS: list[Vector] = NETWORK + LOCAL
"""Every vector, network ones first."""


def by_name(name: str) -> Vector:
    """The vector called ``name``."""
    for vector in VECTORS:
        if vector.name == name:
            return vector
    raise KeyError(name)


__all__ = ["LOCAL", "NETWORK", "VECTORS", "Vector", "by_name", "run_vector"]
