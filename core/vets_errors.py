"""Typed errors of vet onboarding and the vet's own views. Edges map each to a message."""

from __future__ import annotations

from enum import StrEnum

from core.errors import DomainError


class NotAnAdminError(DomainError):
    """Only the admins named in the configuration may invite and verify vets."""

    def __init__(self, telegram_id: int) -> None:
        super().__init__(f"user {telegram_id} is not an admin")
        self.telegram_id = telegram_id


class VetInviteError(DomainError):
    """Base of the reasons a vet invite link cannot be accepted."""


class VetInviteNotFoundError(VetInviteError):
    """A mistyped or forged token, or an inviter who is no longer an admin: all read alike."""

    def __init__(self) -> None:
        super().__init__("vet invite not found")


class VetInviteExpiredError(VetInviteError):
    def __init__(self) -> None:
        super().__init__("vet invite expired")


class VetInviteUsedError(VetInviteError):
    def __init__(self) -> None:
        super().__init__("vet invite already used")


class AlreadyAVetError(VetInviteError):
    """The person already has a vet profile; the link stays unused for whoever it was for."""

    def __init__(self) -> None:
        super().__init__("already a vet")


class PendingVetNotFoundError(DomainError):
    """No submitted, unverified profile with this id (verified meanwhile, or never sent)."""

    def __init__(self, vet_id: int) -> None:
        super().__init__(f"no pending vet {vet_id}")
        self.vet_id = vet_id


class VetInputErrorReason(StrEnum):
    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    SPECIALISATIONS_EMPTY = "specialisations_empty"
    SPECIALISATIONS_TOO_LONG = "specialisations_too_long"
    SPECIES_EMPTY = "species_empty"
    LANGUAGES_EMPTY = "languages_empty"
    LANGUAGE_UNKNOWN = "language_unknown"
    YEARS_UNREADABLE = "years_unreadable"
    YEARS_OUT_OF_RANGE = "years_out_of_range"
    PRICE_UNREADABLE = "price_unreadable"
    PRICE_OUT_OF_RANGE = "price_out_of_range"
    BIO_TOO_LONG = "bio_too_long"
    TIME_ZONE_UNKNOWN = "time_zone_unknown"
    # The schedule form (/schedule)
    HOURS_UNREADABLE = "hours_unreadable"
    MINUTES_UNREADABLE = "minutes_unreadable"
    DATE_UNREADABLE = "date_unreadable"
    DATE_IN_PAST = "date_in_past"


class VetInputError(DomainError):
    def __init__(self, reason: VetInputErrorReason, *, limit: int | None = None) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.limit = limit
