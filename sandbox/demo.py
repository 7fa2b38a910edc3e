"""Demo data for the sandbox, so a newcomer sees every feature work on the first run.

Everything here is fictional and labelled "Демо"; nothing of it is written outside the sandbox.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Final

from dishka import AsyncContainer

from core.entities import Vet
from core.enums import Role, Species
from core.interactors.booking import PublishSlots
from core.ports.repositories import (
    AvailabilityRepository,
    ClinicRepository,
    UserRepository,
    VetRepository,
)
from core.ports.uow import UnitOfWork
from sandbox.emulator.state import EmulatorState

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
# A profile is in the vet's own words, so it has one language: owners see the vets who speak
# theirs (GetVetOffers lists by language first), Russian speakers Анна and Иван, English
# speakers Emma and James, each pair covering every species.
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
        languages=frozenset({"ru"}),
        price_amount=250,
        bio="Демо-врач: любые питомцы, от хомяков до попугаев.",
    ),
    DemoVet(
        telegram_id=5_550_003,
        first_name="Emma",
        language="en",
        display_name="Demo Emma Brown",
        species=frozenset({Species.CAT, Species.DOG}),
        languages=frozenset({"en"}),
        price_amount=200,
        bio="Demo vet: cats and dogs.",
    ),
    DemoVet(
        telegram_id=5_550_004,
        first_name="James",
        language="en",
        display_name="Demo James Wilson",
        species=frozenset(Species),
        languages=frozenset({"en"}),
        price_amount=250,
        bio="Demo vet: any pet, from hamsters to parrots.",
    ),
)
DEMO_VET_ZONE: Final = "Europe/Moscow"
DEMO_VET_HOURS: Final = (time(9), time(21))


async def seed_demo_vets(container: AsyncContainer) -> tuple[DemoVet, ...]:
    """Create the demo vets once (every day 09:00–21:00 Moscow time) with their slots for the
    coming days, all in one transaction. On later starts only what changed is written: a demo
    vet saved by an older sandbox gets today's profile (the demo's words, not a vet's edits to
    keep); their slots are kept ahead by the periodic publish-slots job, whose first round runs
    on every start (bot/periodic.py)."""
    created: list[int] = []
    async with container() as request:
        users = await request.get(UserRepository)
        vets = await request.get(VetRepository)
        availability = await request.get(AvailabilityRepository)
        for demo in DEMO_VETS:
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
                await availability.replace_rules(
                    vet.id, [(weekday, start, end) for weekday in range(7)]
                )
                created.append(vet.id)
            elif _outdated(vet, demo):
                await vets.save_profile(
                    vet.id,
                    display_name=demo.display_name,
                    specialisations=vet.specialisations or "",
                    species=demo.species,
                    languages=demo.languages,
                    years_of_practice=vet.years_of_practice or 0,
                    price_amount=demo.price_amount,
                    bio=demo.bio,
                    photo_file_id=vet.photo_file_id,
                    submitted_at=vet.submitted_at or datetime.now(UTC),
                )
        # A new vet is bookable the moment the sandbox answers, not after the periodic job's
        # first round: publishing is idempotent, and commits what came before it.
        publish = await request.get(PublishSlots)
        for vet_id in created:
            await publish(vet_id)
        await (await request.get(UnitOfWork)).commit()
    return DEMO_VETS


def _outdated(vet: Vet, demo: DemoVet) -> bool:
    return (vet.display_name, vet.bio, vet.species, vet.languages, vet.price_amount) != (
        demo.display_name,
        demo.bio,
        demo.species,
        demo.languages,
        demo.price_amount,
    )


@dataclass(frozen=True, slots=True)
class DemoPerson:
    """One of the sandbox's own users who is not a vet: the demo admin, the first owner."""

    first_name: str
    language: str
    label: str  # how the web chat's user switcher marks them
    telegram_id: int | None = None  # None: the emulator picks one, as for any new user


# An admin for the sandbox run only: its id joins ADMIN_IDS there (bot/run_modes.py), so it
# can invite vets (/vet_invite) and verify them (/vets_pending). Never in real settings.
DEMO_ADMIN: Final = DemoPerson(
    telegram_id=5_550_100, first_name="Ольга", language="ru", label="admin"
)
# The user a fresh sandbox's page opens as: a pet owner who has not started the bot yet.
DEMO_OWNER: Final = DemoPerson(first_name="Маша", language="ru", label="owner")


async def seed_demo_admin(container: AsyncContainer) -> DemoPerson:
    """The demo admin's account, once; the start-up admin sync keeps its role afterwards."""
    assert DEMO_ADMIN.telegram_id is not None
    async with container() as request:
        users = await request.get(UserRepository)
        if await users.get_by_telegram_id(DEMO_ADMIN.telegram_id) is None:
            await users.add(
                telegram_id=DEMO_ADMIN.telegram_id,
                first_name=DEMO_ADMIN.first_name,
                username=None,
                language=DEMO_ADMIN.language,
                roles=frozenset({Role.OWNER, Role.ADMIN}),
            )
            await (await request.get(UnitOfWork)).commit()
    return DEMO_ADMIN


def add_demo_people(emulator: EmulatorState, vets: tuple[DemoVet, ...], admin: DemoPerson) -> None:
    """The demo vets and admin get chats in the emulator too, so their notifications can be
    seen, labelled for the page's user switcher (after a restart they are there already:
    add_user only refreshes a user with the same id). A sandbox with nobody else gets a pet
    owner to start as, the user the page opens on: a newcomer's first screen is an owner's."""
    for vet in vets:
        emulator.add_user(
            vet.first_name, user_id=vet.telegram_id, language_code=vet.language
        ).label = "vet"
    emulator.add_user(
        admin.first_name, user_id=admin.telegram_id, language_code=admin.language
    ).label = admin.label
    if all(user.label in {"vet", "admin"} for user in emulator.users.values()):
        owner = emulator.add_user(DEMO_OWNER.first_name, language_code=DEMO_OWNER.language)
        owner.label = DEMO_OWNER.label
    emulator.mark_changed()
