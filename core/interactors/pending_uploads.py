"""Files sent in forms that no saved form kept: removed when the form is cancelled, or by the
`expire-uploads` job once older than `UploadLimits.pending_ttl`.

Rows go first, files after the commit: a pending row is deleted only while still pending (a form
saved at that very moment keeps its file and the save wins, or the save is told the file has
expired), so no saved entry can point at a removed file. A file whose delete fails afterwards is
an orphan the storage keeps; it is logged.
"""

from __future__ import annotations

import logging

from core.clock import Clock
from core.ports.repositories import UserRepository
from core.ports.storage import BlobStorage
from core.ports.uow import UnitOfWork
from core.ports.uploads import UploadRepository
from core.upload_quota import UploadLimits

logger = logging.getLogger(__name__)

# Rows per transaction; a round repeats until nothing expired is left.
_BATCH = 100


class ExpirePendingUploads:
    """Remove every pending upload older than the time to live; return how many."""

    def __init__(
        self,
        uow: UnitOfWork,
        uploads: UploadRepository,
        storage: BlobStorage,
        clock: Clock,
        limits: UploadLimits,
    ) -> None:
        self._uow = uow
        self._uploads = uploads
        self._storage = storage
        self._clock = clock
        self._limits = limits

    async def __call__(self) -> int:
        cutoff = self._clock.now() - self._limits.pending_ttl
        removed = 0
        while True:
            expired = await self._uploads.pending_older_than(cutoff, limit=_BATCH)
            if not expired:
                return removed
            keys = await self._uploads.delete_pending([upload.id for upload in expired])
            await self._uow.commit()
            await _delete_files(self._storage, keys)
            removed += len(keys)
            if len(expired) < _BATCH:
                return removed


class DiscardPendingUpload:
    """Remove the caller's own pending upload at once (the form it was sent in is cancelled or
    given another file). Anything else — claimed, someone else's, unknown — is left alone."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        uploads: UploadRepository,
        storage: BlobStorage,
    ) -> None:
        self._uow = uow
        self._users = users
        self._uploads = uploads
        self._storage = storage

    async def __call__(self, telegram_id: int, storage_key: str) -> bool:
        user = await self._users.get_by_telegram_id(telegram_id)
        upload = await self._uploads.get_by_key(storage_key)
        if user is None or upload is None or upload.user_id != user.id:
            return False
        keys = await self._uploads.delete_pending([upload.id])
        await self._uow.commit()
        await _delete_files(self._storage, keys)
        return bool(keys)


async def _delete_files(storage: BlobStorage, keys: list[str]) -> None:
    for key in keys:
        try:
            await storage.delete(key)
        except Exception:
            logger.exception("could not remove the expired upload %s", key)
