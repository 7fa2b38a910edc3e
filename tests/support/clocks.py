"""Clocks for tests that run the real container: the system time, moved on at will."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from dishka import Provider, Scope, provide

from core.clock import Clock


class ShiftedClock:
    """The system time plus `shift`: a due date or an expiry without waiting for it, while
    everything that reads the real time (the emulator, the database) stays consistent."""

    def __init__(self) -> None:
        self.shift = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.shift


def clock_provider(clock: Clock) -> Provider:
    """A provider that makes `clock` the container's `Clock`."""

    class ClockProvider(Provider):
        @provide(scope=Scope.APP)
        def clock(self) -> Clock:
            return clock

    return ClockProvider()
