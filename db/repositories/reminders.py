"""`core.ports.reminders.ReminderRepository` over SQLAlchemy, PostgreSQL and SQLite alike.

The claim is one `UPDATE ... WHERE id IN (SELECT ... LIMIT n FOR UPDATE SKIP LOCKED)
RETURNING id`: on PostgreSQL two runs claiming at once skip each other's locked rows instead
of taking the same ones; SQLite renders no locking clause and needs none (one writer at a
time, and the UPDATE takes the write lock before it reads).

Appointment reminders name their appointment in the payload (JSON, `payload ->> 'appointment_id'`
on PostgreSQL, `json_extract` on SQLite): they are looked up by it only when an appointment is
moved or cancelled, among the pending rows of that kind; the claim reads the appointments of a
batch in one more query.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from core.enums import AccessLevel, AppointmentStatus, ReminderKind
from core.ports.reminders import (
    CLOSING_REASONS,
    PAYLOAD_APPOINTMENT_ID,
    PAYLOAD_ROLE,
    AppointmentRole,
    CancelReason,
    ClaimedAppointment,
    ClaimedReminder,
    NewReminder,
    Reminder,
)
from db.base import as_utc
from db.models import (
    AppointmentModel,
    MedicalRecordModel,
    PetAccessModel,
    PetModel,
    ReminderModel,
    SlotModel,
    UserModel,
    VetModel,
)

# Who hears a pet's reminders (core.interactors.pets.EDITORS, repeated: db does not import
# interactors).
_EDITOR_LEVELS = (AccessLevel.OWNER, AccessLevel.CO_OWNER)


def _kinds(stored: list[str] | None) -> frozenset[ReminderKind]:
    # A value a later release no longer knows is ignored, as the user repository does.
    known = {kind.value for kind in ReminderKind}
    return frozenset(ReminderKind(value) for value in stored or () if value in known)


def _pending() -> sa.ColumnElement[bool]:
    return sa.and_(ReminderModel.sent_at.is_(None), ReminderModel.cancelled_at.is_(None))


class SqlReminderRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add_many(self, reminders: Sequence[NewReminder]) -> None:
        self._session.add_all(
            ReminderModel(
                user_id=reminder.user_id,
                pet_id=reminder.pet_id,
                record_id=reminder.record_id,
                kind=reminder.kind,
                step=reminder.step,
                due_at=as_utc(reminder.due_at),
                payload=dict(reminder.payload),
                attempts=0,
            )
            for reminder in reminders
        )
        await self._session.flush()

    async def get(self, reminder_id: int) -> Reminder | None:
        row = await self._session.get(ReminderModel, reminder_id)
        return None if row is None else _to_reminder(row)

    async def cancel_pending(
        self,
        *,
        record_ids: Collection[int],
        reason: CancelReason,
        at: datetime,
        user_id: int | None = None,
    ) -> int:
        if not record_ids:
            return 0
        query = (
            sa.update(ReminderModel)
            .where(ReminderModel.record_id.in_(list(record_ids)), _pending())
            .values(cancelled_at=as_utc(at), cancel_reason=reason.value)
        )
        if user_id is not None:
            query = query.where(ReminderModel.user_id == user_id)
        result = await self._session.execute(query.execution_options(synchronize_session=False))
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def cancel_pending_for_pet(
        self, *, pet_id: int, user_id: int, reason: CancelReason, at: datetime
    ) -> int:
        result = await self._session.execute(
            sa.update(ReminderModel)
            .where(ReminderModel.pet_id == pet_id, ReminderModel.user_id == user_id, _pending())
            .values(cancelled_at=as_utc(at), cancel_reason=reason.value)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def cancel_for_appointment(
        self, appointment_id: int, *, reason: CancelReason, at: datetime
    ) -> int:
        result = await self._session.execute(
            sa.update(ReminderModel)
            .where(
                ReminderModel.kind == ReminderKind.APPOINTMENT,
                ReminderModel.payload[PAYLOAD_APPOINTMENT_ID].as_integer() == appointment_id,
                _pending(),
            )
            .values(cancelled_at=as_utc(at), cancel_reason=reason.value)
            .execution_options(synchronize_session=False)
        )
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def closed_for(self, record_id: int, user_id: int) -> CancelReason | None:
        of_item = (ReminderModel.record_id == record_id, ReminderModel.user_id == user_id)
        pending = await self._session.scalar(
            sa.select(ReminderModel.id).where(*of_item, _pending()).limit(1)
        )
        if pending is not None:
            return None
        reason = await self._session.scalar(
            sa.select(ReminderModel.cancel_reason)
            .where(*of_item, ReminderModel.cancelled_at.is_not(None))
            .order_by(ReminderModel.cancelled_at.desc(), ReminderModel.id.desc())
            .limit(1)
        )
        closing = {r.value for r in CLOSING_REASONS}
        return CancelReason(reason) if reason in closing else None

    async def list_pending_for_user(self, user_id: int) -> list[Reminder]:
        rows = await self._session.scalars(
            sa.select(ReminderModel)
            .where(ReminderModel.user_id == user_id, _pending())
            .order_by(ReminderModel.due_at, ReminderModel.id)
        )
        return [_to_reminder(row) for row in rows]

    async def move(self, reminder_id: int, *, due_at: datetime) -> None:
        await self._session.execute(
            sa.update(ReminderModel)
            .where(ReminderModel.id == reminder_id, _pending())
            .values(due_at=as_utc(due_at))
            .execution_options(synchronize_session=False)
        )

    async def claim_due(
        self, *, now: datetime, stale_before: datetime, token: str, limit: int
    ) -> list[ClaimedReminder]:
        due = (
            sa.select(ReminderModel.id)
            .where(
                _pending(),
                ReminderModel.due_at <= as_utc(now),
                sa.or_(
                    ReminderModel.claimed_at.is_(None),
                    ReminderModel.claimed_at < as_utc(stale_before),
                ),
            )
            .order_by(ReminderModel.due_at, ReminderModel.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        claimed = await self._session.scalars(
            sa.update(ReminderModel)
            .where(ReminderModel.id.in_(due.scalar_subquery()))
            .values(
                claimed_at=as_utc(now),
                claim_token=token,
                attempts=ReminderModel.attempts + 1,
            )
            .returning(ReminderModel.id)
            .execution_options(synchronize_session=False)
        )
        ids = list(claimed)
        if not ids:
            return []
        return await self._claimed(ids)

    async def _claimed(self, ids: list[int]) -> list[ClaimedReminder]:
        query = (
            sa.select(
                ReminderModel.id,
                ReminderModel.kind,
                ReminderModel.step,
                ReminderModel.attempts,
                ReminderModel.payload,
                UserModel.telegram_id,
                UserModel.language,
                UserModel.time_zone,
                UserModel.blocked_bot_at,
                UserModel.reminder_kinds_off,
                PetModel.name,
                PetModel.archived_at,
                PetAccessModel.level,
                MedicalRecordModel.kind,
                MedicalRecordModel.title,
                MedicalRecordModel.next_due_at,
            )
            .join(UserModel, UserModel.id == ReminderModel.user_id)
            .outerjoin(PetModel, PetModel.id == ReminderModel.pet_id)
            .outerjoin(
                PetAccessModel,
                sa.and_(
                    PetAccessModel.pet_id == ReminderModel.pet_id,
                    PetAccessModel.user_id == ReminderModel.user_id,
                ),
            )
            .outerjoin(MedicalRecordModel, MedicalRecordModel.id == ReminderModel.record_id)
            .where(ReminderModel.id.in_(ids))
            .order_by(ReminderModel.due_at, ReminderModel.id)
        )
        rows = list(await self._session.execute(query))
        appointments = await self._appointments(
            [
                appointment_id
                for _, kind, _, _, payload, *_ in rows
                if kind is ReminderKind.APPOINTMENT
                and (appointment_id := _appointment_id(payload)) is not None
            ]
        )
        return [
            ClaimedReminder(
                id=reminder_id,
                kind=kind,
                step=step,
                attempts=attempts,
                telegram_id=telegram_id,
                language=language,
                blocked=blocked_at is not None,
                pet_name=pet_name,
                may_see_pet=(
                    pet_name is not None and archived_at is None and level in _EDITOR_LEVELS
                ),
                record_kind=record_kind,
                record_title=title,
                next_due=None if next_due_at is None else next_due_at.date(),
                kinds_off=_kinds(kinds_off),
                appointment=(
                    _claimed_appointment(payload, time_zone, appointments)
                    if kind is ReminderKind.APPOINTMENT
                    else None
                ),
            )
            for (
                reminder_id,
                kind,
                step,
                attempts,
                payload,
                telegram_id,
                language,
                time_zone,
                blocked_at,
                kinds_off,
                pet_name,
                archived_at,
                level,
                record_kind,
                title,
                next_due_at,
            ) in rows
        ]

    async def _appointments(self, ids: list[int]) -> dict[int, _AppointmentFacts]:
        if not ids:
            return {}
        owner = aliased(UserModel)
        rows = await self._session.execute(
            sa.select(
                AppointmentModel.id,
                AppointmentModel.status,
                SlotModel.starts_at,
                owner.first_name,
                VetModel.display_name,
                VetModel.time_zone,
                PetModel.name,
            )
            .join(SlotModel, SlotModel.id == AppointmentModel.slot_id)
            .join(owner, owner.id == AppointmentModel.owner_user_id)
            .join(VetModel, VetModel.id == AppointmentModel.vet_id)
            .outerjoin(PetModel, PetModel.id == AppointmentModel.pet_id)
            .where(AppointmentModel.id.in_(set(ids)))
        )
        return {
            appointment_id: _AppointmentFacts(
                status, starts_at, owner_name, vet_name, vet_zone, pet_name
            )
            for appointment_id, status, starts_at, owner_name, vet_name, vet_zone, pet_name in rows
        }

    async def mark_sent(self, reminder_id: int, *, token: str, at: datetime) -> bool:
        result = await self._session.execute(
            sa.update(ReminderModel)
            .where(
                ReminderModel.id == reminder_id,
                ReminderModel.claim_token == token,
                ReminderModel.sent_at.is_(None),
            )
            .values(sent_at=as_utc(at))
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def release(self, reminder_id: int, *, token: str) -> None:
        await self._session.execute(
            sa.update(ReminderModel)
            .where(ReminderModel.id == reminder_id, ReminderModel.claim_token == token, _pending())
            .values(claimed_at=None, claim_token=None)
            .execution_options(synchronize_session=False)
        )

    async def skip(
        self, reminder_id: int, *, token: str, reason: CancelReason, at: datetime
    ) -> None:
        await self._session.execute(
            sa.update(ReminderModel)
            .where(ReminderModel.id == reminder_id, ReminderModel.claim_token == token, _pending())
            .values(cancelled_at=as_utc(at), cancel_reason=reason.value)
            .execution_options(synchronize_session=False)
        )


@dataclass(frozen=True, slots=True)
class _AppointmentFacts:
    status: AppointmentStatus
    starts_at: datetime
    owner_name: str
    vet_name: str
    vet_zone: str
    pet_name: str | None


def _appointment_id(payload: Mapping[str, Any] | None) -> int | None:
    value = (payload or {}).get(PAYLOAD_APPOINTMENT_ID)
    return value if isinstance(value, int) else None


def _claimed_appointment(
    payload: Mapping[str, Any] | None,
    user_zone: str,
    appointments: Mapping[int, _AppointmentFacts],
) -> ClaimedAppointment | None:
    appointment_id = _appointment_id(payload)
    facts = None if appointment_id is None else appointments.get(appointment_id)
    try:
        role = AppointmentRole(str((payload or {}).get(PAYLOAD_ROLE)))
    except ValueError:
        return None  # not a payload this version wrote
    if appointment_id is None or facts is None:
        return None
    is_owner = role is AppointmentRole.OWNER
    return ClaimedAppointment(
        appointment_id=appointment_id,
        status=facts.status,
        starts_at=facts.starts_at,
        role=role,
        time_zone=user_zone if is_owner else facts.vet_zone,
        pet_name=facts.pet_name,
        other_name=facts.vet_name if is_owner else facts.owner_name,
    )


def _to_reminder(row: ReminderModel) -> Reminder:
    return Reminder(
        id=row.id,
        user_id=row.user_id,
        pet_id=row.pet_id,
        record_id=row.record_id,
        kind=row.kind,
        step=row.step,
        due_at=row.due_at,
        payload=dict(row.payload or {}),
        sent_at=row.sent_at,
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
        attempts=row.attempts,
    )
