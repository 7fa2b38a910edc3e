"""The bot's pending updates, shared by getUpdates and webhook delivery."""

from typing import Any

from sandbox.emulator.signals import Signal

# What Telegram sends when allowed_updates is empty or was never set.
_NOT_SENT_BY_DEFAULT = frozenset({"chat_member", "message_reaction", "message_reaction_count"})


def update_type(update: dict[str, Any]) -> str:
    return next((key for key in update if key != "update_id"), "")


class UpdateQueue:
    def __init__(self) -> None:
        self._pending: list[dict[str, Any]] = []
        self._next_id = 1
        self.allowed_updates: list[str] | None = None
        self.arrived = Signal()

    def push(self, body: dict[str, Any]) -> int:
        update_id = self._next_id
        self._next_id += 1
        self._pending.append({"update_id": update_id, **body})
        self.arrived.notify()
        return update_id

    def saved(self) -> tuple[list[dict[str, Any]], int]:
        """Pending updates and the next update_id (for persistence.py)."""
        return list(self._pending), self._next_id

    def restore(self, pending: list[dict[str, Any]], next_id: int) -> None:
        # update_id keeps growing across restarts ("identifiers ... increase sequentially",
        # https://core.telegram.org/bots/api#update): a bot that kept running still confirms
        # with its old offset, which would swallow renumbered updates.
        self._pending = [*pending, *self._pending]
        self._next_id = max(self._next_id, next_id)

    def confirm(self, offset: int) -> None:
        """Telegram forgets every update below ``offset``; a negative one keeps the last N."""
        if offset < 0:
            self._pending = self._pending[offset:]
        else:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]

    def confirm_one(self, update_id: int) -> None:
        self._pending = [u for u in self._pending if u["update_id"] != update_id]

    def drop_all(self) -> None:
        self._pending.clear()

    def pending_count(self) -> int:
        return len(self._pending)

    def _allowed(self, update: dict[str, Any]) -> bool:
        kind = update_type(update)
        if self.allowed_updates:
            return kind in self.allowed_updates
        return kind not in _NOT_SENT_BY_DEFAULT

    def take(self, limit: int) -> list[dict[str, Any]]:
        """Up to ``limit`` deliverable updates; ones the bot did not subscribe to are dropped."""
        self._pending = [u for u in self._pending if self._allowed(u)]
        return self._pending[:limit]
