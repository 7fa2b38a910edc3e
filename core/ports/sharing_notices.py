"""How sharing reaches people other than the one acting: "Anna accepted the invite".

Implemented in `bot/` (texts from the locales, in each recipient's language; an open sharing
screen about the pet is redrawn so it lists the newcomer). `AcceptInvite` calls it after its
commit; a delivery that fails is the adapter's to log, never the caller's to retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.enums import AccessLevel


@dataclass(frozen=True, slots=True)
class SharingRecipient:
    telegram_id: int
    language: str | None  # their stored choice; None: the default locale


@dataclass(frozen=True, slots=True)
class InviteAcceptedNotice:
    """Who now has access to which pet, as the owner's chat tells it."""

    pet_id: int
    pet_name: str
    member_name: str  # stored at consent, which comes before accepting
    member_username: str | None
    level: AccessLevel


class SharingNotices(Protocol):
    async def invite_accepted(
        self, recipient: SharingRecipient, notice: InviteAcceptedNotice
    ) -> None:
        """Tell an owner (or the co-owner who invited) that someone took up an invite."""
        ...
