"""Sharing a pet: one-time invite links, who has access, revoking it, leaving a pet.

Who may do what (the rule is written once, here):
- an owner invites co-owners and viewers, and revokes anyone but an owner;
- a co-owner invites viewers and revokes viewers — the people they could have invited;
- a viewer does neither; co-owners and viewers may leave a pet, an owner may not (they delete
  it, or their account, which hands it over: see `core.interactors.account`);
- everyone with access sees the list of people who have it (a sitter knows the family).

Every interactor resolves the caller's access itself, like the pets interactors: a pet the
caller cannot see is `PetNotFoundError`, whatever id a button or a crafted callback carries.

An invite is a random token in a deep link (`https://t.me/<bot>?start=inv_<token>`); only its
SHA-256 is stored, so a leaked database gives no usable link. It works once (a conditional
UPDATE claims it) and for `INVITE_TTL`. Accepting re-checks that the inviter may still give
that level: a co-owner whose access was revoked leaves no working links behind.
"""

from __future__ import annotations

import hashlib
import math
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Final

from core.clock import Clock
from core.config import ThrottleSection
from core.entities import Pet
from core.enums import AccessLevel
from core.interactors.member_reminders import PetMemberReminders
from core.interactors.pets import EDITORS, _PetAccessGuard
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from core.ports.attempts import Attempts
from core.ports.repositories import (
    InviteRepository,
    PetAccessRepository,
    PetRepository,
    UserRepository,
)
from core.ports.sharing_notices import InviteAcceptedNotice, SharingNotices, SharingRecipient
from core.ports.uow import UnitOfWork
from core.sharing_errors import (
    InviteExpiredError,
    InviteLevelError,
    InviteNotFoundError,
    InviteUsedError,
    OwnInviteError,
    TooManyInviteAttemptsError,
)

INVITE_TTL: Final = timedelta(hours=48)
# Telegram's start payload: at most 64 characters of [A-Za-z0-9_-]. The prefix tells an invite
# from any other payload a later feature may use.
INVITE_PAYLOAD_PREFIX: Final = "inv_"
_TOKEN_BYTES: Final = 16  # token_urlsafe(16): 22 characters, 128 bits
_PAYLOAD = re.compile(rf"{INVITE_PAYLOAD_PREFIX}([A-Za-z0-9_-]{{16,60}})")

# Who may give (and take back) each level.
INVITERS: Final[dict[AccessLevel, frozenset[AccessLevel]]] = {
    AccessLevel.CO_OWNER: frozenset({AccessLevel.OWNER}),
    AccessLevel.VIEWER: frozenset({AccessLevel.OWNER, AccessLevel.CO_OWNER}),
}
_RANK: Final = {AccessLevel.OWNER: 0, AccessLevel.CO_OWNER: 1, AccessLevel.VIEWER: 2}


def stronger_or_equal(level: AccessLevel, than: AccessLevel) -> bool:
    return _RANK[level] <= _RANK[than]


def invite_token_from_payload(payload: str | None) -> str | None:
    """The invite token in a `/start` payload, or None when the payload is no invite."""
    if not payload:
        return None
    match = _PAYLOAD.fullmatch(payload.strip())
    return match.group(1) if match else None


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("ascii")).hexdigest()


@dataclass(frozen=True, slots=True)
class IssuedInvite:
    """A fresh invite; `start_payload` goes after `?start=` in the bot's link."""

    pet: Pet
    level: AccessLevel
    start_payload: str
    expires_at: datetime
    valid_hours: int


class AcceptOutcome(StrEnum):
    GRANTED = "granted"
    # The person already had this level or a stronger one: nothing changes, and the link stays
    # unused for whoever it was meant for.
    ALREADY_HAD = "already_had"


@dataclass(frozen=True, slots=True)
class AcceptedInvite:
    pet: Pet
    level: AccessLevel  # the level the user has now
    outcome: AcceptOutcome


@dataclass(frozen=True, slots=True)
class PetMember:
    user_id: int
    first_name: str
    username: str | None
    level: AccessLevel
    is_you: bool
    can_revoke: bool  # by the caller


@dataclass(frozen=True, slots=True)
class PetMembers:
    pet: Pet
    your_level: AccessLevel
    members: tuple[PetMember, ...]  # strongest level first

    @property
    def can_invite_co_owner(self) -> bool:
        return self.your_level in INVITERS[AccessLevel.CO_OWNER] and not self.pet.is_archived

    @property
    def can_invite_viewer(self) -> bool:
        return self.your_level in INVITERS[AccessLevel.VIEWER] and not self.pet.is_archived

    @property
    def can_leave(self) -> bool:
        return self.your_level is not AccessLevel.OWNER


@dataclass(frozen=True, slots=True)
class Revoked:
    """Whose access to which pet was taken away; `was_member` False: they had none left."""

    pet: Pet
    first_name: str
    username: str | None
    was_member: bool


def _may_revoke(actor: AccessLevel, target: AccessLevel) -> bool:
    # Whoever could have invited that level may take it back; owners are never revoked.
    return target is not AccessLevel.OWNER and actor in INVITERS[target]


class CreateInvite:
    """Issue a one-time link giving co-owner or viewer access to a pet."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        invites: InviteRepository,
        clock: Clock,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._invites = invites
        self._clock = clock

    async def __call__(self, telegram_id: int, pet_id: int, level: AccessLevel) -> IssuedInvite:
        allowed = INVITERS.get(level)
        if allowed is None:
            raise InviteLevelError(level.value)
        seen = await self._guard.load_for(telegram_id, pet_id, allowed, f"invite {level.value}")
        if seen.pet.is_archived:
            raise PetArchivedError(pet_id)
        inviter_id = await self._guard.user_id(telegram_id)
        token = secrets.token_urlsafe(_TOKEN_BYTES)
        now = self._clock.now()
        expires_at = now + INVITE_TTL
        await self._invites.add(
            pet_id=pet_id,
            created_by_user_id=inviter_id,
            level=level,
            token_hash=hash_token(token),
            expires_at=expires_at,
            created_at=now,
        )
        await self._uow.commit()
        return IssuedInvite(
            pet=seen.pet,
            level=level,
            start_payload=f"{INVITE_PAYLOAD_PREFIX}{token}",
            expires_at=expires_at,
            valid_hours=int(INVITE_TTL.total_seconds() // 3600),
        )


class AcceptInvite:
    """Take up an invite link: grant its level to the caller, once, before it expires.

    Never downgrades: someone who already has that level or a stronger one keeps theirs, and
    the link stays unused. The caller must have consented (the access row is personal data):
    the bot keeps the link through onboarding and calls this after consent. Once granted, the
    pet's owners and whoever invited are told, in their own language (`SharingNotices`).
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        invites: InviteRepository,
        clock: Clock,
        attempts: Attempts,
        limits: ThrottleSection,
        notices: SharingNotices,
        member_reminders: PetMemberReminders,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._users = users
        self._pets = pets
        self._access = access
        self._invites = invites
        self._clock = clock
        self._attempts = attempts
        self._limits = limits
        self._notices = notices
        self._member_reminders = member_reminders

    async def __call__(self, telegram_id: int, token: str) -> AcceptedInvite:
        # Guessing a token: after a few wrong ones, none is even looked up for a while.
        wrong_key = f"invite-wrong:{telegram_id}"
        limited = self._limits.enabled
        if limited and await self._attempts.count(wrong_key) >= self._limits.invite_attempts:
            raise self._wait()
        user_id = await self._guard.user_id(telegram_id)
        invite = await self._invites.get_by_token_hash(hash_token(token))
        if invite is None:
            if not limited:
                raise InviteNotFoundError
            wrong = await self._attempts.add(wrong_key, self._limits.invite_window_s)
            # The last wrong code allowed already says to wait: the next is not checked.
            raise self._wait() if wrong >= self._limits.invite_attempts else InviteNotFoundError()
        if invite.created_by_user_id == user_id:
            raise OwnInviteError
        now = self._clock.now()
        if invite.used_at is not None:
            raise InviteUsedError
        if invite.expires_at <= now:
            raise InviteExpiredError
        pet = await self._pets.get(invite.pet_id)
        inviter_level = await self._access.get_level(invite.created_by_user_id, invite.pet_id)
        if pet is None or inviter_level not in INVITERS[invite.level]:
            raise InviteNotFoundError
        current = await self._access.get_level(user_id, invite.pet_id)
        if current is not None and stronger_or_equal(current, invite.level):
            return AcceptedInvite(pet=pet, level=current, outcome=AcceptOutcome.ALREADY_HAD)
        if not await self._invites.claim(invite.id, user_id=user_id, used_at=now):
            # Someone else claimed it between our read and our update.
            raise InviteUsedError
        await self._access.grant(
            pet_id=invite.pet_id,
            user_id=user_id,
            level=invite.level,
            granted_by_user_id=invite.created_by_user_id,
            granted_at=now,
        )
        if invite.level in EDITORS:
            # A co-owner hears of the card's next-due dates like the owner does.
            await self._member_reminders.joined(invite.pet_id, user_id)
        await self._uow.commit()
        await self._tell_owners(pet, user_id, invite.created_by_user_id, invite.level)
        return AcceptedInvite(pet=pet, level=invite.level, outcome=AcceptOutcome.GRANTED)

    async def _tell_owners(
        self, pet: Pet, member_id: int, inviter_id: int, level: AccessLevel
    ) -> None:
        member = await self._users.get(member_id)
        if member is None:
            return
        notice = InviteAcceptedNotice(
            pet_id=pet.id,
            pet_name=pet.name,
            member_name=member.first_name,
            member_username=member.username,
            level=level,
        )
        # The inviter (a co-owner may have invited a viewer) and every owner, each once.
        owners = [
            row.user_id
            for row in await self._access.list_for_pet(pet.id)
            if row.level is AccessLevel.OWNER
        ]
        for recipient_id in dict.fromkeys([inviter_id, *owners]):
            recipient = await self._users.get(recipient_id)
            # Someone who blocked the bot is skipped, as every notice to other people does.
            if recipient is None or recipient_id == member_id or recipient.blocked_bot_at:
                continue
            await self._notices.invite_accepted(
                SharingRecipient(telegram_id=recipient.telegram_id, language=recipient.language),
                notice,
            )

    def _wait(self) -> TooManyInviteAttemptsError:
        # The window opened with the first wrong code: the whole window bounds the wait.
        return TooManyInviteAttemptsError(math.ceil(self._limits.invite_window_s / 60))


class ListPetMembers:
    """Who has access to a pet, with what the caller may do about each of them."""

    def __init__(
        self, users: UserRepository, pets: PetRepository, access: PetAccessRepository
    ) -> None:
        self._guard = _PetAccessGuard(users, pets, access)
        self._users = users
        self._access = access

    async def __call__(self, telegram_id: int, pet_id: int) -> PetMembers:
        seen = await self._guard.load(telegram_id, pet_id)
        me = await self._guard.user_id(telegram_id)
        members: list[PetMember] = []
        for row in await self._access.list_for_pet(pet_id):
            user = await self._users.get(row.user_id)
            if user is None:
                continue
            members.append(
                PetMember(
                    user_id=user.id,
                    first_name=user.first_name,
                    username=user.username,
                    level=row.level,
                    is_you=user.id == me,
                    can_revoke=user.id != me and _may_revoke(seen.level, row.level),
                )
            )
        return PetMembers(pet=seen.pet, your_level=seen.level, members=tuple(members))


class RevokeAccess:
    """Take someone's access to a pet away (see the module's rules on who may).

    A member who has no access any more (a stale button) is not an error: it is done already.
    """

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        member_reminders: PetMemberReminders,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._users = users
        self._access = access
        self._member_reminders = member_reminders

    async def __call__(self, telegram_id: int, pet_id: int, member_user_id: int) -> Revoked:
        seen = await self._guard.load(telegram_id, pet_id)
        me = await self._guard.user_id(telegram_id)
        target = await self._access.get_level(member_user_id, pet_id)
        # Looked up only for a member of this pet: a crafted id must not reveal anyone's name.
        member = await self._users.get(member_user_id) if target is not None else None
        if target is None or member is None:
            return Revoked(seen.pet, "", None, was_member=False)
        if member_user_id == me or not _may_revoke(seen.level, target):
            raise PetAccessDeniedError(pet_id, "revoke")
        await self._access.revoke(pet_id=pet_id, user_id=member_user_id)
        await self._member_reminders.left(pet_id, member_user_id)
        await self._uow.commit()
        return Revoked(seen.pet, member.first_name, member.username, was_member=True)


class LeavePet:
    """Stop seeing a pet shared with you. Owners cannot leave their own pet."""

    def __init__(
        self,
        uow: UnitOfWork,
        users: UserRepository,
        pets: PetRepository,
        access: PetAccessRepository,
        member_reminders: PetMemberReminders,
    ) -> None:
        self._uow = uow
        self._guard = _PetAccessGuard(users, pets, access)
        self._access = access
        self._member_reminders = member_reminders

    async def __call__(self, telegram_id: int, pet_id: int) -> Pet | None:
        """The pet left, or None when the caller had no access to it (left already)."""
        try:
            seen = await self._guard.load(telegram_id, pet_id)
        except PetNotFoundError:
            return None  # a second press; and a crafted id learns nothing
        if seen.level is AccessLevel.OWNER:
            raise PetAccessDeniedError(pet_id, "leave")
        me = await self._guard.user_id(telegram_id)
        await self._access.revoke(pet_id=pet_id, user_id=me)
        await self._member_reminders.left(pet_id, me)
        await self._uow.commit()
        return seen.pet
