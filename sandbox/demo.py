"""Demo data for the sandbox, so a newcomer sees every feature work on the first run.

Everything here is fictional and labelled "Демо"; nothing of it is written outside the sandbox.
"""

from __future__ import annotations

import json
from pathlib import Path

from dishka import AsyncContainer

from core.enums import Species
from core.ports.repositories import ClinicRepository
from core.ports.uow import UnitOfWork

DEMO_CLINICS = Path(__file__).with_name("demo_clinics.json")


async def seed_demo_clinics(container: AsyncContainer) -> int:
    """Fill an empty clinics directory; returns how many clinics were added."""
    async with container() as request:
        clinics = await request.get(ClinicRepository)
        if await clinics.search():
            return 0
        entries = json.loads(DEMO_CLINICS.read_text(encoding="utf-8"))
        for entry in entries:
            await clinics.add(
                name=entry["name"],
                city=entry["city"],
                address=entry["address"],
                phone=entry["phone"],
                is_24_7=entry["is_24_7"],
                latitude=entry["latitude"],
                longitude=entry["longitude"],
                species=frozenset(Species(code) for code in entry["species"]),
            )
        await (await request.get(UnitOfWork)).commit()
        return len(entries)
