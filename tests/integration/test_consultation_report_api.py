"""The vet's report over the Mini App API, as everyone who might call it, on PostgreSQL and
SQLite: the access matrix before and after submission, validation (422), the state machine
(409), and what a submit and an amendment change (the card, the appointment, the owner's chat).

The world, the sign-in and the clock are the access-matrix test's (test_miniapp_access.py);
the bot is a recording session, so the messages to the owner are checked as Telegram would.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram import Bot
from aiogram.methods import SendDocument, SendMessage
from dishka import Provider, Scope
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from core.clock import Clock
from core.enums import AppointmentStatus, RecordKind
from core.ports.storage import BlobStorage
from db.repositories import SqlMedicalRecordRepository
from db.repositories.appointments import SqlAppointmentRepository
from db.storage.local import LocalBlobStorage
from tests.conftest import make_settings
from tests.integration.test_miniapp_access import (
    ADMIN,
    BEFORE,
    CO_OWNER,
    INSIDE,
    OTHER_VET,
    OWNER,
    PEOPLE,
    STRANGER,
    TOKEN,
    VET,
    VIEWER,
    MiniApp,
    World,
    _seed,
)
from tests.support.booking import MutableClock
from tests.support.recording_session import RecordingSession
from webapp.app import create_app

REPORT = {
    "assessment": "Alert, mild lameness of the left hind leg",
    "diagnosis": "Soft tissue strain <left hind> & bruise",
    "recommendations": "Rest for a week, short walks on a lead",
    "prescriptions": [
        {"drug": "Meloxicam", "dose": "0.1 mg/kg", "frequency": "once a day", "duration": "5 d"}
    ],
    "follow_up_on": "2025-06-09",
    "in_person_visit": False,
    "notes": "owner anxious; check again if worse",
}


@dataclass
class ReportApp:
    app: MiniApp
    telegram: RecordingSession
    session: AsyncSession

    @property
    def world(self) -> World:
        return self.app.world

    def path(self, tail: str = "") -> str:
        return f"/miniapp/api/appointments/{self.world.appointment_id}/report{tail}"

    async def call(
        self, person: str, method: str, tail: str = "", body: Any = None
    ) -> httpx.Response:
        signed = await self.app.sign_in(person)
        assert signed.status_code == 200, signed.text
        bearer = {"Authorization": f"Bearer {signed.json()['token']}"}
        return await self.app.http.request(method, self.path(tail), headers=bearer, json=body)


@pytest.fixture
async def reports(
    db_session: AsyncSession, db_url: str, tmp_path: Path
) -> AsyncIterator[ReportApp]:
    storage = LocalBlobStorage(tmp_path / "files")
    world = await _seed(db_session, storage)
    clock = MutableClock(INSIDE)
    overrides = Provider()
    overrides.provide(lambda: clock, provides=Clock, scope=Scope.APP)
    overrides.provide(lambda: storage, provides=BlobStorage, scope=Scope.APP)
    overrides.provide(lambda: db_session, provides=AsyncSession, scope=Scope.REQUEST)
    settings = make_settings(tmp_path / "unused.db").model_copy(update={"database_url": db_url})
    telegram = RecordingSession()
    container = create_container(settings, overrides, bot=Bot(TOKEN, session=telegram))
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=create_app(miniapp=container)),
            base_url="http://miniapp.test",
        ) as http:
            yield ReportApp(MiniApp(http, clock, world), telegram, db_session)
    finally:
        await container.close()


async def _statuses(
    reports: ReportApp, method: str, tail: str = "", body: Any = None
) -> dict[str, int]:
    return {
        person: (await reports.call(person, method, tail, body)).status_code for person in PEOPLE
    }


async def test_before_submission_only_the_booked_vet_sees_or_writes_the_report(
    reports: ReportApp,
) -> None:
    assert await _statuses(reports, "GET") == {
        OWNER: 404,
        CO_OWNER: 404,
        VIEWER: 404,
        STRANGER: 403,
        VET: 200,
        OTHER_VET: 403,
        ADMIN: 404,
    }
    draft = {"notes": "limping, no fever"}
    assert await _statuses(reports, "PUT", "/draft", draft) == {
        person: 200 if person == VET else 403 for person in PEOPLE
    }
    assert await _statuses(reports, "GET", ".pdf") == {
        OWNER: 404,
        CO_OWNER: 404,
        VIEWER: 404,
        STRANGER: 403,
        VET: 404,
        OTHER_VET: 403,
        ADMIN: 404,
    }
    submitted = {
        person: (await reports.call(person, "POST", "", REPORT)).status_code
        for person in PEOPLE
        if person != VET
    }
    assert set(submitted.values()) == {403}


async def test_the_vets_first_read_is_an_empty_draft_and_drafts_merge_fields(
    reports: ReportApp,
) -> None:
    empty = (await reports.call(VET, "GET")).json()
    assert empty["status"] == "draft"
    assert empty["diagnosis"] is None and empty["prescriptions"] == []
    assert empty["may_edit"] is True and empty["pdf_url"] is None

    await reports.call(VET, "PUT", "/draft", {"notes": "during the call"})
    saved = (await reports.call(VET, "PUT", "/draft", {"diagnosis": "Strain"})).json()
    assert saved["notes"] == "during the call"
    assert saved["diagnosis"] == "Strain"


async def test_after_submission_the_pets_people_and_admins_read_it_without_the_notes(
    reports: ReportApp,
) -> None:
    created = await reports.call(VET, "POST", "", REPORT)
    assert created.status_code == 201, created.text
    assert created.json()["status"] == "submitted"

    assert await _statuses(reports, "GET") == {
        OWNER: 200,
        CO_OWNER: 200,
        VIEWER: 200,
        STRANGER: 403,
        VET: 200,
        OTHER_VET: 403,
        ADMIN: 200,
    }
    owner_view = (await reports.call(OWNER, "GET")).json()
    assert owner_view["notes"] is None
    assert owner_view["diagnosis"] == REPORT["diagnosis"]
    assert owner_view["may_edit"] is False
    assert (await reports.call(VET, "GET")).json()["notes"] == REPORT["notes"]

    pdf = await reports.call(VIEWER, "GET", ".pdf")
    assert pdf.status_code == 200
    assert pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    assert owner_view["pdf_url"] == reports.path(".pdf")
    statuses = await _statuses(reports, "GET", ".pdf")
    assert {person for person, code in statuses.items() if code == 403} == {STRANGER, OTHER_VET}


async def test_submitting_completes_the_appointment_adds_the_card_entry_and_tells_the_owners(
    reports: ReportApp,
) -> None:
    assert (await reports.call(VET, "POST", "", REPORT)).status_code == 201

    appointment = await SqlAppointmentRepository(reports.session).get(reports.world.appointment_id)
    assert appointment is not None and appointment.status is AppointmentStatus.COMPLETED
    [entry] = await SqlMedicalRecordRepository(reports.session).list_for_pet(
        reports.world.pet_id, kinds=[RecordKind.CONSULTATION_REPORT]
    )
    assert entry.title == REPORT["diagnosis"]
    assert entry.data["prescriptions"][0]["drug"] == "Meloxicam"
    assert "notes" not in entry.data

    ids = reports.world.telegram_ids
    texts = {int(call.chat_id): call.text for call in reports.telegram.calls_of(SendMessage)}
    documents = {int(call.chat_id) for call in reports.telegram.calls_of(SendDocument)}
    # Owners and co-owners look after the pet; a viewer only reads the card.
    assert set(texts) == documents == {ids[OWNER], ids[CO_OWNER]}
    assert "Soft tissue strain &lt;left hind&gt; &amp; bruise" in texts[ids[OWNER]]
    assert "Meloxicam" in texts[ids[OWNER]]
    assert REPORT["notes"] not in texts[ids[OWNER]]


async def test_a_second_submit_is_a_conflict_and_changes_nothing(reports: ReportApp) -> None:
    assert (await reports.call(VET, "POST", "", REPORT)).status_code == 201
    reports.telegram.reset()

    again = await reports.call(VET, "POST", "", {**REPORT, "diagnosis": "Something else"})
    assert again.status_code == 409
    assert again.json()["state"] == "submitted"
    assert (await reports.call(VET, "PUT", "/draft", {"diagnosis": "x"})).status_code == 409
    assert (await reports.call(OWNER, "GET")).json()["diagnosis"] == REPORT["diagnosis"]
    assert reports.telegram.calls == []


@pytest.mark.parametrize(
    ("change", "field", "problem"),
    [
        ({"diagnosis": None}, "diagnosis", "required"),
        ({"assessment": "   "}, "assessment", "required"),
        ({"recommendations": "x" * 4001}, "recommendations", "too_long"),
        ({"prescriptions": [{"drug": "A"}] * 21}, "prescriptions", "too_many"),
        ({"prescriptions": [{"dose": "1 tablet"}]}, "prescriptions[0].drug", "required"),
        ({"follow_up_on": "2025-06-01"}, "follow_up_on", "in_the_past"),
    ],
)
async def test_bad_reports_are_422_naming_the_field(
    reports: ReportApp, change: dict[str, Any], field: str, problem: str
) -> None:
    refused = await reports.call(VET, "POST", "", {**REPORT, **change})
    assert refused.status_code == 422, refused.text
    assert (refused.json()["field"], refused.json()["problem"]) == (field, problem)
    assert (await reports.call(VET, "GET")).json()["status"] == "draft"


async def test_the_report_opens_with_the_call_window(reports: ReportApp) -> None:
    reports.app.clock.current = BEFORE
    refused = await reports.call(VET, "PUT", "/draft", {"notes": "early"})
    assert refused.status_code == 409
    assert refused.json()["state"] == "not_open_yet"
    assert refused.json()["opens_at"] is not None
    assert (await reports.call(VET, "GET")).json()["may_edit"] is False


async def test_an_amendment_keeps_the_original_and_tells_the_owner(reports: ReportApp) -> None:
    assert (await reports.call(VET, "POST", "", REPORT)).status_code == 201
    reports.telegram.reset()
    reports.app.clock.current = INSIDE + timedelta(hours=2)
    body = {**REPORT, "note": "lab results came back", "diagnosis": "Mild sprain"}
    amended = await reports.call(VET, "POST", "/amendments", body)
    assert amended.status_code == 201, amended.text

    view = (await reports.call(OWNER, "GET")).json()
    assert view["diagnosis"] == "Mild sprain"
    assert [item["note"] for item in view["amendments"]] == ["lab results came back"]
    [entry] = await SqlMedicalRecordRepository(reports.session).list_for_pet(
        reports.world.pet_id, kinds=[RecordKind.CONSULTATION_REPORT]
    )
    assert entry.title == "Mild sprain"
    assert entry.data["amended_at"] is not None
    owner = reports.world.telegram_ids[OWNER]
    assert any(
        "lab results came back" in call.text and int(call.chat_id) == owner
        for call in reports.telegram.calls_of(SendMessage)
    )
    assert owner in {int(call.chat_id) for call in reports.telegram.calls_of(SendDocument)}
    others = {person for person in PEOPLE if person != VET}
    for person in others:
        assert (await reports.call(person, "POST", "/amendments", body)).status_code == 403


async def test_amending_a_draft_is_a_conflict(reports: ReportApp) -> None:
    refused = await reports.call(VET, "POST", "/amendments", {**REPORT, "note": "why"})
    assert refused.status_code == 409
    assert refused.json()["state"] == "draft"
