"""An in-memory `core.ports.uploads.UploadRepository` for unit tests."""

from __future__ import annotations

from datetime import datetime

from core.ports.uploads import Upload


class FakeUploads:
    def __init__(self) -> None:
        self.rows: dict[str, Upload] = {}
        self._next_id = 1

    async def add(
        self,
        *,
        user_id: int,
        pet_id: int | None,
        storage_key: str,
        size_bytes: int,
        created_at: datetime,
    ) -> Upload:
        upload = Upload(self._next_id, user_id, pet_id, storage_key, size_bytes, created_at, None)
        self._next_id += 1
        self.rows[storage_key] = upload
        return upload

    async def get_by_key(self, storage_key: str) -> Upload | None:
        return self.rows.get(storage_key)

    async def claim(self, storage_key: str, *, user_id: int, claimed_at: datetime) -> bool:
        upload = self.rows.get(storage_key)
        if upload is None or upload.user_id != user_id or not upload.is_pending:
            return False
        self.rows[storage_key] = Upload(
            upload.id,
            upload.user_id,
            upload.pet_id,
            storage_key,
            upload.size_bytes,
            upload.created_at,
            claimed_at,
        )
        return True

    async def delete_by_key(self, storage_key: str) -> None:
        self.rows.pop(storage_key, None)

    async def delete_pending(self, upload_ids: list[int]) -> list[str]:
        keys = [
            key
            for key, upload in self.rows.items()
            if upload.id in upload_ids and upload.is_pending
        ]
        for key in keys:
            del self.rows[key]
        return keys

    async def bytes_of_user(self, user_id: int) -> int:
        return sum(u.size_bytes for u in self.rows.values() if u.user_id == user_id)

    async def pending_older_than(self, moment: datetime, *, limit: int) -> list[Upload]:
        old = [u for u in self.rows.values() if u.is_pending and u.created_at < moment]
        return sorted(old, key=lambda u: (u.created_at, u.id))[:limit]

    async def pending_keys_of_user(self, user_id: int) -> list[str]:
        return [k for k, u in self.rows.items() if u.user_id == user_id and u.is_pending]

    async def pending_keys_of_pet(self, pet_id: int) -> list[str]:
        return [k for k, u in self.rows.items() if u.pet_id == pet_id and u.is_pending]
