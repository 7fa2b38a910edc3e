"""The transaction boundary, owned by interactors."""

from __future__ import annotations

from typing import Protocol


class UnitOfWork(Protocol):
    """One database transaction shared by the repositories of a request.

    Repositories only stage changes (they may flush, to learn generated ids or hit
    constraints); nothing is durable until the interactor calls `commit`. A request that ends
    without `commit` is rolled back.
    """

    async def commit(self) -> None:
        """Make every change staged since the last commit durable."""
        ...

    async def rollback(self) -> None:
        """Discard every change staged since the last commit."""
        ...
