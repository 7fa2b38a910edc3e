"""A co-owner's share of a pet's reminders: from the moment they join until they leave.

The sharing interactors call `PetMemberReminders` inside their own transaction (it never
commits), so an access change and the reminder rows it implies are stored, or not, together:
- joined (an invite accepted at co-owner level, or a viewer raised to it): the card's current
  next-due items get this member's rows for the steps still ahead, in the member's own zone
  and quiet hours — as if they had been a co-owner when the entries were made — and the
  medication courses with dose times their doses of the window ahead (a top-up, which makes
  only the rows missing: core.interactors.medication_reminders);
- left (access revoked, or they left the pet): their pending rows about the pet, of every kind,
  are cancelled as GONE. The sending job would skip them anyway (it checks access with the
  claim); cancelling at once keeps the rows truthful and lets a later re-join start clean.
"""

from __future__ import annotations

from core.clock import Clock
from core.entities import MedicalRecord
from core.enums import RecordKind
from core.interactors.medication_reminders import MedicationReminders
from core.interactors.reminders import DUE_DATE_KINDS, DueDateReminders
from core.ports.reminders import CancelReason, ReminderRepository
from core.ports.repositories import MedicalRecordRepository, UserRepository
from core.record_data import latest_entry, product_key


class PetMemberReminders:
    def __init__(
        self,
        due_dates: DueDateReminders,
        medication: MedicationReminders,
        reminders: ReminderRepository,
        records: MedicalRecordRepository,
        users: UserRepository,
        clock: Clock,
    ) -> None:
        self._due_dates = due_dates
        self._medication = medication
        self._reminders = reminders
        self._records = records
        self._users = users
        self._clock = clock

    async def joined(self, pet_id: int, user_id: int) -> None:
        member = await self._users.get(user_id)
        if member is None:
            return
        already = {
            reminder.record_id
            for reminder in await self._reminders.list_pending_for_user(member.id)
        }
        for record in await self._latest_entries(pet_id):
            if record.next_due_at is not None and record.id not in already:
                await self._due_dates.member_joined(record, member)
        for course in await self._entries(pet_id, [RecordKind.MEDICATION]):
            await self._medication.top_up(course)

    async def left(self, pet_id: int, user_id: int) -> None:
        await self._reminders.cancel_pending_for_pet(
            pet_id=pet_id, user_id=user_id, reason=CancelReason.GONE, at=self._clock.now()
        )

    async def _latest_entries(self, pet_id: int) -> list[MedicalRecord]:
        """Each product's latest entry: the one whose next due date is reminded of."""
        by_product: dict[tuple[RecordKind, str], list[MedicalRecord]] = {}
        for record in await self._entries(pet_id, list(DUE_DATE_KINDS)):
            by_product.setdefault(product_key(record), []).append(record)
        latest = (latest_entry(entries) for entries in by_product.values())
        return [record for record in latest if record is not None]

    async def _entries(self, pet_id: int, kinds: list[RecordKind]) -> list[MedicalRecord]:
        return await self._records.list_for_pet(pet_id, kinds=kinds, limit=None)
