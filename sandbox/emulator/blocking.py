"""A user who blocks the bot, and unblocks it by writing again, as in Telegram.

While blocked, sending to the user answers 403 "Forbidden: bot was blocked by the user"
(e.g. github.com/irazasyed/telegram-bot-sdk/issues/651 for sendMessage,
github.com/fuomag9/ChaturbateBot/issues/34 for sendChatAction). Each change reaches the bot as a
my_chat_member update: "For private chats, this update is received only when the bot is blocked
or unblocked by the user" (https://core.telegram.org/bots/api#update).
"""

from typing import Any

from sandbox.emulator.errors import BotApiError
from sandbox.emulator.models import SandboxUser
from sandbox.emulator.state import EmulatorState

BOT_WAS_BLOCKED = "Forbidden: bot was blocked by the user"


def ensure_not_blocked(user: SandboxUser) -> None:
    if user.has_blocked_bot:
        raise BotApiError(403, BOT_WAS_BLOCKED)


def _bot_member(state: EmulatorState, blocked: bool) -> dict[str, Any]:
    # A blocked bot is a "kicked" member; until_date 0 means "forever" (ChatMemberBanned).
    if blocked:
        return {"status": "kicked", "user": state.bot.to_api(), "until_date": 0}
    return {"status": "member", "user": state.bot.to_api()}


def set_blocked(state: EmulatorState, user: SandboxUser, blocked: bool) -> int | None:
    """Block or unblock; the my_chat_member update_id, or None when nothing changed."""
    if user.has_blocked_bot == blocked:
        return None
    user.has_blocked_bot = blocked
    return state.updates.push(
        {
            "my_chat_member": {
                "chat": user.private_chat(),
                "from": user.to_api(),
                "date": int(state.clock()),
                "old_chat_member": _bot_member(state, not blocked),
                "new_chat_member": _bot_member(state, blocked),
            }
        }
    )
