"""Uploads port: which stored file a user sent, how large it is, and whether a form kept it.

A file received in a form is stored at once (so a refusal is explained while the owner is still
in the form) and recorded here as pending. Saving the form claims it; a pending upload older
than its time to live is removed from the storage and from here by a periodic job. The sum of a
user's rows, pending and claimed, is what their storage quota counts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Upload:
    id: int
    user_id: int
    pet_id: int | None
    storage_key: str
    size_bytes: int
    created_at: datetime
    # None while pending: no saved form refers to the file yet.
    claimed_at: datetime | None

    @property
    def is_pending(self) -> bool:
        return self.claimed_at is None


class UploadRepository(Protocol):
    """Rows of `Upload`; rows of a deleted user or pet go with them (the files do not)."""

    async def add(
        self,
        *,
        user_id: int,
        pet_id: int | None,
        storage_key: str,
        size_bytes: int,
        created_at: datetime,
    ) -> Upload:
        """Record a pending upload."""
        ...

    async def get_by_key(self, storage_key: str) -> Upload | None: ...

    async def claim(self, storage_key: str, *, user_id: int, claimed_at: datetime) -> bool:
        """Mark the user's pending upload as kept; False when there is no such pending row."""
        ...

    async def delete_by_key(self, storage_key: str) -> None:
        """Forget the row of a stored file (deleting a missing one is not an error)."""
        ...

    async def delete_pending(self, upload_ids: list[int]) -> list[str]:
        """Delete those of the rows that are still pending; return their storage keys."""
        ...

    async def bytes_of_user(self, user_id: int) -> int:
        """Total size of the user's uploads, pending and claimed."""
        ...

    async def pending_older_than(self, moment: datetime, *, limit: int) -> list[Upload]:
        """Pending uploads created before `moment`, oldest first."""
        ...

    async def pending_keys_of_user(self, user_id: int) -> list[str]: ...

    async def pending_keys_of_pet(self, pet_id: int) -> list[str]: ...
