"""The Mini App's page and static files: the script it loads, its CSP and cache headers."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.config import MiniAppSection
from webapp.miniapp.pages import build_miniapp_pages_router, call_provider_origins


def _client(script_url: str) -> TestClient:
    app = FastAPI()
    app.include_router(build_miniapp_pages_router(script_url))
    return TestClient(app)


def test_production_page_loads_telegrams_script_and_allows_its_origin_only() -> None:
    response = _client(MiniAppSection().telegram_script_url).get("/miniapp/?appointment=7")
    assert response.status_code == 200
    assert '<script src="https://telegram.org/js/telegram-web-app.js"></script>' in response.text
    policy = response.headers["content-security-policy"]
    csp = dict(part.strip().split(" ", 1) for part in policy.split(";"))
    assert csp["script-src"] == "'self' https://telegram.org"
    assert csp["default-src"] == "'self'"
    assert "blob:" in csp["img-src"]
    assert "mediastream:" in csp["media-src"]
    assert "no-cache" in response.headers["cache-control"]


def test_sandbox_page_loads_the_stand_in_from_its_own_origin() -> None:
    response = _client("/sandbox/telegram-web-app.js").get("/miniapp/")
    assert '<script src="/sandbox/telegram-web-app.js"></script>' in response.text
    assert "script-src 'self';" in response.headers["content-security-policy"]


def test_a_script_url_cannot_break_out_of_its_attribute() -> None:
    response = _client('https://cdn.example/x.js"><script>alert(1)</script>').get("/miniapp/")
    assert "<script>alert(1)" not in response.text
    assert "&quot;&gt;&lt;script&gt;" in response.text


def test_static_modules_are_served_as_javascript_and_revalidated() -> None:
    client = _client(MiniAppSection().telegram_script_url)
    response = client.get("/miniapp/static/app.js")
    assert response.status_code == 200
    assert "javascript" in response.headers["content-type"]
    assert response.headers["cache-control"] == "no-cache"
    etag = response.headers["etag"]
    again = client.get("/miniapp/static/app.js", headers={"If-None-Match": etag})
    assert again.status_code == 304
    assert client.get("/miniapp/static/screens/call.js").status_code == 200


def test_nothing_outside_the_static_folder_is_served() -> None:
    client = _client(MiniAppSection().telegram_script_url)
    assert client.get("/miniapp/static/../pages.py").status_code == 404
    assert client.get("/miniapp/static/%2e%2e/pages.py").status_code == 404
    assert client.get("/miniapp/static/missing.js").status_code == 404


def test_a_daily_call_may_reach_dailys_domains_and_a_builtin_one_nothing_else() -> None:
    app = FastAPI()
    script = MiniAppSection().telegram_script_url
    app.include_router(build_miniapp_pages_router(script, call_provider_origins("daily")))
    policy = TestClient(app).get("/miniapp/").headers["content-security-policy"]
    assert "connect-src 'self' https://*.daily.co wss://*.daily.co;" in policy
    assert call_provider_origins("builtin") == ()
