"""Typed errors of the consultation report. The Mini App's edge maps input errors to 422 and
state errors to 409; access errors are the consultation ones (core.consultation_errors)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from core.errors import DomainError


class ReportProblem(StrEnum):
    REQUIRED = "required"
    TOO_LONG = "too_long"
    TOO_MANY = "too_many"
    IN_THE_PAST = "in_the_past"


class ReportInputError(DomainError):
    """One field of the report is refused: `field` names it as the API does (`diagnosis`,
    `prescriptions[2].drug`, ...), `limit` is the bound it broke, when there is one."""

    def __init__(self, field: str, problem: ReportProblem, limit: int | None = None) -> None:
        super().__init__(f"{field}: {problem.value}" + (f" (limit {limit})" if limit else ""))
        self.field = field
        self.problem = problem
        self.limit = limit


class ReportNotOpenError(DomainError):
    """The booked vet may not write the report now: `state` is `not_open_yet` (before the call
    window opens: `opens_at` says when) or `not_active` (cancelled, missed, unpaid)."""

    def __init__(self, appointment_id: int, state: str, opens_at: datetime) -> None:
        super().__init__(f"the report of appointment {appointment_id} is not open: {state}")
        self.appointment_id = appointment_id
        self.state = state
        self.opens_at = opens_at


class ReportAlreadySubmittedError(DomainError):
    """A second submit (a double tap, a retry): the first one stands; amend it instead."""

    def __init__(self, appointment_id: int) -> None:
        super().__init__(f"the report of appointment {appointment_id} is already submitted")
        self.appointment_id = appointment_id


class ReportNotSubmittedError(DomainError):
    """An amendment needs a submitted report; a draft is simply saved again."""

    def __init__(self, appointment_id: int) -> None:
        super().__init__(f"the report of appointment {appointment_id} is not submitted yet")
        self.appointment_id = appointment_id
