"""Typed errors of sharing a pet (invites, revoking, leaving). Edges map each to a message."""

from __future__ import annotations

from core.errors import DomainError


class InviteError(DomainError):
    """Base of the reasons an invite link cannot be accepted."""


class InviteNotFoundError(InviteError):
    """No such invite: a mistyped or forged token, a deleted pet, or an inviter who has since
    lost the right to invite. All read alike, so a guessed token reveals nothing."""

    def __init__(self) -> None:
        super().__init__("invite not found")


class InviteExpiredError(InviteError):
    def __init__(self) -> None:
        super().__init__("invite expired")


class InviteUsedError(InviteError):
    """Someone (perhaps the same person, pressing twice) has accepted this one-time link."""

    def __init__(self) -> None:
        super().__init__("invite already used")


class OwnInviteError(InviteError):
    """The inviter opened their own link (to check it, usually)."""

    def __init__(self) -> None:
        super().__init__("cannot accept your own invite")


class InviteLevelError(DomainError):
    """Invites give co-owner or viewer access, never ownership."""

    def __init__(self, level: str) -> None:
        super().__init__(f"cannot invite with level {level!r}")
        self.level = level


class TooManyInviteAttemptsError(InviteError):
    """Too many wrong invite codes lately: no code of this person's is checked for a while,
    so guessing one is hopeless. `minutes`: how long until the next is checked (at most)."""

    def __init__(self, minutes: int) -> None:
        super().__init__("too many wrong invite codes")
        self.minutes = minutes
