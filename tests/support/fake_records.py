"""An in-memory `MedicalRecordRepository` for the interactor unit tests."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Mapping
from datetime import UTC, datetime
from typing import Any

from core.entities import MedicalRecord
from core.enums import RecordKind
from core.ports.repositories import EntityNotFoundError

CREATED_AT = datetime(2025, 6, 15, 12, 0, tzinfo=UTC)  # the unit tests' clock


class FakeRecords:
    def __init__(self) -> None:
        self.rows: dict[int, MedicalRecord] = {}
        self._next_id = 0

    async def add(
        self,
        *,
        pet_id: int,
        kind: RecordKind,
        title: str,
        occurred_at: datetime,
        details: str | None = None,
        data: Mapping[str, Any] | None = None,
        next_due_at: datetime | None = None,
        author_user_id: int | None = None,
        attachment_key: str | None = None,
        attachment_content_type: str | None = None,
    ) -> MedicalRecord:
        self._next_id += 1
        record = MedicalRecord(
            id=self._next_id,
            pet_id=pet_id,
            kind=kind,
            title=title,
            occurred_at=occurred_at,
            details=details,
            data=dict(data or {}),
            next_due_at=next_due_at,
            author_user_id=author_user_id,
            attachment_key=attachment_key,
            attachment_content_type=attachment_content_type,
            created_at=CREATED_AT,
        )
        self.rows[record.id] = record
        return record

    async def get(self, record_id: int) -> MedicalRecord | None:
        return self.rows.get(record_id)

    def _matching(self, pet_id: int, kinds: Collection[RecordKind] | None) -> list[MedicalRecord]:
        found = [
            r
            for r in self.rows.values()
            if r.pet_id == pet_id and (kinds is None or r.kind in kinds)
        ]
        return sorted(found, key=lambda r: (r.occurred_at, r.id), reverse=True)

    async def list_for_pet(
        self,
        pet_id: int,
        *,
        kinds: Collection[RecordKind] | None = None,
        limit: int | None = 20,
        offset: int = 0,
    ) -> list[MedicalRecord]:
        matching = self._matching(pet_id, kinds)
        return matching[offset:] if limit is None else matching[offset : offset + limit]

    async def count_by_kind(self, pet_id: int) -> dict[RecordKind, int]:
        return dict(Counter(r.kind for r in self._matching(pet_id, None)))

    async def delete(self, record_id: int) -> None:
        if record_id not in self.rows:
            raise EntityNotFoundError("medical record", record_id)
        del self.rows[record_id]
