"""WEBAPP__SERVE_OPENAPI: the API schema is published only when asked for (e.g. staging)."""

from __future__ import annotations

import httpx
import pytest

from core.config import Settings
from webapp.app import create_app


async def _schema_status(serve_openapi: bool) -> int:
    transport = httpx.ASGITransport(app=create_app(serve_openapi=serve_openapi))
    async with httpx.AsyncClient(transport=transport, base_url="http://webapp") as client:
        return (await client.get("/openapi.json")).status_code


async def test_the_schema_is_served_only_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("WEBAPP__SERVE_OPENAPI", raising=False)
    assert Settings().webapp.serve_openapi is False
    monkeypatch.setenv("WEBAPP__SERVE_OPENAPI", "true")
    assert Settings().webapp.serve_openapi is True
    assert await _schema_status(False) == 404
    assert await _schema_status(True) == 200
