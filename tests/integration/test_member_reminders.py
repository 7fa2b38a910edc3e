"""A co-owner's share of the card's reminders on a real database, through the container's own
interactors (PostgreSQL and SQLite): an invite accepted at co-owner level brings the remaining
next-due steps and the medication course's doses; leaving cancels them, the owner's stay.
The rules in detail (viewers, re-joining, revoking) are tested in
tests/unit/test_sharing_interactors.py."""

from __future__ import annotations

import itertools
import time as wall
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from aiogram import Bot
from dishka import AsyncContainer

from bot.ioc import create_container
from core.config import Settings
from core.enums import AccessLevel, ReminderKind, Species
from core.interactors.onboarding import ChooseLanguage, RegisterUser, TelegramProfile
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, LocalToday, MedicationDraft, VaccinationDraft
from core.interactors.sharing import (
    AcceptInvite,
    CreateInvite,
    LeavePet,
    invite_token_from_payload,
)
from core.ports.reminders import ReminderRepository
from core.ports.repositories import UserRepository
from tests.support.recording_session import RecordingSession

_telegram_ids = itertools.count(int(wall.time() * 1000) % 10**9 + 3 * 10**9)


@pytest.fixture
async def container(private_db_url: str, tmp_path: Path) -> AsyncIterator[AsyncContainer]:
    settings = Settings(
        _env_file=None,  # type: ignore[call-arg]
        database_url=private_db_url,
        storage_url=f"file://{tmp_path / 'files'}",
    )
    # The owner is told of the new member: a Bot whose calls are only recorded.
    session = RecordingSession()
    container = create_container(settings, bot=Bot("123456:TEST-token", session=session))
    yield container
    await container.close()


async def _person(container: AsyncContainer, name: str) -> int:
    telegram_id = next(_telegram_ids)
    async with container() as request:
        await (await request.get(RegisterUser))(TelegramProfile(telegram_id, name, None, "ru"))
    async with container() as request:
        await (await request.get(ChooseLanguage))(telegram_id, "ru")
    return telegram_id


async def _pending_kinds(container: AsyncContainer, telegram_id: int) -> list[ReminderKind]:
    async with container() as request:
        user = await (await request.get(UserRepository)).get_by_telegram_id(telegram_id)
        assert user is not None
        rows = await (await request.get(ReminderRepository)).list_pending_for_user(user.id)
    return sorted({row.kind for row in rows})


async def test_a_co_owner_gets_the_cards_reminders_on_joining_and_loses_them_on_leaving(
    container: AsyncContainer,
) -> None:
    owner, partner = await _person(container, "Anna"), await _person(container, "Ben")
    async with container() as request:
        pet = await (await request.get(AddPet))(owner, PetDraft(name="Rex", species=Species.DOG))
        today = await (await request.get(LocalToday))(owner)
    async with container() as request:
        add = await request.get(AddRecord)
        await add(owner, pet.id, VaccinationDraft("Nobivac", today, today + timedelta(days=20)))
    async with container() as request:
        add = await request.get(AddRecord)
        course = MedicationDraft("Synulox", "50 mg", "daily", today, None, ("09:00", "21:00"))
        await add(owner, pet.id, course)
    both = [ReminderKind.VACCINATION, ReminderKind.MEDICATION]
    assert await _pending_kinds(container, owner) == sorted(both)
    assert await _pending_kinds(container, partner) == []

    async with container() as request:
        issued = await (await request.get(CreateInvite))(owner, pet.id, AccessLevel.CO_OWNER)
    token = invite_token_from_payload(issued.start_payload)
    assert token is not None
    async with container() as request:
        await (await request.get(AcceptInvite))(partner, token)
    assert await _pending_kinds(container, partner) == sorted(both)

    async with container() as request:
        await (await request.get(LeavePet))(partner, pet.id)
    assert await _pending_kinds(container, partner) == []
    assert await _pending_kinds(container, owner) == sorted(both)
