"""Photos shown by a Telegram file_id the bot saved earlier, and what to do when Telegram
refuses that file_id.

A saved file_id is not forever: Telegram answers 400 to one it no longer takes (after a token
change, a data-centre move, a file reference that expired, or an id stored wrong), and then
aiogram-dialog's message manager fails the whole window. A `StoredPhoto` carries, next to the
file_id, how to load our own copy of the picture; `bot.message_manager` uploads that copy when
the file_id is refused, and shows the window without the photo when there is no copy.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram.enums import ContentType
from aiogram.exceptions import TelegramBadRequest
from aiogram_dialog.api.entities import MediaAttachment, MediaId

# Telegram's answers to a file_id it will not send, lower-cased and matched as parts of the
# description (the Bot API has capitalised and suffixed some of them differently over the years):
# - "wrong file identifier/HTTP URL specified", "wrong remote file id specified", "type of file
#   mismatch": aiogram 2's table of Bot API errors (aiogram/utils/exceptions.py:
#   WrongFileIdentifier, WrongRemoteFileIdSpecified, TypeOfFileMismatch); the first is also the
#   sandbox emulator's WRONG_FILE_ID;
# - "wrong remote file identifier specified: ..." (wrong padding in the string, can't
#   unserialize it, Wrong string length): TDLib could not decode the id (tdlib/td,
#   td/telegram/files/FileManager.cpp, FileManager::from_persistent_id);
# - "FILE_REFERENCE_EXPIRED" / "FILE_REFERENCE_INVALID": the file reference inside the id went
#   stale (https://core.telegram.org/api/file_reference);
# - "can't use file of type Document as Photo": the id is of another kind, the emulator's
#   wording (sandbox/emulator/files.py) — it cannot show this photo either.
REFUSED_FILE_ID_ERRORS = (
    "wrong file identifier/http url specified",
    "wrong remote file identifier specified",
    "wrong remote file id specified",
    "type of file mismatch",
    "can't use file of type",
    "file_reference_expired",
    "file_reference_invalid",
)


def refuses_file_id(error: TelegramBadRequest) -> bool:
    """Whether Telegram refused a file_id (rather than, say, the caption or the chat)."""
    description = error.message.casefold()
    return any(phrase in description for phrase in REFUSED_FILE_ID_ERRORS)


@dataclass(frozen=True, slots=True)
class StoredCopy:
    """Our own copy of a picture Telegram knows by file_id.

    `load` returns its bytes, or None when there is no copy (never kept, or lost from the
    storage). `remember` is told the new file_id Telegram gave the uploaded copy, so the next
    view goes by file_id again.
    """

    load: Callable[[], Awaitable[bytes | None]]
    remember: Callable[[str], Awaitable[object]]
    filename: str = "photo.jpg"


class StoredPhoto(MediaAttachment):
    """A photo by Telegram file_id; `copy` (if any) is uploaded when Telegram refuses the id."""

    def __init__(self, file_id: str, copy: StoredCopy | None = None) -> None:
        super().__init__(ContentType.PHOTO, file_id=MediaId(file_id))
        self.copy = copy


class UploadedMedia(MediaAttachment):
    """Bytes uploaded as they are: aiogram-dialog's attachment knows urls, paths and file_ids."""

    def __init__(self, type: ContentType, data: bytes, filename: str) -> None:
        # MediaAttachment insists on one of url, path or file_id; the file name stands in as the
        # path. Only `bot.message_manager` sends these, and it never opens that path.
        super().__init__(type, path=filename)
        self.data = data
        self.filename = filename
