"""Uploaded files, their file_ids and Telegram's PhotoSize sets."""

import asyncio
import hashlib
import io
import mimetypes
import secrets
from dataclasses import dataclass, field
from typing import Any

from PIL import Image, UnidentifiedImageError

from sandbox.emulator.errors import WRONG_FILE_ID, bad_request
from sandbox.emulator.file_paths import file_extension
from sandbox.emulator.params import Upload

# Telegram keeps the original and makes smaller copies with these longest sides.
_THUMBNAIL_SIDES = (90, 320, 800)
_MAX_DOWNLOAD_BYTES = 20 * 1024 * 1024
# file_id prefixes seen in real ids; some code sniffs them to tell photos from documents.
_FILE_ID_PREFIX = {"photo": "AgACAgIAAxkBAAI", "document": "BQACAgIAAxkBAAI"}


@dataclass(frozen=True)
class _PhotoCopies:
    size: tuple[int, int]
    mime_type: str
    thumbnails: list[tuple[bytes, tuple[int, int]]]  # JPEG bytes and size, smallest first


def _photo_copies(data: bytes) -> _PhotoCopies:
    """Telegram's smaller copies of a photo; touches no shared state (runs in a thread)."""
    try:
        image = Image.open(io.BytesIO(data))
        width, height = image.size
        # The copies are at most the largest thumbnail: a JPEG is decoded at 1/2-1/8 scale
        # (the header's size is kept for the original), and every copy is made from the one
        # before it, so a 48 MP photo never sits in memory whole, let alone once per copy.
        image.draft("RGB", (_THUMBNAIL_SIDES[-1], _THUMBNAIL_SIDES[-1]))
        image.load()
    except (UnidentifiedImageError, OSError) as exc:
        raise bad_request("IMAGE_PROCESS_FAILED") from exc
    mime_type = Image.MIME.get(image.format or "", "image/jpeg")
    # thumbnail() below shrinks in place, freeing the decoded picture; convert only if needed.
    copy = image if image.mode == "RGB" else image.convert("RGB")
    thumbnails: list[tuple[bytes, tuple[int, int]]] = []
    for side in reversed(_THUMBNAIL_SIDES):
        if max(width, height) <= side:
            continue
        copy.thumbnail((side, side))
        buffer = io.BytesIO()
        copy.save(buffer, format="JPEG", quality=80)
        thumbnails.append((buffer.getvalue(), copy.size))
    image.close()
    return _PhotoCopies((width, height), mime_type, thumbnails[::-1])


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    kind: str  # "photo" or "document"
    data: bytes
    file_path: str
    mime_type: str
    file_name: str | None = None
    width: int = 0
    height: int = 0
    # Every PhotoSize of the same photo: re-sending any of them returns the whole set.
    photo_set: list[dict[str, Any]] = field(default_factory=list)

    def photo_size(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "width": self.width,
            "height": self.height,
        }

    def document(self) -> dict[str, Any]:
        document: dict[str, Any] = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "mime_type": self.mime_type,
        }
        if self.file_name:
            document["file_name"] = self.file_name
        return document

    def api_file(self) -> dict[str, Any]:
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.data),
            "file_path": self.file_path,
        }


class FileStore:
    def __init__(self) -> None:
        self._by_id: dict[str, StoredFile] = {}
        self._by_path: dict[str, StoredFile] = {}
        self._counter = 0

    def _add(self, kind: str, data: bytes, mime_type: str, file_name: str | None) -> StoredFile:
        self._counter += 1
        folder = "photos" if kind == "photo" else "documents"
        extension = file_extension(file_name, mime_type)
        stored = StoredFile(
            file_id=_FILE_ID_PREFIX[kind] + secrets.token_urlsafe(40),
            file_unique_id="AQAD" + hashlib.sha256(data).hexdigest()[:12],
            kind=kind,
            data=data,
            file_path=f"{folder}/file_{self._counter}{extension}",
            mime_type=mime_type,
            file_name=file_name,
        )
        self._by_id[stored.file_id] = stored
        self._by_path[stored.file_path] = stored
        return stored

    def get(self, file_id: str) -> StoredFile | None:
        return self._by_id.get(file_id)

    def saved(self) -> tuple[list[StoredFile], int]:
        """Every file and the counter that numbers their paths (for persistence.py)."""
        return list(self._by_id.values()), self._counter

    def restore(self, files: list[StoredFile], counter: int) -> None:
        for stored in files:
            self._by_id[stored.file_id] = stored
            self._by_path[stored.file_path] = stored
        self._counter = max(self._counter, counter)

    def forget(self, file_id: str) -> bool:
        """Make `file_id` unknown, as Telegram does with one it no longer takes: sending or
        downloading it is then refused (WRONG_FILE_ID). Other sizes of the same photo stay."""
        stored = self._by_id.pop(file_id, None)
        if stored is None:
            return False
        self._by_path.pop(stored.file_path, None)
        return True

    def by_path(self, file_path: str) -> StoredFile | None:
        return self._by_path.get(file_path)

    def require(self, file_id: str) -> StoredFile:
        stored = self._by_id.get(file_id)
        if stored is None:
            raise bad_request(WRONG_FILE_ID)
        return stored

    def add_photo(self, upload: Upload) -> list[dict[str, Any]]:
        """Store a photo and its smaller copies; the PhotoSize list, smallest first."""
        return self._add_photo_set(upload.data, _photo_copies(upload.data))

    async def add_photo_off_loop(self, upload: Upload) -> list[dict[str, Any]]:
        """`add_photo` with the decoding in a thread: the bot shares this event loop."""
        copies = await asyncio.to_thread(_photo_copies, upload.data)
        return self._add_photo_set(upload.data, copies)

    def _add_photo_set(self, data: bytes, copies: _PhotoCopies) -> list[dict[str, Any]]:
        sizes: list[StoredFile] = []
        for jpeg, (width, height) in copies.thumbnails:
            thumbnail = self._add("photo", jpeg, "image/jpeg", None)
            thumbnail.width, thumbnail.height = width, height
            sizes.append(thumbnail)
        # The largest size keeps the uploaded bytes, so a download returns what was sent.
        original = self._add("photo", data, copies.mime_type, None)
        original.width, original.height = copies.size
        sizes.append(original)
        photo_set = [size.photo_size() for size in sizes]
        for size in sizes:
            size.photo_set = photo_set
        return photo_set

    def add_document(self, upload: Upload) -> dict[str, Any]:
        mime_type = (
            upload.content_type
            if upload.content_type and upload.content_type != "application/octet-stream"
            else mimetypes.guess_type(upload.filename)[0] or "application/octet-stream"
        )
        return self._add("document", upload.data, mime_type, upload.filename).document()

    def photo_by_reference(self, reference: Upload | str) -> list[dict[str, Any]]:
        if isinstance(reference, Upload):
            return self.add_photo(reference)
        stored = self.require(reference)
        if stored.kind != "photo":
            raise bad_request("can't use file of type Document as Photo")
        return stored.photo_set

    def document_by_reference(self, reference: Upload | str) -> dict[str, Any]:
        if isinstance(reference, Upload):
            return self.add_document(reference)
        stored = self.require(reference)
        if stored.kind != "document":
            raise bad_request("can't use file of type Photo as Document")
        return stored.document()

    def get_file(self, file_id: str) -> dict[str, Any]:
        stored = self.require(file_id)
        if len(stored.data) > _MAX_DOWNLOAD_BYTES:
            raise bad_request("file is too big")
        return stored.api_file()
