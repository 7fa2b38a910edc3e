"""core's SharingNotices for the chat: "Anna accepted the invite to Мурзик", in the reader's
language, and their open window redrawn (a sharing screen of that pet then lists Anna).

Texts come from the locales through the escaping i18n core (bot/i18n.py), so a newcomer's name
cannot format the message; messages go out through the bot, whose outbound middleware waits
out 429s and marks people who blocked it.
"""

from __future__ import annotations

import logging

from aiogram import Bot
from aiogram.exceptions import TelegramForbiddenError
from aiogram_dialog import ShowMode
from aiogram_i18n.cores import FluentRuntimeCore

from bot.notifier import DialogNotifier
from core.locales import resolve_locale
from core.ports.sharing_notices import InviteAcceptedNotice, SharingRecipient
from dialogs.sharing.getters import display_name
from dialogs.widgets.labels import ACCESS_LABELS

logger = logging.getLogger(__name__)


class BotSharingNotices:
    def __init__(self, bot: Bot, texts: FluentRuntimeCore, windows: DialogNotifier) -> None:
        self._bot = bot
        self._texts = texts
        self._windows = windows

    async def invite_accepted(
        self, recipient: SharingRecipient, notice: InviteAcceptedNotice
    ) -> None:
        locale = resolve_locale(recipient.language, None)
        text = self._texts.get(
            "msg-sharing-invite-accepted-owner",
            locale,
            member=display_name(
                notice.member_name,
                notice.member_username,
                self._texts.get("lbl-sharing-member-unnamed", locale),
            ),
            name=notice.pet_name,
            level=self._texts.get(ACCESS_LABELS[notice.level], locale),
        )
        try:
            await self._bot.send_message(recipient.telegram_id, text)
        except TelegramForbiddenError:
            return  # they blocked the bot: bot.outbound has marked them and logged it once
        except Exception:
            logger.exception(
                "could not tell chat %s about an accepted invite", recipient.telegram_id
            )
            return
        await self._redraw_sharing(recipient.telegram_id)

    async def _redraw_sharing(self, telegram_id: int) -> None:
        """The recipient's open window drawn again: a sharing screen lists the newcomer now.

        A background update, not `fg()`: this runs inside the newcomer's update, which holds
        its database session (SQLite has one connection) until it ends, and the redraw reads
        the database; aiogram-dialog runs the update once the newcomer's is over. Edited in
        place: another window comes out the same, and "message is not modified" is no error
        to aiogram-dialog.
        """
        bound = self._windows.bound
        if bound is None:
            return  # a process without dialogs (a test container): the message is enough
        bot, dialogs = bound
        manager = dialogs.bg(bot, user_id=telegram_id, chat_id=telegram_id, load=False)
        try:
            await manager.update({}, show_mode=ShowMode.EDIT)
        except Exception:
            # The notice went out; a stale screen is redrawn by the owner's next press.
            logger.warning("could not redraw the window of chat %s", telegram_id, exc_info=True)
