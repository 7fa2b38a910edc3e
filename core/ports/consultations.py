"""Storage queries of the consultation area beyond the booking repositories."""

from __future__ import annotations

from collections.abc import Collection
from typing import Protocol

from core.entities import Appointment
from core.enums import AppointmentStatus


class ConsultationRepository(Protocol):
    """Reads that decide what a vet may see of a pet outside one given appointment."""

    async def list_for_vet_and_pet(
        self, vet_id: int, pet_id: int, *, statuses: Collection[AppointmentStatus]
    ) -> list[Appointment]:
        """The vet's appointments with this pet in these statuses, by start time."""
        ...
