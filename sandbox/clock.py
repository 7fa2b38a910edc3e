"""The sandbox's clock: real time plus an offset that tests and demos move forward.

Reminders, holds, no-shows and consultation windows all read `core.clock.Clock`; in the sandbox
that is this clock, so "a vaccination due tomorrow" can be made due now with one call to
`POST /sandbox/api/clock` (sandbox/control/clock_routes.py), which then runs the clock-driven
jobs once, so whatever fell due has been sent by the time the call returns.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dishka import Provider, Scope, provide

from core.clock import Clock


class SandboxClock:
    """`Clock` that is `offset` ahead of the system clock; it only ever moves forward, as
    real time does (a job that saw a later instant must not see an earlier one)."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> datetime:
        if by < timedelta(0):
            raise ValueError("the sandbox clock only moves forward")
        self.offset += by
        return self.now()


class SandboxClockProvider(Provider):
    """Puts one `SandboxClock` in the container as the process's `Clock`."""

    def __init__(self, clock: SandboxClock) -> None:
        super().__init__()
        self._clock = clock

    @provide(scope=Scope.APP, override=True)
    def clock(self) -> Clock:
        return self._clock
