"""The send-reminders job's round (bot.periodic.send_due_reminders): its runs go at once, each
in a request scope of its own, their reports add up, and one failing run lets the others
finish before the error surfaces. The runs' exactly-once claim is tested on PostgreSQL in
tests/integration/test_reminders.py (two schedulers at once)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest

from bot.periodic import send_due_reminders
from core.interactors.reminder_delivery import DeliveryPolicy, DeliveryReport, SendDueReminders
from core.ports.reminders import CancelReason


class Run:
    def __init__(self, round_: Round, index: int) -> None:
        self._round = round_
        self._index = index

    async def __call__(self) -> DeliveryReport:
        self._round.in_flight += 1
        self._round.most_in_flight = max(self._round.most_in_flight, self._round.in_flight)
        await asyncio.sleep(0.01)
        self._round.in_flight -= 1
        if self._index == self._round.failing:
            raise RuntimeError("the database went away")
        self._round.finished += 1
        report = DeliveryReport(sent=self._index + 1, failed=1, handed_back=2)
        report.skip(CancelReason.BLOCKED)
        return report


class Round:
    """A container as the job sees it: the policy, and a request scope per run."""

    def __init__(self, senders: int, failing: int | None = None) -> None:
        self.policy = DeliveryPolicy(senders=senders)
        self.failing = failing
        self.scopes = 0
        self.in_flight = self.most_in_flight = self.finished = 0

    async def get(self, kind: type[Any]) -> Any:
        assert kind is DeliveryPolicy
        return self.policy

    @asynccontextmanager
    async def __call__(self) -> AsyncIterator[Any]:
        index = self.scopes
        self.scopes += 1
        round_ = self

        class Request:
            async def get(self, kind: type[Any]) -> Any:
                assert kind is SendDueReminders
                return Run(round_, index)

        yield Request()


async def test_the_runs_of_a_round_go_at_once_and_their_reports_add_up() -> None:
    container: Any = Round(senders=4)
    report = await send_due_reminders(container)

    assert container.scopes == 4 and container.most_in_flight == 4
    assert (report.sent, report.failed, report.handed_back) == (1 + 2 + 3 + 4, 4, 8)
    assert report.skipped == {CancelReason.BLOCKED: 4}


async def test_a_failing_run_lets_the_others_finish_then_fails_the_round() -> None:
    container: Any = Round(senders=3, failing=0)
    with pytest.raises(RuntimeError, match="went away"):
        await send_due_reminders(container)
    assert container.finished == 2
