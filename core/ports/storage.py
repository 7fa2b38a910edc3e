"""Blob storage port: bytes by key (pet photos, check photos, documents, exports).

Keys are relative, slash-separated paths such as `users/42/pets/7/photo-<uuid>.jpg`. Every
implementation validates keys with `validate_key` before touching anything, so a key built from
user input can never reach outside the storage (no `..`, no absolute paths, no backslashes).
"""

from __future__ import annotations

import re
from typing import Protocol

from core.errors import DomainError

# S3's own limit is 1024 bytes; keys here are ASCII, so characters equal bytes.
MAX_KEY_LENGTH = 1024
# One segment: letters, digits, `.`, `_`, `-`, not starting with a dot. No leading dot keeps
# `.`/`..` out and leaves dot-names free for an implementation's own temporary files.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")


class InvalidBlobKeyError(DomainError):
    def __init__(self, key: str, why: str) -> None:
        super().__init__(f"invalid blob key {key!r}: {why}")
        self.key = key
        self.why = why


class BlobNotFoundError(DomainError):
    def __init__(self, key: str) -> None:
        super().__init__(f"no blob {key!r}")
        self.key = key


def validate_key(key: str) -> str:
    """Return `key` unchanged when it is a safe storage key; raise `InvalidBlobKeyError` if not.

    Safe: non-empty, at most `MAX_KEY_LENGTH` characters, segments of `[A-Za-z0-9._-]` joined
    by single `/`, no segment starting with `.`, no leading or trailing `/`.
    """
    if not key:
        raise InvalidBlobKeyError(key, "empty")
    if len(key) > MAX_KEY_LENGTH:
        raise InvalidBlobKeyError(key, f"longer than {MAX_KEY_LENGTH} characters")
    for segment in key.split("/"):
        # fullmatch with an ASCII-only class also refuses `\`, `:`, NUL and non-ASCII letters.
        if not _SEGMENT.fullmatch(segment):
            raise InvalidBlobKeyError(key, f"bad segment {segment!r}")
    return key


def validate_prefix(prefix: str) -> str:
    """Return `prefix` when it is `""` or a safe key with an optional trailing `/`.

    Prefixes match like S3's: by string, so `users/4` also matches `users/42/...`; pass
    `users/4/` to mean one user's folder.
    """
    if prefix:
        validate_key(prefix.removesuffix("/"))
    return prefix


class BlobStorage(Protocol):
    """Bytes stored under validated keys (see `validate_key`).

    Every method raises `InvalidBlobKeyError` for a bad key or prefix before doing any I/O.
    Implementations never block the event loop.
    """

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`, replacing any previous blob, atomically.

        A reader sees the old bytes or the new ones, never a partial write. `content_type` is
        the sniffed type (see `core.uploads`); stores without metadata may ignore it.
        """
        ...

    async def get(self, key: str) -> bytes:
        """The bytes stored under `key`; raises `BlobNotFoundError` when there are none."""
        ...

    async def delete(self, key: str) -> None:
        """Remove the blob; deleting a missing key is not an error (idempotent)."""
        ...

    async def delete_prefix(self, prefix: str) -> int:
        """Remove every blob whose key starts with `prefix`; return how many were removed.

        For erasing a user's files (`users/<id>/`). An empty prefix is refused with
        `InvalidBlobKeyError`: wiping the whole store is never a user operation.
        """
        ...

    async def exists(self, key: str) -> bool:
        """Whether a blob is stored under `key`."""
        ...

    async def list_keys(self, prefix: str) -> list[str]:
        """Keys starting with `prefix` (string match, as S3 does), sorted; `""` lists all."""
        ...
