"""The sandbox's clock control: moved forward over HTTP, seen by every interactor, and the
clock-driven jobs run before the answer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from bot.periodic import DEFAULT_JOBS
from bot.run_modes import RunningSandbox, running_sandbox
from core.clock import Clock
from tests.conftest import make_settings

DAY_S = 24 * 3600


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("clock")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=60) as client:
        yield client


async def _container_now(sandbox: RunningSandbox) -> datetime:
    async with sandbox.bot_app.container() as request:
        clock: Clock = await request.get(Clock)
        return clock.now()


async def test_the_clock_moves_forward_for_every_interactor_and_runs_the_jobs(
    sandbox: RunningSandbox, api: httpx.AsyncClient
) -> None:
    before = (await api.get("/sandbox/api/clock")).json()
    assert before["offset_s"] == sandbox.clock.offset.total_seconds()

    moved = await api.post("/sandbox/api/clock", json={"seconds": DAY_S})
    assert moved.status_code == 200, moved.text
    body = moved.json()
    assert body["offset_s"] == before["offset_s"] + DAY_S
    assert body["jobs_run"] == [job.name for job in DEFAULT_JOBS]
    now = await _container_now(sandbox)
    real = datetime.now(UTC)
    assert real + timedelta(seconds=DAY_S - 60) < now <= real + timedelta(seconds=DAY_S + 60)
    assert datetime.fromisoformat(body["now"]) <= now


@pytest.mark.parametrize("seconds", [0, -3600, 400 * DAY_S, "soon"])
async def test_the_clock_refuses_to_go_back_or_too_far(
    sandbox: RunningSandbox, api: httpx.AsyncClient, seconds: object
) -> None:
    offset = sandbox.clock.offset
    refused = await api.post("/sandbox/api/clock", json={"seconds": seconds})
    assert refused.status_code == 422
    assert sandbox.clock.offset == offset
