"""Typed errors of the pets area. Edges map each to a localized message."""

from __future__ import annotations

from enum import StrEnum

from core.errors import DomainError


class PetNotFoundError(DomainError):
    """No such pet *for this user*: a pet they cannot see is reported exactly like a missing one.

    The message never says which of the two it was, so a crafted id reveals nothing.
    """

    def __init__(self, pet_id: int) -> None:
        super().__init__(f"pet {pet_id} not found")
        self.pet_id = pet_id


class PetAccessDeniedError(DomainError):
    """The user sees the pet but their access level does not allow this action."""

    def __init__(self, pet_id: int, action: str) -> None:
        super().__init__(f"not allowed to {action} pet {pet_id}")
        self.pet_id = pet_id
        self.action = action


class PetArchivedError(DomainError):
    """The pet is archived: restore it before changing it."""

    def __init__(self, pet_id: int) -> None:
        super().__init__(f"pet {pet_id} is archived")
        self.pet_id = pet_id


class PetInputErrorReason(StrEnum):
    """Why a typed value was refused; the dialog shows one localized message per reason."""

    NAME_EMPTY = "name_empty"
    NAME_TOO_LONG = "name_too_long"
    BREED_EMPTY = "breed_empty"
    BREED_TOO_LONG = "breed_too_long"
    BIRTH_UNREADABLE = "birth_unreadable"
    BIRTH_BAD_DATE = "birth_bad_date"  # looks like a date but is none (31.02.2020)
    BIRTH_IN_FUTURE = "birth_in_future"
    BIRTH_TOO_OLD = "birth_too_old"
    AGE_ZERO = "age_zero"
    WEIGHT_UNREADABLE = "weight_unreadable"
    WEIGHT_TOO_LOW = "weight_too_low"
    WEIGHT_TOO_HIGH = "weight_too_high"
    MICROCHIP_BAD = "microchip_bad"  # not the 15 digits of ISO 11784


class PetInputError(DomainError):
    """A value typed by the user that cannot be stored.

    `min_grams` / `max_grams` are the bounds for the species when the weight is out of them, so
    the message can name them; `max_length` likewise for texts.
    """

    def __init__(
        self,
        reason: PetInputErrorReason,
        *,
        min_grams: int | None = None,
        max_grams: int | None = None,
        max_length: int | None = None,
    ) -> None:
        super().__init__(reason.value)
        self.reason = reason
        self.min_grams = min_grams
        self.max_grams = max_grams
        self.max_length = max_length
