"""Moving the sandbox's clock: `GET /sandbox/api/clock`, `POST /sandbox/api/clock`.

For tests and demos of whatever happens later (a reminder the day before, a hold expiring, a
consultation's window opening). After moving the clock, the clock-driven jobs run once, in
order, before the answer: a caller that then reads the chats sees what fell due. Only the
sandbox mounts these routes; the running jobs keep their own rhythm beside them (each job is
safe to overlap, bot/periodic.py).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from fastapi import APIRouter, HTTPException, Request
from pydantic import BaseModel, Field

from sandbox.clock import SandboxClock

router = APIRouter()

# Set by the sandbox once its bot runs: runs every clock-driven job once; the names run.
RunJobsOnce = Callable[[], Awaitable[list[str]]]

# A year: far enough for any reminder, near enough that a typo does not land in year 3000.
_MAX_ADVANCE_S = 366 * 24 * 3600


class Advance(BaseModel):
    seconds: float = Field(gt=0, le=_MAX_ADVANCE_S, description="how far to move forward")


def _clock(request: Request) -> SandboxClock:
    clock: SandboxClock | None = getattr(request.app.state, "clock", None)
    if clock is None:
        raise HTTPException(503, "the sandbox's bot is not running yet")
    return clock


def _view(clock: SandboxClock) -> dict[str, Any]:
    return {"now": clock.now().isoformat(), "offset_s": clock.offset.total_seconds()}


@router.get("/clock")
async def read_clock(request: Request) -> dict[str, Any]:
    """The sandbox's now and how far it is ahead of real time."""
    return _view(_clock(request))


@router.post("/clock")
async def advance_clock(body: Advance, request: Request) -> dict[str, Any]:
    """Move the clock forward by ``seconds``, then run the clock-driven jobs once."""
    clock = _clock(request)
    clock.advance(timedelta(seconds=body.seconds))
    run_jobs_once: RunJobsOnce | None = getattr(request.app.state, "run_jobs_once", None)
    jobs = await run_jobs_once() if run_jobs_once is not None else []
    return {**_view(clock), "jobs_run": jobs}
