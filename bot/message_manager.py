"""aiogram-dialog's message manager, made to survive a photo file_id that Telegram refuses.

A window whose photo is a `StoredPhoto` (dialogs/widgets/stored_media.py) is sent or edited by
file_id as before. When Telegram refuses that file_id, the same send or edit is made again
with our stored copy uploaded — as a document if the copy is beyond Telegram's photo rules —
and the new file_id is handed to the copy's `remember`; without a copy, the window goes without
its photo. Either way the user gets the window, never "something went wrong".
"""

from __future__ import annotations

import dataclasses
import logging

from aiogram import Bot
from aiogram.enums import ContentType
from aiogram.exceptions import TelegramBadRequest
from aiogram.types import BufferedInputFile, InputFile, Message
from aiogram_dialog.api.entities import MediaAttachment, NewMessage, OldMessage
from aiogram_dialog.manager.message_manager import MessageManager

from dialogs.widgets.limits import fits_photo_rules
from dialogs.widgets.stored_media import StoredPhoto, UploadedMedia, refuses_file_id

logger = logging.getLogger(__name__)


class StoredCopyMessageManager(MessageManager):
    """Upstream's manager; a refused `StoredPhoto` file_id falls back to the stored copy."""

    async def get_media_source(self, media: MediaAttachment, bot: Bot) -> InputFile | str:
        if isinstance(media, UploadedMedia):
            return BufferedInputFile(media.data, filename=media.filename)
        return await super().get_media_source(media, bot)

    async def send_media(self, bot: Bot, new_message: NewMessage) -> Message:
        try:
            return await super().send_media(bot, new_message)
        except TelegramBadRequest as error:
            fallback = await self._fallback(new_message, error)
        if fallback.media is None:
            return await self.send_text(bot, fallback)
        sent = await super().send_media(bot, fallback)
        await self._remember(new_message, fallback, sent)
        return sent

    async def edit_media(
        self, bot: Bot, new_message: NewMessage, old_message: OldMessage
    ) -> Message:
        try:
            return await super().edit_media(bot, new_message, old_message)
        except TelegramBadRequest as error:
            fallback = await self._fallback(new_message, error)
        if fallback.media is None:
            # A message with a photo cannot be edited into a text message: a new one instead.
            await self.remove_message_safe(bot, old_message, fallback)
            return await self.send_text(bot, fallback)
        edited = await super().edit_media(bot, fallback, old_message)
        await self._remember(new_message, fallback, edited)
        return edited

    async def _fallback(self, new_message: NewMessage, error: TelegramBadRequest) -> NewMessage:
        """The same message with the stored copy as an upload, or with no media at all;
        re-raises `error` for anything but a refused `StoredPhoto` file_id."""
        media = new_message.media
        if not isinstance(media, StoredPhoto) or not refuses_file_id(error):
            raise error
        file_id = media.file_id.file_id if media.file_id else None
        logger.warning("Telegram refused a stored photo file_id %s: %s", file_id, error.message)
        data = await _load(media)
        if data is None:
            return dataclasses.replace(new_message, media=None)
        # Our copy may be a picture Telegram takes only as a document (a long panorama).
        kind = ContentType.PHOTO if fits_photo_rules(data) else ContentType.DOCUMENT
        assert media.copy is not None  # _load returned bytes
        upload = UploadedMedia(kind, data, media.copy.filename)
        return dataclasses.replace(new_message, media=upload)

    async def _remember(self, original: NewMessage, fallback: NewMessage, sent: Message) -> None:
        media = original.media
        uploaded = fallback.media
        if not isinstance(media, StoredPhoto) or media.copy is None:
            return
        if uploaded is None or uploaded.type != ContentType.PHOTO or not sent.photo:
            return  # a document's file_id cannot be sent as a photo next time
        # The largest size, the one the bot saved in the first place.
        try:
            await media.copy.remember(sent.photo[-1].file_id)
        except Exception:
            # The user has the photo now; the next view only uploads the copy once more.
            logger.warning("could not remember the new file_id of a stored photo", exc_info=True)


async def _load(media: StoredPhoto) -> bytes | None:
    if media.copy is None:
        return None
    try:
        return await media.copy.load()
    except Exception:
        # A storage that fails now costs the photo, not the window.
        logger.warning("could not load the stored copy of a photo", exc_info=True)
        return None
