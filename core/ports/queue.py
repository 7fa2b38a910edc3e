"""Work handed to background workers. Arguments are ids: the worker loads the rest."""

from __future__ import annotations

from typing import Protocol


class AnalysisQueue(Protocol):
    async def enqueue_check_analysis(self, check_id: int) -> None:
        """Deliver `analyze_check(check_id)` to a worker at least once."""
        ...
