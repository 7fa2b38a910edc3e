"""An in-memory Telegram Bot API server that answers like Telegram, errors included."""

from sandbox.emulator.state import EmulatorState

__all__ = ["EmulatorState"]
