"""Sharing interactors on in-memory repositories: invites, members, revoking, leaving."""

from __future__ import annotations

import dataclasses
import hashlib
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.attempts import MemoryAttempts
from core.config import ThrottleSection
from core.entities import MedicalRecord, Pet, PetInvite
from core.enums import AccessLevel, RecordKind, Species
from core.interactors.member_reminders import PetMemberReminders
from core.interactors.pets import AddPet, PetDraft
from core.interactors.reminders import DueDateReminders
from core.interactors.sharing import (
    INVITE_TTL,
    AcceptInvite,
    AcceptOutcome,
    CreateInvite,
    LeavePet,
    ListPetMembers,
    RevokeAccess,
    invite_token_from_payload,
)
from core.pets_errors import PetAccessDeniedError, PetNotFoundError
from core.ports.sharing_notices import InviteAcceptedNotice, SharingRecipient
from core.sharing_errors import (
    InviteExpiredError,
    InviteLevelError,
    InviteNotFoundError,
    InviteUsedError,
    OwnInviteError,
)
from tests.support.fake_records import FakeRecords
from tests.support.fake_reminders import FakeReminders
from tests.unit.test_pet_interactors import (
    COOWNER_TG,
    NOW,
    OWNER_TG,
    STRANGER_TG,
    VIEWER_TG,
    FakeAccess,
    FakePets,
    FakeUow,
    FakeUsers,
)

SITTER_TG = 500


class MovableClock:
    def __init__(self) -> None:
        self.at = NOW

    def now(self) -> datetime:
        return self.at


class RecordingNotices:
    """SharingNotices that keep what they would have sent."""

    def __init__(self) -> None:
        self.sent: list[tuple[SharingRecipient, InviteAcceptedNotice]] = []

    async def invite_accepted(
        self, recipient: SharingRecipient, notice: InviteAcceptedNotice
    ) -> None:
        self.sent.append((recipient, notice))


class FakeInvites:
    def __init__(self) -> None:
        self.rows: dict[int, PetInvite] = {}
        self.hashes: dict[int, str] = {}

    async def add(
        self,
        *,
        pet_id: int,
        created_by_user_id: int,
        level: AccessLevel,
        token_hash: str,
        expires_at: datetime,
        created_at: datetime,
    ) -> PetInvite:
        invite = PetInvite(
            len(self.rows) + 1, pet_id, created_by_user_id, level, expires_at, None, None, NOW
        )
        self.rows[invite.id] = invite
        self.hashes[invite.id] = token_hash
        return invite

    async def get_by_token_hash(self, token_hash: str) -> PetInvite | None:
        found = [i for i, h in self.hashes.items() if h == token_hash]
        return self.rows[found[0]] if found else None

    async def claim(self, invite_id: int, *, user_id: int, used_at: datetime) -> bool:
        invite = self.rows[invite_id]
        if invite.used_at is not None or invite.expires_at <= used_at:
            return False
        self.rows[invite_id] = dataclasses.replace(
            invite, used_at=used_at, used_by_user_id=user_id
        )
        return True


class RecordingTopUps:
    """The medication courses' top-up (tested on a database in test_medication_reminders):
    which courses it was asked to fill for a new member."""

    def __init__(self) -> None:
        self.courses: list[int] = []

    async def top_up(self, record: MedicalRecord) -> int:
        self.courses.append(record.id)
        return 0


@dataclasses.dataclass
class World:
    uow: FakeUow
    users: FakeUsers
    pets: FakePets
    access: FakeAccess
    invites: FakeInvites
    clock: MovableClock
    notices: RecordingNotices = dataclasses.field(default_factory=RecordingNotices)
    records: FakeRecords = dataclasses.field(default_factory=FakeRecords)
    reminders: FakeReminders = dataclasses.field(default_factory=FakeReminders)
    topped_up: RecordingTopUps = dataclasses.field(default_factory=lambda: RecordingTopUps())

    @property
    def due_dates(self) -> DueDateReminders:
        # Partial fakes: the methods these interactors call.
        users: Any = self.users
        access: Any = self.access
        reminders: Any = self.reminders
        return DueDateReminders(reminders, users, access, self.clock)

    @property
    def member_reminders(self) -> PetMemberReminders:
        users: Any = self.users
        reminders: Any = self.reminders
        medication: Any = self.topped_up
        return PetMemberReminders(
            self.due_dates, medication, reminders, self.records, users, self.clock
        )

    def make(self, interactor: type[Any]) -> Any:
        if interactor is CreateInvite:
            return interactor(
                self.uow, self.users, self.pets, self.access, self.invites, self.clock
            )
        if interactor is AcceptInvite:
            return interactor(
                self.uow,
                self.users,
                self.pets,
                self.access,
                self.invites,
                self.clock,
                MemoryAttempts(),
                ThrottleSection(),
                self.notices,
                self.member_reminders,
            )
        if interactor is ListPetMembers:
            return interactor(self.users, self.pets, self.access)
        return interactor(self.uow, self.users, self.pets, self.access, self.member_reminders)

    async def user_id(self, telegram_id: int) -> int:
        user = await self.users.get_by_telegram_id(telegram_id)
        assert user is not None
        return user.id

    async def level(self, telegram_id: int, pet_id: int) -> AccessLevel | None:
        return await self.access.get_level(await self.user_id(telegram_id), pet_id)


@pytest.fixture
async def world() -> World:
    access = FakeAccess()
    world = World(FakeUow(), FakeUsers(), FakePets(access), access, FakeInvites(), MovableClock())
    for telegram_id in (OWNER_TG, COOWNER_TG, VIEWER_TG, STRANGER_TG, SITTER_TG):
        await world.users.add(
            telegram_id=telegram_id, first_name=f"u{telegram_id}", username=None, language="ru"
        )
    return world


async def _shared_pet(world: World) -> Pet:
    """Барсик, owned by OWNER_TG, shared with a co-owner and a viewer."""
    add = AddPet(world.uow, world.users, world.pets, world.access, FakeRecords(), world.clock)
    pet: Pet = await add(OWNER_TG, PetDraft(name="Барсик", species=Species.CAT))
    for telegram_id, level in (
        (COOWNER_TG, AccessLevel.CO_OWNER),
        (VIEWER_TG, AccessLevel.VIEWER),
    ):
        await world.access.grant(
            pet_id=pet.id,
            user_id=await world.user_id(telegram_id),
            level=level,
            granted_by_user_id=await world.user_id(OWNER_TG),
            granted_at=NOW,
        )
    return pet


def _token(payload: str) -> str:
    token = invite_token_from_payload(payload)
    assert token is not None
    return token


async def test_an_invite_is_a_short_deep_link_payload_and_only_its_hash_is_stored(
    world: World,
) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)

    assert re.fullmatch(r"inv_[A-Za-z0-9_-]{22}", issued.start_payload)
    assert len(issued.start_payload) <= 64
    assert issued.expires_at == NOW + INVITE_TTL == NOW + timedelta(hours=48)
    assert issued.valid_hours == 48
    [invite] = world.invites.rows.values()
    token = _token(issued.start_payload)
    assert world.invites.hashes[invite.id] == hashlib.sha256(token.encode()).hexdigest()
    assert token not in repr(invite)
    assert (invite.level, invite.used_at) == (AccessLevel.CO_OWNER, None)


async def test_two_invites_never_share_a_token(world: World) -> None:
    pet = await _shared_pet(world)
    create = world.make(CreateInvite)
    payloads = {
        (await create(OWNER_TG, pet.id, AccessLevel.VIEWER)).start_payload for _ in range(20)
    }
    assert len(payloads) == 20


async def test_who_may_invite_whom(world: World) -> None:
    pet = await _shared_pet(world)
    create = world.make(CreateInvite)
    await create(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    await create(OWNER_TG, pet.id, AccessLevel.VIEWER)
    await create(COOWNER_TG, pet.id, AccessLevel.VIEWER)
    with pytest.raises(PetAccessDeniedError):
        await create(COOWNER_TG, pet.id, AccessLevel.CO_OWNER)
    for level in (AccessLevel.CO_OWNER, AccessLevel.VIEWER):
        with pytest.raises(PetAccessDeniedError):
            await create(VIEWER_TG, pet.id, level)
        with pytest.raises(PetNotFoundError):
            await create(STRANGER_TG, pet.id, level)
    with pytest.raises(InviteLevelError):
        await create(OWNER_TG, pet.id, AccessLevel.OWNER)
    assert len(world.invites.rows) == 3


async def test_accepting_grants_the_level_once(world: World) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.VIEWER)
    accept = world.make(AcceptInvite)

    accepted = await accept(SITTER_TG, _token(issued.start_payload))

    assert (accepted.pet.id, accepted.level, accepted.outcome) == (
        pet.id,
        AccessLevel.VIEWER,
        AcceptOutcome.GRANTED,
    )
    assert await world.level(SITTER_TG, pet.id) is AccessLevel.VIEWER
    [invite] = world.invites.rows.values()
    assert invite.used_by_user_id == await world.user_id(SITTER_TG)
    with pytest.raises(InviteUsedError):
        await accept(STRANGER_TG, _token(issued.start_payload))
    assert await world.level(STRANGER_TG, pet.id) is None


async def test_the_owner_and_the_inviting_co_owner_are_told_once_each(world: World) -> None:
    pet = await _shared_pet(world)
    by_co_owner = await world.make(CreateInvite)(COOWNER_TG, pet.id, AccessLevel.VIEWER)
    by_owner = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.VIEWER)
    accept = world.make(AcceptInvite)

    await accept(SITTER_TG, _token(by_co_owner.start_payload))

    told = [(recipient.telegram_id, recipient.language) for recipient, _ in world.notices.sent]
    assert told == [(COOWNER_TG, "ru"), (OWNER_TG, "ru")]
    notice = world.notices.sent[0][1]
    assert (notice.pet_id, notice.pet_name, notice.member_name, notice.level) == (
        pet.id,
        "Барсик",
        f"u{SITTER_TG}",
        AccessLevel.VIEWER,
    )
    # Nothing granted, nobody told: the link stays for its person.
    world.notices.sent.clear()
    await accept(COOWNER_TG, _token(by_owner.start_payload))
    assert world.notices.sent == []
    await accept(STRANGER_TG, _token(by_owner.start_payload))
    assert [recipient.telegram_id for recipient, _ in world.notices.sent] == [OWNER_TG]


async def test_an_expired_invite_is_refused(world: World) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    world.clock.at = NOW + INVITE_TTL
    with pytest.raises(InviteExpiredError):
        await world.make(AcceptInvite)(SITTER_TG, _token(issued.start_payload))
    assert await world.level(SITTER_TG, pet.id) is None


async def test_the_inviter_cannot_accept_their_own_link(world: World) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(COOWNER_TG, pet.id, AccessLevel.VIEWER)
    with pytest.raises(OwnInviteError):
        await world.make(AcceptInvite)(COOWNER_TG, _token(issued.start_payload))
    assert await world.level(COOWNER_TG, pet.id) is AccessLevel.CO_OWNER


async def test_accepting_never_downgrades_and_leaves_the_link_for_its_person(
    world: World,
) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.VIEWER)
    accept = world.make(AcceptInvite)

    accepted = await accept(COOWNER_TG, _token(issued.start_payload))

    assert (accepted.level, accepted.outcome) == (AccessLevel.CO_OWNER, AcceptOutcome.ALREADY_HAD)
    assert await world.level(COOWNER_TG, pet.id) is AccessLevel.CO_OWNER
    assert (await accept(SITTER_TG, _token(issued.start_payload))).outcome is (
        AcceptOutcome.GRANTED
    )


async def test_a_viewer_accepting_a_co_owner_invite_is_upgraded(world: World) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    accepted = await world.make(AcceptInvite)(VIEWER_TG, _token(issued.start_payload))
    assert accepted.outcome is AcceptOutcome.GRANTED
    assert await world.level(VIEWER_TG, pet.id) is AccessLevel.CO_OWNER


async def test_links_of_a_co_owner_who_lost_access_stop_working(world: World) -> None:
    pet = await _shared_pet(world)
    issued = await world.make(CreateInvite)(COOWNER_TG, pet.id, AccessLevel.VIEWER)
    await world.make(RevokeAccess)(OWNER_TG, pet.id, await world.user_id(COOWNER_TG))
    with pytest.raises(InviteNotFoundError):
        await world.make(AcceptInvite)(SITTER_TG, _token(issued.start_payload))


async def test_unknown_tokens_and_other_payloads(world: World) -> None:
    with pytest.raises(InviteNotFoundError):
        await world.make(AcceptInvite)(SITTER_TG, "A" * 22)
    assert invite_token_from_payload(None) is None
    assert invite_token_from_payload("") is None
    assert invite_token_from_payload("promo_2025") is None
    assert invite_token_from_payload("inv_short") is None
    assert invite_token_from_payload("inv_" + "a/b" * 8) is None
    assert invite_token_from_payload("inv_abcDEF0123456789-_xy") == "abcDEF0123456789-_xy"


async def test_members_are_listed_with_what_the_caller_may_revoke(world: World) -> None:
    pet = await _shared_pet(world)
    as_owner = await world.make(ListPetMembers)(OWNER_TG, pet.id)
    assert [(m.first_name, m.level, m.is_you, m.can_revoke) for m in as_owner.members] == [
        (f"u{OWNER_TG}", AccessLevel.OWNER, True, False),
        (f"u{COOWNER_TG}", AccessLevel.CO_OWNER, False, True),
        (f"u{VIEWER_TG}", AccessLevel.VIEWER, False, True),
    ]
    assert (as_owner.can_invite_co_owner, as_owner.can_invite_viewer, as_owner.can_leave) == (
        True,
        True,
        False,
    )
    as_co_owner = await world.make(ListPetMembers)(COOWNER_TG, pet.id)
    assert [m.can_revoke for m in as_co_owner.members] == [False, False, True]
    assert (as_co_owner.can_invite_co_owner, as_co_owner.can_invite_viewer) == (False, True)
    as_viewer = await world.make(ListPetMembers)(VIEWER_TG, pet.id)
    assert not any(m.can_revoke for m in as_viewer.members)
    assert (as_viewer.can_invite_viewer, as_viewer.can_leave) == (False, True)
    with pytest.raises(PetNotFoundError):
        await world.make(ListPetMembers)(STRANGER_TG, pet.id)


async def test_revoking_follows_who_could_have_invited(world: World) -> None:
    pet = await _shared_pet(world)
    revoke = world.make(RevokeAccess)
    owner, co_owner, viewer = [await world.user_id(tg) for tg in (OWNER_TG, COOWNER_TG, VIEWER_TG)]
    for actor, target in (
        (COOWNER_TG, co_owner),
        (COOWNER_TG, owner),
        (VIEWER_TG, viewer),
        (VIEWER_TG, co_owner),
        (OWNER_TG, owner),
    ):
        with pytest.raises(PetAccessDeniedError):
            await revoke(actor, pet.id, target)
    with pytest.raises(PetNotFoundError):
        await revoke(STRANGER_TG, pet.id, viewer)

    revoked = await revoke(COOWNER_TG, pet.id, viewer)
    assert (revoked.first_name, revoked.was_member) == (f"u{VIEWER_TG}", True)
    assert await world.level(VIEWER_TG, pet.id) is None
    await revoke(OWNER_TG, pet.id, co_owner)
    assert await world.level(COOWNER_TG, pet.id) is None


async def test_a_crafted_member_id_reveals_no_name(world: World) -> None:
    pet = await _shared_pet(world)
    stranger = await world.user_id(STRANGER_TG)
    revoked = await world.make(RevokeAccess)(OWNER_TG, pet.id, stranger)
    assert (revoked.first_name, revoked.username, revoked.was_member) == ("", None, False)


async def test_non_owners_may_leave_and_owners_may_not(world: World) -> None:
    pet = await _shared_pet(world)
    leave = world.make(LeavePet)
    assert (await leave(VIEWER_TG, pet.id)) == pet
    assert await world.level(VIEWER_TG, pet.id) is None
    assert await leave(VIEWER_TG, pet.id) is None  # a second press
    assert await leave(COOWNER_TG, pet.id) == pet
    with pytest.raises(PetAccessDeniedError):
        await leave(OWNER_TG, pet.id)
    assert await world.level(OWNER_TG, pet.id) is AccessLevel.OWNER


# Co-owners and the card's reminders (issue #12: "co-owners get them too").


async def _vaccinated_pet(world: World) -> tuple[Pet, int]:
    """The shared pet with two entries of one vaccine (the later one decides) and a parasite
    treatment with nothing planned; the owner and the co-owner have their reminders. The id
    of the entry that decides."""
    pet = await _shared_pet(world)
    older = await world.records.add(
        pet_id=pet.id,
        kind=RecordKind.VACCINATION,
        title="Nobivac Tricat",
        occurred_at=NOW - timedelta(days=400),
        next_due_at=NOW - timedelta(days=35),
    )
    latest = await world.records.add(
        pet_id=pet.id,
        kind=RecordKind.VACCINATION,
        title="nobivac  TRICAT",
        occurred_at=NOW - timedelta(days=30),
        next_due_at=datetime(2025, 7, 20, 12, tzinfo=UTC),
    )
    await world.records.add(
        pet_id=pet.id,
        kind=RecordKind.PARASITE_TREATMENT,
        title="Bravecto",
        occurred_at=NOW - timedelta(days=10),
    )
    await world.due_dates.entry_added(latest, replaces=[older.id])
    await world.records.add(
        pet_id=pet.id,
        kind=RecordKind.MEDICATION,
        title="Synulox",
        occurred_at=NOW - timedelta(days=1),
        data={"dose_times": ["09:00"]},
    )
    return pet, latest.id


def _pending_of(world: World, user_id: int) -> list[tuple[int | None, str | None]]:
    return sorted((r.record_id, r.step) for r in world.reminders.pending() if r.user_id == user_id)


async def test_a_co_owner_who_joins_gets_the_cards_remaining_reminders(world: World) -> None:
    pet, latest_id = await _vaccinated_pet(world)
    [course_id] = [r.id for r in world.records.rows.values() if r.kind is RecordKind.MEDICATION]
    owner = await world.user_id(OWNER_TG)
    owners_rows = _pending_of(world, owner)
    assert owners_rows and {record for record, _ in owners_rows} == {latest_id}

    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    await world.make(AcceptInvite)(SITTER_TG, _token(issued.start_payload))

    # The same steps as the owner (both in Moscow): only the entry that decides, none for the
    # treatment with nothing planned; the medication course's doses are topped up.
    sitter = await world.user_id(SITTER_TG)
    assert _pending_of(world, sitter) == owners_rows
    assert world.topped_up.courses == [course_id]
    assert world.uow.commits >= 1

    # Joining again (a second link) adds nothing.
    again = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    await world.make(AcceptInvite)(SITTER_TG, _token(again.start_payload))
    assert _pending_of(world, sitter) == owners_rows


async def test_a_viewer_gets_no_reminders_until_raised_to_co_owner(world: World) -> None:
    pet, latest_id = await _vaccinated_pet(world)
    viewer_link = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.VIEWER)
    await world.make(AcceptInvite)(SITTER_TG, _token(viewer_link.start_payload))
    sitter = await world.user_id(SITTER_TG)
    assert _pending_of(world, sitter) == []

    co_owner_link = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    await world.make(AcceptInvite)(SITTER_TG, _token(co_owner_link.start_payload))
    assert {record for record, _ in _pending_of(world, sitter)} == {latest_id}


async def test_leaving_or_being_revoked_cancels_only_that_members_reminders(
    world: World,
) -> None:
    pet, _ = await _vaccinated_pet(world)
    owner, co_owner = await world.user_id(OWNER_TG), await world.user_id(COOWNER_TG)
    owners_rows = _pending_of(world, owner)
    assert _pending_of(world, co_owner) == owners_rows

    await world.make(LeavePet)(COOWNER_TG, pet.id)
    assert _pending_of(world, co_owner) == []
    gone = [r for r in world.reminders.rows.values() if r.user_id == co_owner]
    assert gone and {r.cancel_reason for r in gone} == {"gone"}
    assert _pending_of(world, owner) == owners_rows

    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    await world.make(AcceptInvite)(SITTER_TG, _token(issued.start_payload))
    sitter = await world.user_id(SITTER_TG)
    assert _pending_of(world, sitter) == owners_rows
    await world.make(RevokeAccess)(OWNER_TG, pet.id, sitter)
    assert _pending_of(world, sitter) == []
    assert _pending_of(world, owner) == owners_rows

    # Back again: a member who left is reminded afresh, as anyone joining.
    issued = await world.make(CreateInvite)(OWNER_TG, pet.id, AccessLevel.CO_OWNER)
    await world.make(AcceptInvite)(COOWNER_TG, _token(issued.start_payload))
    assert _pending_of(world, co_owner) == owners_rows
