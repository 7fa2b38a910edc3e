"""The message manager when Telegram refuses a stored photo's file_id: the stored copy is
uploaded instead (and its new file_id remembered), or the window goes without its photo.

Telegram's refusals are the Bot API's texts (sources in dialogs/widgets/stored_media.py); the
bot here is a fake that knows some file_ids and refuses the rest, as Telegram does.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any, cast

import pytest
from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest
from aiogram.methods import SendPhoto
from aiogram.types import (
    BufferedInputFile,
    Chat,
    Document,
    InputMediaDocument,
    InputMediaPhoto,
    Message,
    PhotoSize,
)
from aiogram_dialog.api.entities import NewMessage, OldMessage
from PIL import Image

from bot.message_manager import StoredCopyMessageManager
from dialogs.widgets.stored_media import StoredCopy, StoredPhoto, refuses_file_id

CHAT = Chat(id=77, type="private")
STALE = "AgACAgIAAxkBAAI-stale"
WRONG_FILE_ID = "Bad Request: wrong file identifier/HTTP URL specified"


def _jpeg(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (90, 90, 90)).save(buffer, format="JPEG")
    return buffer.getvalue()


def _refusal(description: str) -> TelegramBadRequest:
    return TelegramBadRequest(method=SendPhoto(chat_id=CHAT.id, photo=STALE), message=description)


class FakeBot:
    """Sends and edits like Telegram, refusing every file_id it was not told about."""

    def __init__(self, refusal: str = WRONG_FILE_ID) -> None:
        self.refusal = refusal
        self.calls: list[tuple[str, Any]] = []
        self._next_id = 100

    def _message(self, **content: Any) -> Message:
        self._next_id += 1
        return Message(message_id=self._next_id, date=datetime.now(UTC), chat=CHAT, **content)

    def _check(self, media: Any) -> None:
        if isinstance(media, str):
            raise _refusal(self.refusal)

    def _photo(self, caption: str | None) -> Message:
        sizes = [
            PhotoSize(file_id="new-small", file_unique_id="s", width=90, height=67),
            PhotoSize(file_id="new-large", file_unique_id="l", width=640, height=480),
        ]
        return self._message(photo=sizes, caption=caption)

    def _document(self, caption: str | None) -> Message:
        document = Document(file_id="new-document", file_unique_id="d")
        return self._message(document=document, caption=caption)

    async def send_photo(self, chat_id: int, photo: Any, **kwargs: Any) -> Message:
        self.calls.append(("send_photo", photo))
        self._check(photo)
        return self._photo(kwargs.get("caption"))

    async def send_document(self, chat_id: int, document: Any, **kwargs: Any) -> Message:
        self.calls.append(("send_document", document))
        self._check(document)
        return self._document(kwargs.get("caption"))

    async def send_message(self, chat_id: int, text: str, **kwargs: Any) -> Message:
        self.calls.append(("send_message", text))
        return self._message(text=text)

    async def edit_message_media(self, *, media: Any, **kwargs: Any) -> Message:
        self.calls.append(("edit_message_media", media))
        self._check(media.media)
        if isinstance(media, InputMediaDocument):
            return self._document(media.caption)
        return self._photo(media.caption)

    async def delete_message(self, *, chat_id: int, message_id: int) -> bool:
        self.calls.append(("delete_message", message_id))
        return True


class Copy:
    """A stored copy and what it was told."""

    def __init__(self, data: bytes | None) -> None:
        self.data = data
        self.remembered: list[str] = []

    async def load(self) -> bytes | None:
        return self.data

    async def remember(self, file_id: str) -> None:
        self.remembered.append(file_id)

    def stored(self) -> StoredCopy:
        return StoredCopy(load=self.load, remember=self.remember)


def _card(copy: StoredCopy | None) -> NewMessage:
    return NewMessage(chat=CHAT, text="🐶 Rex", media=StoredPhoto(STALE, copy))


def _old_text_window() -> OldMessage:
    return OldMessage(chat=CHAT, message_id=50, media_id=None, media_uniq_id=None, text="menu")


def _old_photo_window() -> OldMessage:
    return OldMessage(chat=CHAT, message_id=50, media_id="other", media_uniq_id="o", text="🐱 Tom")


async def _show(bot: FakeBot, new: NewMessage, old: OldMessage | None) -> OldMessage:
    return await StoredCopyMessageManager().show_message(cast(Bot, bot), new, old)


async def test_a_refused_file_id_is_sent_again_as_the_stored_copy_and_remembered() -> None:
    bot, copy = FakeBot(), Copy(_jpeg(640, 480))
    shown = await _show(bot, _card(copy.stored()), None)
    assert [name for name, _ in bot.calls] == ["send_photo", "send_photo"]
    upload = bot.calls[1][1]
    assert isinstance(upload, BufferedInputFile) and upload.data == copy.data
    assert copy.remembered == ["new-large"]
    assert shown.media_id == "new-large"


async def test_a_refused_file_id_in_an_edit_is_replaced_by_the_stored_copy() -> None:
    bot, copy = FakeBot(), Copy(_jpeg(640, 480))
    shown = await _show(bot, _card(copy.stored()), _old_photo_window())
    assert [name for name, _ in bot.calls] == ["edit_message_media", "edit_message_media"]
    media = bot.calls[1][1]
    assert isinstance(media, InputMediaPhoto) and isinstance(media.media, BufferedInputFile)
    assert copy.remembered == ["new-large"]
    assert shown.message_id == 101


async def test_without_a_stored_copy_the_window_goes_without_its_photo() -> None:
    bot = FakeBot()
    shown = await _show(bot, _card(None), None)
    assert [name for name, _ in bot.calls] == ["send_photo", "send_message"]
    assert bot.calls[1][1] == "🐶 Rex"
    assert shown.media_id is None


async def test_an_edit_without_a_stored_copy_replaces_the_photo_message_with_text() -> None:
    bot = FakeBot()
    await _show(bot, _card(None), _old_photo_window())
    assert [name for name, _ in bot.calls] == [
        "edit_message_media",
        "delete_message",
        "send_message",
    ]


async def test_a_copy_lost_from_the_storage_counts_as_no_copy() -> None:
    bot, copy = FakeBot(), Copy(None)
    await _show(bot, _card(copy.stored()), _old_text_window())
    assert [name for name, _ in bot.calls][-1] == "send_message"
    assert copy.remembered == []


async def test_a_storage_that_fails_costs_the_photo_not_the_window() -> None:
    async def broken() -> bytes | None:
        raise OSError("storage unreachable")

    async def remember(file_id: str) -> None:
        raise AssertionError("nothing was uploaded")

    bot = FakeBot()
    await _show(bot, _card(StoredCopy(load=broken, remember=remember)), None)
    assert [name for name, _ in bot.calls] == ["send_photo", "send_message"]


async def test_a_copy_beyond_the_photo_rules_goes_as_a_document_and_is_not_remembered() -> None:
    # https://core.telegram.org/bots/api#sendphoto: width and height ratio at most 20.
    bot, copy = FakeBot(), Copy(_jpeg(40, 900))
    await _show(bot, _card(copy.stored()), None)
    assert [name for name, _ in bot.calls] == ["send_photo", "send_document"]
    # A document's file_id would be refused as a photo next time: the stale one stays.
    assert copy.remembered == []


async def test_a_failing_remember_still_shows_the_photo() -> None:
    async def load() -> bytes | None:
        return _jpeg(64, 48)

    async def remember(file_id: str) -> None:
        raise RuntimeError("database gone")

    bot = FakeBot()
    shown = await _show(bot, _card(StoredCopy(load=load, remember=remember)), None)
    assert shown.media_id == "new-large"


async def test_other_errors_are_not_swallowed() -> None:
    bot, copy = FakeBot(refusal="Bad Request: message caption is too long"), Copy(_jpeg(64, 48))
    with pytest.raises(TelegramBadRequest, match="caption is too long"):
        await _show(bot, _card(copy.stored()), None)
    assert copy.remembered == []


@pytest.mark.parametrize(
    ("description", "refused"),
    [
        ("Bad Request: wrong file identifier/HTTP URL specified", True),
        ("Bad Request: wrong remote file identifier specified: wrong padding in the string", True),
        ("Bad Request: Wrong remote file identifier specified: can't unserialize it", True),
        ("Bad Request: wrong remote file id specified: Wrong string length", True),
        ("Bad Request: FILE_REFERENCE_EXPIRED", True),
        ("Bad Request: can't use file of type Document as Photo", True),
        ("Bad Request: type of file mismatch", True),
        ("Bad Request: message is not modified", False),
        ("Bad Request: PHOTO_INVALID_DIMENSIONS", False),
        ("Bad Request: chat not found", False),
    ],
)
def test_refused_file_id_descriptions(description: str, refused: bool) -> None:
    assert refuses_file_id(_refusal(description)) is refused
