"""Demo data for the sandbox, so a newcomer sees every feature work on the first run.

Everything here is fictional and labelled "Демо"; nothing of it is written outside the sandbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import time
from pathlib import Path
from typing import Final

from dishka import AsyncContainer

from core.enums import Role, Species
from core.interactors.booking import PublishSlots
from core.ports.repositories import (
    AvailabilityRepository,
    ClinicRepository,
    UserRepository,
    VetRepository,
)
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


@dataclass(frozen=True, slots=True)
class DemoVet:
    telegram_id: int
    first_name: str
    language: str
    display_name: str
    species: frozenset[Species]
    languages: frozenset[str]
    price_amount: int  # Telegram Stars
    bio: str


# Fictional vets, below the emulator's range of generated user ids so they never collide.
DEMO_VETS: Final = (
    DemoVet(
        telegram_id=5_550_001,
        first_name="Анна",
        language="ru",
        display_name="Демо Анна Петрова",
        species=frozenset({Species.CAT, Species.DOG}),
        languages=frozenset({"ru"}),
        price_amount=300,
        bio="Демо-врач: терапия кошек и собак.",
    ),
    DemoVet(
        telegram_id=5_550_002,
        first_name="Иван",
        language="ru",
        display_name="Демо Иван Смирнов",
        species=frozenset(Species),
        languages=frozenset({"ru", "en"}),
        price_amount=250,
        bio="Демо-врач: любые питомцы, говорит по-английски.",
    ),
    DemoVet(
        telegram_id=5_550_003,
        first_name="Emma",
        language="en",
        display_name="Демо Emma Brown",
        species=frozenset({Species.CAT, Species.DOG}),
        languages=frozenset({"en"}),
        price_amount=200,
        bio="Demo vet: cats and dogs, English only.",
    ),
)
DEMO_VET_ZONE: Final = "Europe/Moscow"
DEMO_VET_HOURS: Final = (time(9), time(21))


async def seed_demo_vets(container: AsyncContainer) -> tuple[DemoVet, ...]:
    """Create the demo vets once (every day 09:00–21:00 Moscow time) and publish their slots
    for the coming days (again on every start: publishing is idempotent)."""
    for demo in DEMO_VETS:
        async with container() as request:
            users = await request.get(UserRepository)
            vets = await request.get(VetRepository)
            user = await users.get_by_telegram_id(demo.telegram_id)
            if user is None:
                user = await users.add(
                    telegram_id=demo.telegram_id,
                    first_name=demo.first_name,
                    username=None,
                    language=demo.language,
                    roles=frozenset({Role.VET}),
                )
            vet = await vets.get_by_user_id(user.id)
            if vet is None:
                vet = await vets.add(
                    user_id=user.id,
                    display_name=demo.display_name,
                    species=demo.species,
                    languages=demo.languages,
                    price_amount=demo.price_amount,
                    time_zone=DEMO_VET_ZONE,
                    bio=demo.bio,
                )
                start, end = DEMO_VET_HOURS
                await (await request.get(AvailabilityRepository)).replace_rules(
                    vet.id, [(weekday, start, end) for weekday in range(7)]
                )
            await (await request.get(UnitOfWork)).commit()
            await (await request.get(PublishSlots))(vet.id)
    return DEMO_VETS
