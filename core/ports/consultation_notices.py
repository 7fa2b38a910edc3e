"""How the consultation's lifecycle reaches the owner's and the vet's chats.

Implemented in `bot/` (texts from the locales, in each person's language and time zone,
sent through the bot and its outbound middleware). The interactors call it after their commit;
a delivery that fails is the adapter's to log, never the caller's to retry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from core.entities import ReportContent


@dataclass(frozen=True, slots=True)
class Recipient:
    telegram_id: int
    language: str | None  # their stored choice; None: the default locale
    time_zone: str


@dataclass(frozen=True, slots=True)
class ConsultationNotice:
    """One consultation as both messages describe it."""

    appointment_id: int
    starts_at: datetime
    ends_at: datetime
    pet_name: str | None  # None once the pet was deleted
    vet_name: str
    owner_name: str
    reason: str | None
    # The Mini App's call page (`…/miniapp/?appointment=<id>`) for the web_app button; None
    # when the process knows no public URL (WEBAPP_URL unset): the message goes without it.
    join_url: str | None


@dataclass(frozen=True, slots=True)
class ReportNotice:
    """The vet's report as the owner's chat summarises it (the PDF goes with it)."""

    appointment_id: int
    starts_at: datetime
    pet_name: str | None
    vet_name: str
    content: ReportContent  # the current version
    amended_at: datetime | None  # set for an amendment's message
    amendment_note: str | None  # why the vet amended it
    pdf: bytes | None  # None when no PDF could be rendered here (the summary goes anyway)
    pdf_file_name: str


class ConsultationNotices(Protocol):
    async def call_ready_for_owner(self, owner: Recipient, notice: ConsultationNotice) -> None:
        """The room is open: "Join the consultation" (a web_app button) in the owner's chat."""
        ...

    async def call_ready_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        """The room is open: the same button in the vet's chat, with who is coming."""
        ...

    async def room_failed_for_owner(self, owner: Recipient, notice: ConsultationNotice) -> None:
        """The room still could not be made at the start: an apology; we keep trying."""
        ...

    async def room_failed_for_vet(self, vet: Recipient, notice: ConsultationNotice) -> None:
        """The same for the vet, who may reach the owner another way meanwhile."""
        ...

    async def report_ready_for_owner(self, owner: Recipient, notice: ReportNotice) -> None:
        """The vet submitted the report: a readable summary, then the PDF as a document."""
        ...

    async def report_amended_for_owner(self, owner: Recipient, notice: ReportNotice) -> None:
        """The vet amended the report: what changed and why, then the new PDF."""
        ...
