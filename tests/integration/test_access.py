"""The optional API token, CORS and the security headers, over real HTTP."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from plotwise.app import create_app
from plotwise.settings import Settings
from support.live_server import live_server
from support.metrics import grew, scrape

TOKEN = "s3cret-token-for-tests"


SCHEMA_PATHS = create_app(Settings(api_token=TOKEN)).openapi()["paths"]
"""The routes of a freshly built app, as its OpenAPI schema lists them."""

API_OPERATIONS = [
    (method.upper(), path)
    for path, operations in SCHEMA_PATHS.items()
    if path.startswith("/api/")
    for method in operations
    if method in ("get", "post", "put", "patch", "delete")
]


def _concrete(path: str) -> str:
    """The path with each ``{parameter}`` replaced by a dummy value (``1`` is an int and a str)."""
    return re.sub(r"\{[^}]+\}", "1", path)


@pytest.fixture(scope="module")
def token_server(app_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server with ``api_token`` set, over its own store (so DELETEs touch nothing shared)."""
    store = tmp_path_factory.mktemp("access") / "store.db"
    settings = Settings.model_validate(
        app_settings.model_dump() | {"api_token": TOKEN, "database_url": f"sqlite:///{store}"}
    )
    with live_server(create_app(settings)) as url:
        yield url


def test_the_schema_lists_the_api():
    assert len(API_OPERATIONS) > 20
    assert ("POST", "/api/chat") in API_OPERATIONS
    # Besides the API, the schema has at most the "frontend not built" page.
    assert [path for path in SCHEMA_PATHS if not path.startswith("/api/")] in ([], ["/"])


@pytest.mark.parametrize(
    ("method", "path"), API_OPERATIONS, ids=[f"{method} {path}" for method, path in API_OPERATIONS]
)
def test_every_api_route_needs_the_token(token_server: str, method: str, path: str):
    url = token_server + _concrete(path)
    missing = httpx.request(method, url)
    assert missing.status_code == 401
    assert missing.headers["www-authenticate"] == "Bearer"
    assert missing.json()["error"]["code"] == "unauthorized"
    assert "missing" in missing.json()["error"]["message"]

    wrong = httpx.request(method, url, headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    assert wrong.headers["www-authenticate"] == "Bearer"
    assert wrong.json()["error"]["code"] == "unauthorized"

    right = httpx.request(method, url, headers={"Authorization": f"Bearer {TOKEN}"})
    assert right.status_code != 401


@pytest.mark.parametrize(
    "authorization", [TOKEN, f"Basic {TOKEN}", "Bearer", f"Bearer {TOKEN}x", f"Bearer {TOKEN[:-1]}"]
)
def test_malformed_or_near_tokens_are_refused(token_server: str, authorization: str):
    response = httpx.get(f"{token_server}/api/config", headers={"Authorization": authorization})
    assert response.status_code == 401


def test_the_right_token_opens_the_api(token_server: str):
    for scheme in ("Bearer", "bearer"):
        response = httpx.get(
            f"{token_server}/api/config", headers={"Authorization": f"{scheme} {TOKEN}"}
        )
        assert response.status_code == 200
        assert response.json()["models"]


def test_unknown_api_paths_need_the_token_too(token_server: str):
    """A 404 without the token would tell a stranger which routes exist."""
    assert httpx.get(f"{token_server}/api/no-such-route").status_code == 401
    assert httpx.get(f"{token_server}/api").status_code == 401
    known = httpx.get(
        f"{token_server}/api/no-such-route", headers={"Authorization": f"Bearer {TOKEN}"}
    )
    assert known.status_code == 404


def test_operator_endpoints_and_the_page_stay_open(token_server: str):
    metrics = httpx.get(f"{token_server}/metrics")
    assert metrics.status_code == 200
    assert "plotwise" in metrics.text
    page = httpx.get(f"{token_server}/")
    assert page.status_code == 200
    assert "content-security-policy" in page.headers


def test_refusals_carry_the_security_headers(token_server: str):
    response = httpx.get(f"{token_server}/api/config")
    assert response.status_code == 401
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


def test_refusals_are_counted_in_the_error_metric(token_server: str):
    before = scrape(token_server)
    for _ in range(3):
        assert httpx.get(f"{token_server}/api/config").status_code == 401
    after = scrape(token_server)
    assert grew(before, after, "plotwise_errors_total", code="unauthorized") == 3


def test_without_a_token_setting_the_api_is_open(local_server: str):
    assert httpx.get(f"{local_server}/api/config").status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/config"])
def test_app_answers_carry_nosniff_and_no_referrer(local_server: str, path: str):
    response = httpx.get(local_server + path)
    assert response.status_code == 200
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"


# CORS

ALLOWED = "https://dashboards.example.com"


@pytest.fixture(scope="module")
def cors_server(app_settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server that lets ``ALLOWED`` call its API, with the token set too."""
    store: Path = tmp_path_factory.mktemp("cors") / "store.db"
    settings = Settings.model_validate(
        app_settings.model_dump()
        | {"api_token": TOKEN, "cors_origins": [ALLOWED], "database_url": f"sqlite:///{store}"}
    )
    with live_server(create_app(settings)) as url:
        yield url


def _preflight(url: str, origin: str) -> httpx.Response:
    return httpx.options(
        f"{url}/api/chat",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "authorization, content-type",
        },
    )


def test_an_allowed_origin_gets_cors_answers(cors_server: str):
    preflight = _preflight(cors_server, ALLOWED)
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == ALLOWED
    assert "authorization" in preflight.headers["access-control-allow-headers"].lower()
    assert "POST" in preflight.headers["access-control-allow-methods"]

    call = httpx.get(
        f"{cors_server}/api/config",
        headers={"Origin": ALLOWED, "Authorization": f"Bearer {TOKEN}"},
    )
    assert call.status_code == 200
    assert call.headers["access-control-allow-origin"] == ALLOWED

    # The page must be able to read a 401 to ask for the token.
    refused = httpx.get(f"{cors_server}/api/config", headers={"Origin": ALLOWED})
    assert refused.status_code == 401
    assert refused.headers["access-control-allow-origin"] == ALLOWED


@pytest.mark.parametrize(
    "origin", ["https://evil.example.com", "null", "http://dashboards.example.com"]
)
def test_other_origins_get_no_cors_answers(cors_server: str, origin: str):
    preflight = _preflight(cors_server, origin)
    assert preflight.status_code == 400
    assert "access-control-allow-origin" not in preflight.headers
    call = httpx.get(
        f"{cors_server}/api/config",
        headers={"Origin": origin, "Authorization": f"Bearer {TOKEN}"},
    )
    assert call.status_code == 200
    assert "access-control-allow-origin" not in call.headers


def test_no_cors_headers_without_the_setting(local_server: str):
    call = httpx.get(f"{local_server}/api/config", headers={"Origin": ALLOWED})
    assert call.status_code == 200
    assert not [name for name in call.headers if name.startswith("access-control-")]
    preflight = _preflight(local_server, ALLOWED)
    assert "access-control-allow-origin" not in preflight.headers


@pytest.mark.parametrize("value", ["null", "https://ok.example.com,null", '["NULL"]', "*"])
def test_the_null_origin_is_refused_by_name(value: str, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLOTWISE_CORS_ORIGINS", value)
    with pytest.raises(
        ValidationError, match=r"PLOTWISE_CORS_ORIGINS: '(null|NULL|\*)' is refused"
    ):
        Settings()


@pytest.mark.parametrize("value", ["example.com", "https://example.com/path", "ftp://x.example"])
def test_cors_origins_must_be_origins(value: str):
    with pytest.raises(ValidationError, match="is not an origin"):
        Settings(cors_origins=[value])


def test_cors_origins_are_read_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLOTWISE_CORS_ORIGINS", " https://a.example.com/ ,http://b.example:3000")
    monkeypatch.setenv("PLOTWISE_API_TOKEN", " abc ")
    settings = Settings()
    assert settings.cors_origins == ["https://a.example.com", "http://b.example:3000"]
    assert settings.api_token is not None
    assert settings.api_token.get_secret_value() == "abc"
    assert "abc" not in repr(settings)


def test_a_blank_token_means_no_token(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("PLOTWISE_API_TOKEN", "  ")
    assert Settings().api_token is None
