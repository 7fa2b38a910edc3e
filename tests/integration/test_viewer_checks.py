"""A viewer (a pet sitter) runs a symptom check on a shared pet: they get the result, but the
owner's medical card stays the owner's — no entry they could not delete appears on it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from core.clock import SystemClock
from core.enums import AccessLevel, RecordKind, Sex, Species
from core.interactors.follow_ups import CheckFollowUps
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import ListRecords
from core.interactors.symptom_check import GetCheckResult, PhotoAnalysisSetting, SubmitCheck
from core.triage import default_rules
from db.repositories.checks import SqlSymptomCheckRepository
from db.repositories.follow_ups import SqlFollowUpRepository
from db.repositories.pets import SqlPetAccessRepository, SqlPetRepository
from db.repositories.records import SqlMedicalRecordRepository
from db.repositories.users import SqlUserRepository
from db.uow import SqlUnitOfWork

OWNER = 5201
SITTER = 5202
PARTNER = 5203


@dataclass
class NoQueue:
    queued: list[int] = field(default_factory=list)

    async def enqueue_check_analysis(self, check_id: int) -> None:
        self.queued.append(check_id)


@dataclass
class Service:
    """The interactors of the test over one session (rolled back after it): on PostgreSQL and
    SQLite alike (`db_session`), without the whole container."""

    session: AsyncSession

    def __post_init__(self) -> None:
        session = self.session
        self.uow = SqlUnitOfWork(session)
        self.users = SqlUserRepository(session)
        self.pets = SqlPetRepository(session)
        self.access = SqlPetAccessRepository(session)
        self.checks = SqlSymptomCheckRepository(session)
        self.records = SqlMedicalRecordRepository(session)
        self.clock = SystemClock()

    async def shared_pet(self) -> int:
        for telegram_id, name in ((OWNER, "Ann"), (SITTER, "Sam"), (PARTNER, "Pat")):
            await self.users.add(
                telegram_id=telegram_id, first_name=name, username=None, language="en"
            )
        pet = await AddPet(self.uow, self.users, self.pets, self.access, self.records, self.clock)(
            OWNER, PetDraft(name="Rex", species=Species.DOG, sex=Sex.MALE)
        )
        owner = await self.users.get_by_telegram_id(OWNER)
        assert owner is not None
        for telegram_id, level in ((SITTER, AccessLevel.VIEWER), (PARTNER, AccessLevel.CO_OWNER)):
            user = await self.users.get_by_telegram_id(telegram_id)
            assert user is not None
            await self.access.grant(
                pet_id=pet.id,
                user_id=user.id,
                level=level,
                granted_by_user_id=owner.id,
                granted_at=datetime.now(UTC),
            )
        await self.uow.commit()
        return pet.id

    async def check(self, telegram_id: int, pet_id: int) -> int:
        submit = SubmitCheck(
            self.uow,
            self.users,
            self.pets,
            self.access,
            self.checks,
            self.records,
            NoQueue(),
            default_rules(),
            PhotoAnalysisSetting(enabled=False),
            self.clock,
            CheckFollowUps(SqlFollowUpRepository(self.session), self.users, self.access),
        )
        outcome = await submit(
            telegram_id=telegram_id, pet_id=pet_id, signs=["skin_lump"], details={}
        )
        return outcome.check_id

    async def triage_entries(self, telegram_id: int, pet_id: int) -> list[int]:
        list_records = ListRecords(
            self.users, self.pets, self.access, self.records, self.checks, self.clock
        )
        page = await list_records(telegram_id, pet_id, kinds=[RecordKind.TRIAGE_RESULT])
        return [int(entry.record.data["check_id"]) for entry in page.entries]


@pytest.fixture
def service(db_session: AsyncSession) -> Service:
    return Service(db_session)


async def test_a_viewers_check_stays_off_the_owners_card(service: Service) -> None:
    pet_id = await service.shared_pet()

    sitter_check = await service.check(SITTER, pet_id)

    # The sitter still has their answer...
    get_result = GetCheckResult(service.users, service.pets, service.access, service.checks)
    check, pet = await get_result(telegram_id=SITTER, check_id=sitter_check)
    assert pet.id == pet_id and check.result is not None
    # ...but nobody's view of the card shows it.
    for reader in (OWNER, PARTNER, SITTER):
        assert await service.triage_entries(reader, pet_id) == []


async def test_owners_and_co_owners_checks_still_land_on_the_card(service: Service) -> None:
    pet_id = await service.shared_pet()

    owner_check = await service.check(OWNER, pet_id)
    partner_check = await service.check(PARTNER, pet_id)
    await service.check(SITTER, pet_id)

    on_card = await service.triage_entries(OWNER, pet_id)
    assert sorted(on_card) == sorted([owner_check, partner_check])
    # The viewer reads the card as the owner keeps it.
    assert sorted(await service.triage_entries(SITTER, pet_id)) == sorted(on_card)
