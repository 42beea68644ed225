"""The two origins Plotwise serves, and the security headers that keep them apart.

The app (chat UI and API) and the artifact sandbox run on different origins: by default two
ports of one process (``PLOTWISE_PORT`` and ``PLOTWISE_SANDBOX_PORT``), so the browser puts
generated code in another security context (and, with site isolation for sandboxed frames,
another process). Each side's CSP names the other: the app may frame only the sandbox origin,
and the sandbox may be framed only by the app origin. See docs/threat-model.md.
"""

from __future__ import annotations

from starlette.datastructures import URL

from plotwise.settings import Settings

SANDBOX_PATH = "/sandbox/index.html"
"""Path of the sandbox page on the sandbox origin (the Vite build's base is ``/sandbox/``)."""


def _origin(url: URL, port: int) -> str:
    host = url.hostname or "127.0.0.1"
    if ":" in host:  # an IPv6 literal needs its brackets back
        host = f"[{host}]"
    return f"{url.scheme}://{host}:{port}"


def sandbox_origin(settings: Settings, url: URL) -> str:
    """Return the sandbox's origin as seen by a browser that requested ``url`` from the app.

    Args:
        settings: ``sandbox_origin`` wins when set; else ``sandbox_port`` is used.
        url: A URL of a request to the app (its scheme and host name are reused).

    Returns:
        An origin such as ``http://127.0.0.1:8001`` (no trailing slash).

    """
    return settings.sandbox_origin or _origin(url, settings.sandbox_port)


def app_origin(settings: Settings, url: URL) -> str:
    """Return the app's origin as seen by a browser that requested ``url`` from the sandbox.

    Args:
        settings: ``app_origin`` wins when set; else ``port`` is used.
        url: A URL of a request to the sandbox listener.

    Returns:
        An origin such as ``http://127.0.0.1:8000``.

    """
    return settings.app_origin or _origin(url, settings.port)


def app_csp(sandbox: str) -> str:
    """CSP of the chat application: its own assets only; frames only from ``sandbox``.

    ``frame-src`` also governs where a frame may navigate, so a sandbox that navigates itself
    can only reach the sandbox origin again.
    """
    return (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        f"connect-src 'self'; frame-src {sandbox}; worker-src 'none'; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )


def sandbox_csp(app: str) -> str:
    """CSP of the artifact sandbox: its own scripts and styles, no network, framed only by ``app``.

    ``'unsafe-eval'`` is for react-runner, which evaluates the component with ``new Function``.
    The same policy minus ``frame-ancestors`` is in the built page's ``<meta>`` tag
    (sandbox/vite.config.ts), for a copy served without this header.
    """
    return (
        "default-src 'none'; script-src 'self' 'unsafe-eval'; style-src 'self'; "
        "img-src 'self' data:; font-src 'self'; connect-src 'none'; base-uri 'none'; "
        f"form-action 'none'; frame-ancestors {app}"
    )


COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
"""Headers on every response of both origins."""
