"""core's VetNotices for the chat: an admin's verdict on a vet's profile, in the vet's
language; a verified vet's chat also gets the vet's command menu. Messages go out through the
bot, whose outbound middleware waits out 429s and marks people who blocked the bot."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Final

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram_i18n.cores import FluentRuntimeCore

from bot.menu_commands import set_vet_menu_commands
from core.locales import resolve_locale
from core.ports.consultation_notices import Recipient

logger = logging.getLogger(__name__)

VERIFIED: Final = "msg-vet-verified-you"
REJECTED: Final = "msg-vet-rejected-you"


class BotVetNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore) -> None:
        self._bot = bot
        self._texts = texts

    async def verified_for_vet(self, vet: Recipient) -> None:
        await self._send(vet, VERIFIED)
        try:
            await set_vet_menu_commands(
                self._bot, self._texts.get, vet.telegram_id, resolve_locale(vet.language, None)
            )
        except Exception:  # the menu is a convenience: the commands work without it
            logger.warning("could not set the vet menu of %s", vet.telegram_id, exc_info=True)

    async def rejected_for_vet(self, vet: Recipient) -> None:
        await self._send(vet, REJECTED)

    async def _send(self, vet: Recipient, key: str) -> None:
        text = self._texts.get(key, resolve_locale(vet.language, None))
        try:
            await self._bot.send_message(vet.telegram_id, text)
        except TelegramForbiddenError:
            pass  # the vet blocked the bot: bot.outbound has marked them and logged it once
        except Exception:  # the decision stands; a lost notice is only logged
            logger.warning("could not tell vet %s about %s", vet.telegram_id, key, exc_info=True)


if TYPE_CHECKING:
    from core.ports.vet_notices import VetNotices

    def _conforms(bot: Bot, texts: FluentRuntimeCore) -> None:
        _notices: VetNotices = BotVetNotices(bot, texts)
