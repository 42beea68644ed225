"""Standalone HTML: one self-contained file that renders an artifact offline, isolated.

The file is the sandbox runtime itself (its built script and stylesheet inlined) with the
component, a snapshot of its rows and its view parameters embedded as a JSON script element
that is never executed. Its Content-Security-Policy allows no network request of any kind
(``default-src 'none'``), only its own inline script and style by SHA-256 hash, and
``'unsafe-eval'`` for react-runner; the runtime removes WebRTC at start-up, as in the app.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plotwise.errors import PlotwiseError

_SCRIPT = re.compile(
    r'<script type="module" crossorigin src="/sandbox/(assets/[^"]+\.js)"></script>'
)
_STYLE = re.compile(r'<link rel="stylesheet" crossorigin href="/sandbox/(assets/[^"]+\.css)">')

_PAGE_CSS = """
.plotwise-standalone-header { font: 14px system-ui, sans-serif; color: #334155; margin: 16px; }
.plotwise-standalone-header h1 { font-size: 18px; margin: 0 0 4px; color: #0f172a; }
#plotwise-error { font: 14px system-ui, sans-serif; color: #b91c1c; margin: 16px; }
"""


class SandboxNotBuiltError(PlotwiseError):
    """The sandbox runtime is not built, so no standalone file can be made."""

    code = "sandbox_not_built"
    status_code = 503


@dataclass(frozen=True)
class Snapshot:
    """What a standalone file shows: the component, its rows and view parameters, and provenance."""

    title: str
    code: str
    rows: list[dict[str, Any]]
    """Row objects keyed by column name, as the component's ``data`` prop."""
    view_params: dict[str, Any]
    fetched_at: str
    data_version: str
    sql: str | None


def build_standalone_html(snapshot: Snapshot, sandbox_dist: Path) -> str:
    """Return the standalone HTML document for ``snapshot``.

    Args:
        snapshot: What to render.
        sandbox_dist: The built sandbox (``sandbox/dist``), whose script and stylesheet are inlined.

    Raises:
        SandboxNotBuiltError: The built sandbox or its assets are missing.

    """
    script, style = _sandbox_assets(sandbox_dist)
    style = style + _PAGE_CSS
    payload = {
        "type": "render",
        "code": snapshot.code,
        "data": snapshot.rows,
        "params": snapshot.view_params,
    }
    csp = (
        "default-src 'none'; "
        f"script-src {_hash(script)} 'unsafe-eval'; style-src {_hash(style)}; img-src data:; "
        "font-src data:; connect-src 'none'; media-src 'none'; object-src 'none'; "
        "frame-src 'none'; worker-src 'none'; base-uri 'none'; form-action 'none'"
    )
    title = html.escape(snapshot.title)
    return f"""<!doctype html>
<html lang="en" data-state="loading">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="{html.escape(csp)}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<title>{title}</title>
<style>{style}</style>
</head>
<body>
<header class="plotwise-standalone-header">
<h1>{title}</h1>
<div>Data snapshot fetched at {html.escape(snapshot.fetched_at)} (data version
{html.escape(snapshot.data_version)}), {len(snapshot.rows):,} rows. Made with Plotwise.</div>
</header>
<div id="root"></div>
<p id="plotwise-error" role="alert"></p>
<script type="application/json" id="plotwise-artifact">{_json_for_html(payload)}</script>
<script type="module">{script}</script>
</body>
</html>
"""


def _sandbox_assets(sandbox_dist: Path) -> tuple[str, str]:
    index = sandbox_dist / "index.html"
    try:
        page = index.read_text(encoding="utf-8")
        script_match, style_match = _SCRIPT.search(page), _STYLE.search(page)
        if script_match is None or style_match is None:
            raise SandboxNotBuiltError(f"{index} does not name its script and stylesheet")
        script = (sandbox_dist / script_match.group(1)).read_text(encoding="utf-8")
        style = (sandbox_dist / style_match.group(1)).read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise SandboxNotBuiltError(
            f"the sandbox is not built: {exc.filename} is missing; run npm run build"
        ) from exc
    # Inside <script>, "<!--" would switch the HTML parser into its escaped script state, where
    # a later "<script" hides the closing tag. "<\\!--" means the same in strings and regexes.
    script = script.replace("<!--", "<\\!--")
    if "</script" in script.lower() or "</style" in style.lower():
        raise SandboxNotBuiltError(
            "the sandbox bundle contains a closing tag; it cannot be inlined"
        )
    return script, style


def _hash(source: str) -> str:
    digest = hashlib.sha256(source.encode("utf-8")).digest()
    return f"'sha256-{base64.b64encode(digest).decode()}'"


def _json_for_html(value: Any) -> str:
    """JSON that cannot end its script element or open a comment: every ``<`` is escaped."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")
