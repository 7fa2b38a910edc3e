from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from core.entities import Appointment, ConsultationRoom
from core.enums import AppointmentStatus
from core.ports.video import ParticipantRole
from db.base import as_utc
from db.models import AppointmentModel, ConsultationRoomModel, SlotModel

# One row → DTO mapping for appointments, shared with their own repository.
from db.repositories.appointments import _to_appointment

# Appointments whose room stays until the window is over; any other status closes it now.
_ROOM_KEEPING = (AppointmentStatus.CONFIRMED, AppointmentStatus.COMPLETED)

_JOINED = {
    ParticipantRole.OWNER: "owner_joined_at",
    ParticipantRole.VET: "vet_joined_at",
}
_LEFT = {
    ParticipantRole.OWNER: "owner_left_at",
    ParticipantRole.VET: "vet_left_at",
}


class SqlConsultationRoomRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_awaiting_room(
        self, *, starts_before: datetime, ends_after: datetime
    ) -> list[Appointment]:
        made_or_closed = sa.exists().where(
            ConsultationRoomModel.appointment_id == AppointmentModel.id,
            sa.or_(
                ConsultationRoomModel.provider_room_id.is_not(None),
                ConsultationRoomModel.closed_at.is_not(None),
            ),
        )
        rows = await self._session.execute(
            sa.select(AppointmentModel, SlotModel.starts_at, SlotModel.ends_at)
            .join(SlotModel, SlotModel.id == AppointmentModel.slot_id)
            .where(
                AppointmentModel.status == AppointmentStatus.CONFIRMED,
                SlotModel.starts_at <= as_utc(starts_before),
                SlotModel.ends_at > as_utc(ends_after),
                ~made_or_closed,
            )
            .order_by(SlotModel.starts_at, AppointmentModel.id)
            .execution_options(populate_existing=True)
        )
        return [_to_appointment(row, starts_at, ends_at) for row, starts_at, ends_at in rows]

    async def get(self, appointment_id: int) -> ConsultationRoom | None:
        row = await self._session.scalar(
            sa.select(ConsultationRoomModel)
            .where(ConsultationRoomModel.appointment_id == appointment_id)
            # Conditional UPDATEs below bypass the identity map: reload what they changed.
            .execution_options(populate_existing=True)
        )
        return _to_room(row) if row is not None else None

    async def add_if_absent(
        self, *, appointment_id: int, provider: str, expires_at: datetime, at: datetime
    ) -> ConsultationRoom:
        existing = await self.get(appointment_id)
        if existing is not None:
            return existing
        row = ConsultationRoomModel(
            appointment_id=appointment_id,
            provider=provider,
            expires_at=as_utc(expires_at),
            created_at=as_utc(at),
            failures=0,
        )
        try:
            # The unique appointment_id decides a race; on PostgreSQL the second insert waits
            # for the first transaction, then fails here and reads the winner's row.
            async with self._session.begin_nested():
                self._session.add(row)
        except IntegrityError:
            winner = await self.get(appointment_id)
            if winner is None:  # some other constraint failed: not a duplicate
                raise
            return winner
        added = await self.get(appointment_id)
        assert added is not None  # just inserted, in this transaction
        return added

    async def mark_opened(
        self, room_id: int, *, provider_room_id: str, provider_url: str | None, at: datetime
    ) -> bool:
        return await self._update_once(
            room_id,
            ConsultationRoomModel.provider_room_id,
            provider_room_id=provider_room_id,
            provider_url=provider_url,
            opened_at=as_utc(at),
            next_attempt_at=None,
        )

    async def mark_failed(self, room_id: int, *, error: str, next_attempt_at: datetime) -> int:
        failures = await self._session.scalar(
            sa.update(ConsultationRoomModel)
            .where(ConsultationRoomModel.id == room_id)
            .values(
                failures=ConsultationRoomModel.failures + 1,
                last_error=error,
                next_attempt_at=as_utc(next_attempt_at),
            )
            .returning(ConsultationRoomModel.failures)
            .execution_options(synchronize_session=False)
        )
        return int(failures or 0)

    async def claim_join_notice(self, room_id: int, *, at: datetime) -> bool:
        return await self._update_once(
            room_id, ConsultationRoomModel.join_sent_at, join_sent_at=as_utc(at)
        )

    async def claim_failure_notice(self, room_id: int, *, at: datetime) -> bool:
        return await self._update_once(
            room_id, ConsultationRoomModel.failure_told_at, failure_told_at=as_utc(at)
        )

    async def list_to_close(self, *, ended_before: datetime) -> list[ConsultationRoom]:
        rows = await self._session.scalars(
            sa.select(ConsultationRoomModel)
            .join(AppointmentModel, AppointmentModel.id == ConsultationRoomModel.appointment_id)
            .join(SlotModel, SlotModel.id == AppointmentModel.slot_id)
            .where(
                ConsultationRoomModel.closed_at.is_(None),
                sa.or_(
                    SlotModel.ends_at <= as_utc(ended_before),
                    AppointmentModel.status.not_in(_ROOM_KEEPING),
                ),
            )
            .order_by(SlotModel.ends_at, ConsultationRoomModel.id)
            .execution_options(populate_existing=True)
        )
        return [_to_room(row) for row in rows]

    async def mark_closed(self, room_id: int, *, at: datetime) -> bool:
        return await self._update_once(
            room_id, ConsultationRoomModel.closed_at, closed_at=as_utc(at)
        )

    async def record_join(
        self, appointment_id: int, *, role: ParticipantRole, at: datetime
    ) -> bool:
        joined = getattr(AppointmentModel, _JOINED[role])
        moment = as_utc(at)
        first = await self._session.execute(
            sa.update(AppointmentModel)
            .where(AppointmentModel.id == appointment_id, joined.is_(None))
            .values({_JOINED[role]: moment})
            .execution_options(synchronize_session=False)
        )
        # Present again: a leave before this rejoin is no longer their last.
        await self._session.execute(
            sa.update(AppointmentModel)
            .where(AppointmentModel.id == appointment_id)
            .values({_LEFT[role]: None})
            .execution_options(synchronize_session=False)
        )
        return bool(first.rowcount)  # type: ignore[attr-defined]

    async def record_leave(
        self, appointment_id: int, *, role: ParticipantRole, at: datetime
    ) -> None:
        joined = getattr(AppointmentModel, _JOINED[role])
        # A leave of someone who never joined is noise (a page closed before media flowed).
        await self._session.execute(
            sa.update(AppointmentModel)
            .where(AppointmentModel.id == appointment_id, joined.is_not(None))
            .values({_LEFT[role]: as_utc(at)})
            .execution_options(synchronize_session=False)
        )

    async def finish_call(
        self, appointment_id: int, *, ended_at: datetime, duration_seconds: int | None
    ) -> bool:
        result = await self._session.execute(
            sa.update(AppointmentModel)
            .where(
                AppointmentModel.id == appointment_id,
                AppointmentModel.call_ended_at.is_(None),
            )
            .values(call_ended_at=as_utc(ended_at), duration_seconds=duration_seconds)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]

    async def _update_once(
        self, room_id: int, stamp: InstrumentedAttribute[Any], **values: Any
    ) -> bool:
        result = await self._session.execute(
            sa.update(ConsultationRoomModel)
            .where(ConsultationRoomModel.id == room_id, stamp.is_(None))
            .values(**values)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)  # type: ignore[attr-defined]


def _to_room(row: ConsultationRoomModel) -> ConsultationRoom:
    return ConsultationRoom(
        id=row.id,
        appointment_id=row.appointment_id,
        provider=row.provider,
        provider_room_id=row.provider_room_id,
        provider_url=row.provider_url,
        created_at=row.created_at,
        opened_at=row.opened_at,
        expires_at=row.expires_at,
        closed_at=row.closed_at,
        failures=row.failures,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        join_sent_at=row.join_sent_at,
        failure_told_at=row.failure_told_at,
    )


if TYPE_CHECKING:
    from core.ports.consultation_rooms import ConsultationRoomRepository

    def _conforms(session: AsyncSession) -> None:
        _repository: ConsultationRoomRepository = SqlConsultationRoomRepository(session)
