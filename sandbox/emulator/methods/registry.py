from collections.abc import Awaitable, Callable
from typing import Any

from sandbox.emulator.params import Params
from sandbox.emulator.state import EmulatorState

Handler = Callable[[EmulatorState, Params], Awaitable[Any]]

# Telegram matches method names case-insensitively: lower-cased name → (canonical name, handler)
METHODS: dict[str, tuple[str, Handler]] = {}


def bot_method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        METHODS[name.lower()] = (name, handler)
        return handler

    return register
