"""Queue again the symptom checks whose analysis task was lost.

The queue delivers at least once only while the task exists: a Redis restart without
persistence drops every queued task, and a task that could not be queued at all (Redis down
at submit time) never existed. Such a check would stay `queued` forever and its owner would
never get the photo-refined result. This job finds checks whose result has not reached the
owner and that nothing has touched for a while, and queues them again.

Queuing a check twice is safe: `AnalyzeCheck` skips a check already delivered, and its
notification claim lets only one of two concurrent runs send the result.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from core.clock import Clock
from core.ports.queue import AnalysisQueue
from core.ports.repositories import SymptomCheckRepository
from core.ports.uow import UnitOfWork

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class RequeuePolicy:
    # Untouched this long: its task is presumed lost. Longer than the queue's own redelivery
    # of a dead worker's task, so the two do not race in the ordinary case.
    after: timedelta
    # Submitted longer ago than this: given up on (the result is in the pet's checks anyway).
    max_age: timedelta
    # One round queues at most this many; the next round takes the rest.
    batch: int = 100


class RequeueStuckChecks:
    """Queue again each undelivered check untouched for `policy.after`; returns their ids."""

    def __init__(
        self,
        uow: UnitOfWork,
        checks: SymptomCheckRepository,
        queue: AnalysisQueue,
        policy: RequeuePolicy,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._checks = checks
        self._queue = queue
        self._policy = policy
        self._clock = clock

    async def __call__(self) -> list[int]:
        now = self._clock.now()
        stuck = await self._checks.list_undelivered(
            unchanged_since=now - self._policy.after,
            submitted_after=now - self._policy.max_age,
            limit=self._policy.batch,
        )
        # End the read before talking to the queue: no transaction waits on Redis.
        await self._uow.commit()
        queued: list[int] = []
        try:
            for check_id in stuck:
                await self._queue.enqueue_check_analysis(check_id)
                queued.append(check_id)
        finally:
            # Only what was queued is touched (and so waits `after` again); the rest stays due
            # and the next round retries it. The error itself reaches the job's log.
            if queued:
                await self._checks.touch(queued, now)
                await self._uow.commit()
                logger.warning("queued again %d undelivered check(s): %s", len(queued), queued)
        return queued
