"""The app and the sandbox live on two origins of one process, each locked to the other."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

import httpx
import pytest
from pydantic import ValidationError

from plotwise.settings import Settings
from support.live_server import live_plotwise


def csp_directives(header: str) -> dict[str, list[str]]:
    """Split a CSP header into {directive: [sources]}."""
    directives = {}
    for part in header.split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.fixture(scope="module")
def served(app_settings: Settings) -> Iterator[tuple[str, str]]:
    """(app base URL, sandbox page URL) of a server started as ``plotwise serve`` starts it."""
    if not (app_settings.sandbox_dist / "index.html").is_file():
        pytest.fail("the sandbox is not built: run `npm run build` (make test does)")
    with live_plotwise(app_settings) as url:
        sandbox_url = httpx.get(f"{url}/api/config").json()["sandbox_url"]
        yield url, sandbox_url


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def test_config_names_a_sandbox_on_another_origin(served):
    app_url, sandbox_url = served
    assert origin(sandbox_url) != origin(app_url)
    assert urlsplit(sandbox_url).hostname == urlsplit(app_url).hostname
    assert urlsplit(sandbox_url).path == "/sandbox/index.html"
    assert httpx.get(f"{app_url}/api/config").json()["render_timeout_ms"] == 5000


def test_app_page_may_frame_only_the_sandbox_origin(served):
    app_url, sandbox_url = served
    response = httpx.get(f"{app_url}/")
    csp = csp_directives(response.headers["content-security-policy"])
    assert csp["frame-src"] == [origin(sandbox_url)]
    assert csp["frame-ancestors"] == ["'none'"]
    assert response.headers["x-content-type-options"] == "nosniff"


def test_app_origin_no_longer_serves_the_sandbox(served):
    app_url, _ = served
    response = httpx.get(f"{app_url}/sandbox/index.html")
    assert "Plotwise sandbox" not in response.text


def test_sandbox_page_is_locked_down_and_framed_only_by_the_app(served):
    app_url, sandbox_url = served
    response = httpx.get(sandbox_url)
    assert response.status_code == 200
    assert "Plotwise sandbox" in response.text
    csp = csp_directives(response.headers["content-security-policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'", "'unsafe-eval'"]
    assert csp["connect-src"] == ["'none'"]
    assert csp["form-action"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"]
    assert csp["frame-ancestors"] == [origin(app_url)]
    # The frame's own origin is "null": its module script and stylesheet are CORS loads.
    assert response.headers["access-control-allow-origin"] == "*"


def test_sandbox_assets_load_cross_origin(served):
    _, sandbox_url = served
    page = httpx.get(sandbox_url).text
    script = page.split('src="', 1)[1].split('"', 1)[0]
    response = httpx.get(origin(sandbox_url) + script, headers={"Origin": "null"})
    assert response.status_code == 200
    assert response.headers["access-control-allow-origin"] == "*"
    assert "javascript" in response.headers["content-type"]


@pytest.mark.parametrize("path", ["/", "/api/config", "/api/health", "/index.html"])
def test_sandbox_origin_serves_nothing_but_the_sandbox(served, path):
    _, sandbox_url = served
    assert httpx.get(origin(sandbox_url) + path).status_code == 404


def test_explicit_public_origins_are_used(app_settings):
    settings = app_settings.model_copy(
        update={
            "sandbox_origin": "https://sandbox.example.com",
            "app_origin": "https://plotwise.example.com",
        }
    )
    with live_plotwise(settings) as url:
        config = httpx.get(f"{url}/api/config").json()
        app_csp = csp_directives(httpx.get(f"{url}/").headers["content-security-policy"])
    assert config["sandbox_url"] == "https://sandbox.example.com/sandbox/index.html"
    assert app_csp["frame-src"] == ["https://sandbox.example.com"]


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"port": 8000, "sandbox_port": 8000}, "sandbox_port must differ"),
        ({"sandbox_origin": "https://sandbox.example.com/path"}, "is not an origin"),
        ({"sandbox_origin": "javascript:alert(1)"}, "is not an origin"),
        ({"app_origin": "example.com"}, "is not an origin"),
        (
            {
                "sandbox_origin": "https://same.example.com",
                "app_origin": "https://same.example.com",
            },
            "must differ from app_origin",
        ),
        ({"render_timeout_s": 0}, "render_timeout_s"),
    ],
)
def test_bad_origin_settings_are_refused(overrides, problem):
    with pytest.raises(ValidationError, match=problem):
        Settings(**overrides)


def test_origins_are_normalised():
    settings = Settings(sandbox_origin=" https://sandbox.example.com/ ")
    assert settings.sandbox_origin == "https://sandbox.example.com"
