"""Booking work that runs on a clock, not on a click: see `bot/periodic.py`."""

from __future__ import annotations

from core.interactors.booking import PublishSlots
from core.ports.repositories import VetRepository


class PublishAllVetSlots:
    """Keep every active vet's bookable window `days_ahead` long as the days go by."""

    def __init__(self, vets: VetRepository, publish: PublishSlots) -> None:
        self._vets = vets
        self._publish = publish

    async def __call__(self) -> int:
        added = 0
        for vet in await self._vets.list_active():
            added += (await self._publish(vet.id)).added
        return added
