"""Keeps the emulator's world on disk, so that a restarted sandbox still has its users, chats,
messages, files (every file_id the bot saved in its database), charges and bot settings.

The data directory holds ``state.json`` (everything but file contents, replaced atomically) and
``files/<sha256>`` (contents, each written once, so a big file costs nothing on later saves).

Dataclasses are written field by field through ``dataclasses.fields``: a field added to
SandboxUser, Chat, StoredMessage, StoredFile or Charge is kept without a change here as long as
its value is plain JSON. Fields that point at other objects (a message's chat, sender and
reply) are written as ids. The update queue keeps what the bot has not fetched yet, as
Telegram stores updates until the bot receives them
(https://core.telegram.org/bots/api#getting-updates); pending callback and pre-checkout
queries are dropped, as the control API call that waited for their answer is gone (Telegram,
too, stops accepting an answer after a short while: state.py's answer windows).
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import hashlib
import json
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NamedTuple, TypeVar

from sandbox.emulator.files import StoredFile
from sandbox.emulator.models import Charge, Chat, SandboxUser, StoredMessage
from sandbox.emulator.state import EmulatorState

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

logger = logging.getLogger(__name__)

SNAPSHOT_FILE: Final = "state.json"
FILES_DIR: Final = "files"
FORMAT_VERSION: Final = 1
# A burst of changes (a dialog redrawing its window, a photo and its caption) costs one write.
SAVE_INTERVAL_S: Final = 0.5
# Updates answered by a control API call that a restart ended (see the module docstring).
_QUERY_UPDATES: Final = frozenset({"callback_query", "pre_checkout_query"})

T = TypeVar("T", bound="DataclassInstance")


class SandboxDataError(RuntimeError):
    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(
            f"cannot read the sandbox's saved state {path}: {reason}. "
            "Move the folder away to start with an empty sandbox."
        )


# ---------- dataclasses ↔ JSON, field by field ----------


def _is_json(value: object) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_is_json(item) for item in value)
    if isinstance(value, dict):
        return all(isinstance(key, str) and _is_json(item) for key, item in value.items())
    return False


_skipped_fields: set[tuple[str, str]] = set()


def encode_fields(
    obj: DataclassInstance, special: Mapping[str, Callable[[Any], Any]] | None = None
) -> dict[str, Any]:
    """Every field of ``obj``: plain JSON values as they are, ``special`` ones converted.

    A field holding anything else is left out (and said so once), rather than failing the
    whole save.
    """
    special = special or {}
    encoded: dict[str, Any] = {}
    for field in dataclasses.fields(obj):
        value = getattr(obj, field.name)
        if field.name in special:
            encoded[field.name] = special[field.name](value)
        elif _is_json(value):
            encoded[field.name] = value
        elif (type(obj).__name__, field.name) not in _skipped_fields:
            _skipped_fields.add((type(obj).__name__, field.name))
            logger.warning(
                "%s.%s is not plain JSON: the sandbox does not keep it across restarts",
                type(obj).__name__,
                field.name,
            )
    return encoded


def decode_fields(cls: type[T], saved: Mapping[str, Any], /, **resolved: Any) -> T:
    """``cls`` from ``encode_fields``'s output, with ``resolved`` fields given as objects.

    A field the file lacks (added since it was written) takes its default; a key no field has
    any more is ignored.
    """
    fields = {field.name: field for field in dataclasses.fields(cls)}
    values = {name: value for name, value in saved.items() if name in fields}
    values.update(resolved)
    obj = cls(**{name: value for name, value in values.items() if fields[name].init})
    for name, value in values.items():
        if not fields[name].init:
            setattr(obj, name, value)
    return obj


# ---------- the world ↔ a snapshot ----------


def _blob_name(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _constant(value: object) -> Callable[[Any], object]:
    return lambda _: value


class NewBlob(NamedTuple):
    file_id: str
    name: str
    data: bytes


class _Snapshot:
    """Turns the state into JSON and back; remembers which file contents are on disk."""

    def __init__(self, state: EmulatorState) -> None:
        self.state = state
        # file_id → blob name: hashing every file on every save would cost as much as writing.
        self.blob_names: dict[str, str] = {}

    def encode(self) -> tuple[dict[str, Any], list[NewBlob]]:
        """The snapshot, and the file contents it names that are not on disk yet."""
        state = self.state
        files, file_counter = state.files.saved()
        new_blobs: list[NewBlob] = []
        encoded_files = []
        for stored in files:
            name = self.blob_names.get(stored.file_id)
            if name is None:
                name = _blob_name(stored.data)
                new_blobs.append(NewBlob(stored.file_id, name, stored.data))
            # The contents go to files/; the snapshot names them.
            encoded_files.append(encode_fields(stored, {"data": _constant(name)}))
        pending, next_update_id = state.updates.saved()
        snapshot = {
            "version": FORMAT_VERSION,
            "bot_id": state.bot.id,
            "revision": state._revision,
            "users": [encode_fields(user) for user in state.users.values()],
            "chats": [self._encode_chat(chat) for chat in state.chats.values()],
            "files": {"counter": file_counter, "items": encoded_files},
            "charges": [encode_fields(charge) for charge in state.charges.values()],
            "commands": [
                {"scope": scope, "language_code": language, "commands": commands}
                for (scope, language), commands in state.commands.items()
            ],
            "menu_buttons": [
                {"chat_id": chat_id, "menu_button": button}
                for chat_id, button in state.menu_buttons.items()
            ],
            "profile_texts": [
                {"family": family, "language_code": language, "text": text}
                for (family, language), text in state.profile_texts.items()
            ],
            "updates": {
                "next_update_id": next_update_id,
                "allowed_updates": state.updates.allowed_updates,
                "pending": pending,
            },
        }
        return snapshot, new_blobs

    @staticmethod
    def _encode_chat(chat: Chat) -> dict[str, Any]:
        def reply_id(message: StoredMessage | None) -> int | None:
            return message.message_id if message is not None else None

        def user_id(user: SandboxUser) -> int:
            return user.id

        messages = [
            encode_fields(message, {"chat": user_id, "sender": user_id, "reply_to": reply_id})
            for message in chat.messages
        ]
        return encode_fields(chat, {"user": user_id, "messages": lambda _: messages})

    def decode(self, snapshot: dict[str, Any], files_dir: Path) -> None:
        state = self.state
        for data in snapshot["users"]:
            user = decode_fields(SandboxUser, data)
            state.users[user.id] = user
        for data in snapshot["chats"]:
            chat = self._decode_chat(data, saved_bot_id=snapshot["bot_id"])
            state.chats[chat.user.id] = chat
        state._revision = max(state._revision, snapshot["revision"])
        state.files.restore(
            self._decode_files(snapshot["files"]["items"], files_dir),
            snapshot["files"]["counter"],
        )
        for data in snapshot["charges"]:
            charge = decode_fields(Charge, data)
            state.charges[charge.charge_id] = charge
        for entry in snapshot["commands"]:
            state.commands[(entry["scope"], entry["language_code"])] = entry["commands"]
        for entry in snapshot["menu_buttons"]:
            state.menu_buttons[entry["chat_id"]] = entry["menu_button"]
        for entry in snapshot["profile_texts"]:
            state.profile_texts[(entry["family"], entry["language_code"])] = entry["text"]
        updates = snapshot["updates"]
        pending = [update for update in updates["pending"] if not update.keys() & _QUERY_UPDATES]
        state.updates.restore(pending, updates["next_update_id"])
        state.updates.allowed_updates = updates["allowed_updates"]

    def _decode_chat(self, data: dict[str, Any], saved_bot_id: int) -> Chat:
        state = self.state
        user = state.users[data["user"]]
        messages: list[StoredMessage] = []
        for saved in data["messages"]:
            sender_id = saved["sender"]
            # The token may have changed (BOT_TOKEN set since): the bot is who it is now.
            bot_sent = sender_id == saved_bot_id
            sender = state.bot if bot_sent else state.users.get(sender_id, user)
            reply_id = saved.get("reply_to")
            # A reply always points at an earlier message of the same chat.
            reply_to = messages[reply_id - 1] if reply_id and reply_id <= len(messages) else None
            messages.append(
                decode_fields(StoredMessage, saved, chat=user, sender=sender, reply_to=reply_to)
            )
        return decode_fields(Chat, data, user=user, messages=messages)

    def _decode_files(self, items: list[dict[str, Any]], files_dir: Path) -> list[StoredFile]:
        files = []
        for saved in items:
            path = files_dir / saved["data"]
            try:
                data = path.read_bytes()
            except FileNotFoundError:
                # Telegram answers an unknown file_id with "wrong file identifier"; so will we.
                logger.warning("sandbox file %s is missing; file_id %s", path, saved["file_id"])
                continue
            self.blob_names[saved["file_id"]] = saved["data"]
            files.append(decode_fields(StoredFile, saved, data=data))
        return files


# ---------- the data directory ----------


def _write_atomically(path: Path, data: bytes) -> None:
    """Readers see the old file or the new one, never half of one, even after a crash."""
    temporary = path.with_name(path.name + ".tmp")
    with temporary.open("wb") as file:
        file.write(data)
        file.flush()
        os.fsync(file.fileno())
    temporary.replace(path)


class StatePersistence:
    """Loads the world from ``data_dir`` and saves it after changes, at most every
    SAVE_INTERVAL_S, and once more on close()."""

    def __init__(self, state: EmulatorState, data_dir: Path) -> None:
        self._state = state
        self._dir = data_dir
        self._snapshot = _Snapshot(state)
        self._last_text: str | None = None
        self._closing = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    @property
    def snapshot_path(self) -> Path:
        return self._dir / SNAPSHOT_FILE

    def load(self) -> bool:
        """Restore the saved world, if there is one; call before the server starts."""
        path = self.snapshot_path
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return False
        try:
            snapshot = json.loads(text)
        except ValueError as error:
            raise SandboxDataError(path, f"not JSON ({error})") from error
        if not isinstance(snapshot, dict) or snapshot.get("version") != FORMAT_VERSION:
            raise SandboxDataError(path, f"not format version {FORMAT_VERSION}")
        try:
            self._snapshot.decode(snapshot, self._dir / FILES_DIR)
        except (KeyError, TypeError, IndexError) as error:
            raise SandboxDataError(path, f"unexpected content ({error!r})") from error
        self._last_text = text
        return True

    def start(self) -> None:
        """Begin saving changes; call on the server's event loop."""
        self._task = asyncio.get_running_loop().create_task(self._keep_saving())

    async def close(self) -> None:
        """Save what is left and stop; the state is on disk when this returns."""
        self._closing.set()
        if self._task is not None:
            await self._task
        else:
            await self.save()

    async def _keep_saving(self) -> None:
        while not self._closing.is_set():
            changed = asyncio.ensure_future(self._state.unsaved.wait())
            closing = asyncio.ensure_future(self._closing.wait())
            await asyncio.wait({changed, closing}, return_when=asyncio.FIRST_COMPLETED)
            changed.cancel()
            closing.cancel()
            # Let the rest of a burst arrive; closing cuts the pause short.
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._closing.wait(), SAVE_INTERVAL_S)
            try:
                await self.save()
            except Exception:
                # A full disk (or a value json cannot write) must not stop the sandbox or end
                # this task unseen; it is logged, and the next change tries again.
                logger.exception("could not save the sandbox state to %s", self._dir)
        await self.save()

    async def save(self) -> None:
        # Cleared first: a change made while the files are written marks the state again.
        self._state.unsaved.clear()
        snapshot, new_blobs = self._snapshot.encode()
        # Encoded here, on the state's loop; only the finished bytes go to the thread.
        text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"))
        if text == self._last_text and not new_blobs:
            return
        await asyncio.to_thread(self._write, text, new_blobs)
        # Only once written: after a failed write, the next save writes them again.
        for blob in new_blobs:
            self._snapshot.blob_names[blob.file_id] = blob.name
        self._last_text = text

    def _write(self, text: str, new_blobs: list[NewBlob]) -> None:
        files_dir = self._dir / FILES_DIR
        files_dir.mkdir(parents=True, exist_ok=True)
        # Contents first: a snapshot on disk never names a file that is not there.
        for blob in new_blobs:
            path = files_dir / blob.name
            if not path.exists():  # the same bytes sent twice
                _write_atomically(path, blob.data)
        _write_atomically(self.snapshot_path, text.encode("utf-8"))
