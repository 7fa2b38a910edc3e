"""A local stand-in for Telegram: Bot API emulator, control API and web chat page."""

from sandbox.app import create_sandbox_app
from sandbox.token import make_token

__all__ = ["create_sandbox_app", "make_token"]
