"""How long an unsaved upload is kept and how much one user may store (`UploadsSection`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from core.errors import DomainError

_MIB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class UploadLimits:
    """`pending_ttl`: an upload no saved form claimed is removed after this long.
    `user_quota_bytes`: the most one user keeps stored, pending uploads included."""

    pending_ttl: timedelta
    user_quota_bytes: int


class UploadQuotaExceededError(DomainError):
    """Storing the upload would take the user past their quota; nothing was stored."""

    def __init__(self, used_bytes: int, size_bytes: int, quota_bytes: int) -> None:
        super().__init__(f"upload quota exceeded: {used_bytes} + {size_bytes} > {quota_bytes}")
        self.used_bytes = used_bytes
        self.size_bytes = size_bytes
        self.quota_bytes = quota_bytes

    @property
    def message_args(self) -> dict[str, str | int]:
        """Fluent variables: the quota and what is in use, in whole megabytes (MiB, rounded up)."""
        return {
            "quota_mb": self.quota_bytes // _MIB,
            "used_mb": -(-self.used_bytes // _MIB),
        }


class PendingUploadGoneError(DomainError):
    """A form names a file that is no longer pending for this user (expired, or never theirs):
    the form is kept and the file is asked for again."""

    def __init__(self, storage_key: str) -> None:
        super().__init__(f"no pending upload {storage_key!r}")
        self.storage_key = storage_key
