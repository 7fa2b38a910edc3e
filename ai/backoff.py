"""Retrying a dependency that is down: exponential backoff with jitter, and bounded logging.

A worker whose Redis went away must neither spin (a tight retry loop wrote 423 MB of logs in
two minutes) nor go quiet: the first failure is logged at once, then one summary line per
`summary_every_s` with the count, and one line when the dependency is back.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Backoff:
    """Delays of base·2ⁿ, capped, with "equal jitter": half fixed, half random.

    The random half keeps a fleet of workers from reconnecting in lockstep after a restart;
    the fixed half keeps every delay above zero, so no retry is ever immediate.
    """

    base_s: float = 0.1
    cap_s: float = 10.0
    rng: random.Random = field(default_factory=random.Random)
    _failures: int = 0

    def next_delay(self) -> float:
        # The exponent is bounded too: 2**n would overflow a float after ~1000 failures.
        ceiling = min(self.cap_s, self.base_s * 2.0 ** min(self._failures, 32))
        self._failures += 1
        return float(ceiling / 2 + self.rng.uniform(0, ceiling / 2))

    def reset(self) -> None:
        self._failures = 0


@dataclass(slots=True)
class OutageLog:
    """Logs an outage in a bounded number of lines, however many retries it takes."""

    logger: logging.Logger
    what: str
    summary_every_s: float = 60.0
    clock: Callable[[], float] = time.monotonic
    _errors: int = 0
    _started: float = 0.0
    _last_line: float = 0.0
    _errors_at_last_line: int = 0

    @property
    def in_outage(self) -> bool:
        return self._errors > 0

    def failed(self, error: BaseException) -> None:
        now = self.clock()
        self._errors += 1
        if self._errors == 1:
            self._started = self._last_line = now
            self._errors_at_last_line = 1
            # One line, no traceback: the error is an outage, not a bug in this code.
            self.logger.warning("%s failed, retrying with backoff: %r", self.what, error)
            return
        if now - self._last_line >= self.summary_every_s:
            self.logger.warning(
                "%s still failing: %d errors in the last %.0f s (%d since %.0f s ago), last: %r",
                self.what,
                self._errors - self._errors_at_last_line,
                now - self._last_line,
                self._errors,
                now - self._started,
                error,
            )
            self._last_line = now
            self._errors_at_last_line = self._errors

    def recovered(self) -> None:
        if self._errors == 0:
            return
        self.logger.warning(
            "%s works again after %d errors in %.1f s",
            self.what,
            self._errors,
            self.clock() - self._started,
        )
        self._errors = 0
