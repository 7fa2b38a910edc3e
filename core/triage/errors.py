"""Typed errors of the triage engine. Edges turn them into messages; nothing here prints."""

from __future__ import annotations

from collections.abc import Iterable

from core.errors import DomainError


class TriageError(DomainError):
    """Base of every error the triage engine raises on purpose."""


class RulesError(TriageError):
    """The rules file is invalid; the message says where (`origin: rule 'id': path: what`)."""


class CaseError(TriageError, ValueError):
    """One case cannot be assessed (bad field, unknown sign, wrong detail type).

    It is an error of that case only: a batch reports it and goes on with the next case.
    """

    def __init__(self, message: str, case_id: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.case_id = case_id


class UnknownSignError(CaseError):
    def __init__(self, signs: Iterable[str], case_id: str | None = None) -> None:
        self.signs = tuple(signs)
        super().__init__(f"unknown sign code(s): {', '.join(self.signs)}", case_id)
