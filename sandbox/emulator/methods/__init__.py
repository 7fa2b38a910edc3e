"""Bot API methods; importing this package registers every one of them."""

from sandbox.emulator.methods import (  # noqa: F401 (imported for registration)
    bot_profile,
    media,
    messages,
    payments,
    queries,
    updates,
)
from sandbox.emulator.methods.registry import METHODS

__all__ = ["METHODS"]
