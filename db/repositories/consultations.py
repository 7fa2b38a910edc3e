from __future__ import annotations

from collections.abc import Collection
from typing import TYPE_CHECKING

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.entities import Appointment
from core.enums import AppointmentStatus
from db.models import AppointmentModel, SlotModel

# One row → DTO mapping for appointments, shared with their own repository.
from db.repositories.appointments import _to_appointment


class SqlConsultationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def list_for_vet_and_pet(
        self, vet_id: int, pet_id: int, *, statuses: Collection[AppointmentStatus]
    ) -> list[Appointment]:
        rows = await self._session.execute(
            sa.select(AppointmentModel, SlotModel.starts_at, SlotModel.ends_at)
            .join(SlotModel, SlotModel.id == AppointmentModel.slot_id)
            .where(
                AppointmentModel.vet_id == vet_id,
                AppointmentModel.pet_id == pet_id,
                AppointmentModel.status.in_(sorted(statuses)),
            )
            .order_by(SlotModel.starts_at, AppointmentModel.id)
        )
        return [_to_appointment(row, starts_at, ends_at) for row, starts_at, ends_at in rows]


if TYPE_CHECKING:
    from core.ports.consultations import ConsultationRepository

    def _conforms(session: AsyncSession) -> None:
        _repository: ConsultationRepository = SqlConsultationRepository(session)
