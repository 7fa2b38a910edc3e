"""BlobStorage on the local file system (sandbox and single-machine runs)."""

from __future__ import annotations

import asyncio
import os
import tempfile
from pathlib import Path

from core.ports.storage import (
    BlobNotFoundError,
    InvalidBlobKeyError,
    validate_key,
    validate_prefix,
)

# Keys never start a segment with a dot (see validate_key), so temporary files cannot collide
# with a blob and listings can skip them.
_TEMP_PREFIX = ".tmp-"
# A concurrent delete may prune the directory between mkdir and creating the temp file.
_PUT_ATTEMPTS = 3


class LocalBlobStorage:
    """Blobs as files under `root`; the key is the relative path.

    The content type is not stored: keys end with the sniffed extension and the bytes can be
    sniffed again (`core.uploads.sniff_content_type`).
    """

    def __init__(self, root: Path) -> None:
        # Resolved once: a later chdir must not move the store, and the escape check below
        # compares resolved paths.
        self._root = root.resolve()

    @property
    def root(self) -> Path:
        return self._root

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(self._write_atomically, key, path, data)

    async def get(self, key: str) -> bytes:
        path = self._path(key)
        try:
            return await asyncio.to_thread(self._read, key, path)
        except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
            raise BlobNotFoundError(key) from None

    async def delete(self, key: str) -> None:
        path = self._path(key)
        await asyncio.to_thread(self._delete_file, key, path)

    async def delete_prefix(self, prefix: str) -> int:
        if not prefix:
            raise InvalidBlobKeyError(prefix, "refusing to delete everything")
        validate_prefix(prefix)
        return await asyncio.to_thread(self._delete_prefix_sync, prefix)

    async def exists(self, key: str) -> bool:
        path = self._path(key)
        return await asyncio.to_thread(self._is_file, key, path)

    async def list_keys(self, prefix: str) -> list[str]:
        validate_prefix(prefix)
        return await asyncio.to_thread(self._list_sync, prefix)

    def _path(self, key: str) -> Path:
        return self._root / validate_key(key)

    def _ensure_inside(self, key: str, path: Path) -> None:
        # validate_key already rules out `..`; this catches a symlink inside root pointing out.
        # Called in the worker thread: resolving touches the file system.
        if not path.resolve().is_relative_to(self._root):
            raise InvalidBlobKeyError(key, "resolves outside the storage root")

    def _read(self, key: str, path: Path) -> bytes:
        self._ensure_inside(key, path)
        return path.read_bytes()

    def _is_file(self, key: str, path: Path) -> bool:
        self._ensure_inside(key, path)
        return path.is_file()

    def _write_atomically(self, key: str, path: Path, data: bytes) -> None:
        self._ensure_inside(key, path)
        fd, temp_name = self._make_temp_file(path.parent)
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(data)
                file.flush()
                # Without fsync a crash right after replace can leave an empty file in place.
                os.fsync(file.fileno())
            # The 0600 mode of mkstemp is kept on purpose: medical files are for this process
            # (the webapp serves them after an access check), not for other local users.
            Path(temp_name).replace(path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    @staticmethod
    def _make_temp_file(directory: Path) -> tuple[int, str]:
        for _ in range(_PUT_ATTEMPTS - 1):
            directory.mkdir(parents=True, exist_ok=True)
            try:
                # Same directory as the target: os.replace is atomic only within one file system.
                return tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=directory)
            except FileNotFoundError:
                continue  # pruned by a concurrent delete between mkdir and mkstemp
        directory.mkdir(parents=True, exist_ok=True)
        return tempfile.mkstemp(prefix=_TEMP_PREFIX, dir=directory)

    def _delete_file(self, key: str, path: Path) -> None:
        self._ensure_inside(key, path)
        path.unlink(missing_ok=True)
        self._prune_empty_dirs(path.parent)

    def _delete_prefix_sync(self, prefix: str) -> int:
        deleted = 0
        for key in self._list_sync(prefix):
            path = self._root / key
            try:
                path.unlink()
            except FileNotFoundError:
                continue  # removed concurrently: not ours to count
            deleted += 1
            self._prune_empty_dirs(path.parent)
        return deleted

    def _list_sync(self, prefix: str) -> list[str]:
        # Walk only the deepest directory the prefix names completely, then match by string,
        # so `users/4` finds `users/42/...` as S3 would.
        base_dir = prefix.rpartition("/")[0]
        base = self._root / base_dir if base_dir else self._root
        self._ensure_inside(prefix, base)
        keys: list[str] = []
        for dirpath, dirnames, filenames in os.walk(base):
            dirnames[:] = [name for name in dirnames if not name.startswith(".")]
            relative = Path(dirpath).relative_to(self._root).as_posix()
            for name in filenames:
                if name.startswith("."):
                    continue  # temp files of writes in progress
                key = name if relative == "." else f"{relative}/{name}"
                if key.startswith(prefix):
                    keys.append(key)
        keys.sort()
        return keys

    def _prune_empty_dirs(self, directory: Path) -> None:
        # Deleted users leave no empty folder trees behind; stop at the first non-empty one.
        while directory != self._root and directory.is_relative_to(self._root):
            try:
                directory.rmdir()
            except OSError:
                return
            directory = directory.parent
