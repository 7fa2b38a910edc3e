"""The whole consultation in the sandbox, over HTTP: a new owner books and pays a demo vet, the
appointment is moved into its call window, the scheduler's job opens the room and both chats
get Join, both sides join and leave the call through the Mini App API, the vet submits the
report, the owner's chat has the summary and the PDF, the card has the record, `/export` has
the report, and once the window is over the room is closed and the appointment is completed
with the time both were in the call."""

from __future__ import annotations

import asyncio
import io
import json
from collections.abc import AsyncIterator
from datetime import datetime, timedelta
from typing import Any, cast

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore
from pypdf import PdfReader

from bot.periodic import consultation_rooms
from bot.run_modes import RunningSandbox, running_sandbox
from core.enums import AppointmentStatus, RecordKind, Sex, Species
from core.interactors.consultation_access import ConsultationWindows
from core.interactors.consultation_lifecycle import CloseEndedRooms
from core.interactors.pets import AddPet, PetDraft
from core.ports.consultation_rooms import ConsultationRoomRepository
from core.ports.repositories import AppointmentRepository, MedicalRecordRepository
from core.ports.uow import UnitOfWork
from core.ports.video import VideoRooms
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import last_call_id, refused_calls
from tests.support.consultations import book_and_pay, miniapp_client, move_slot, starting_in
from tests.support.sandbox_person import SandboxPerson, keyboard, text_of

DIAGNOSIS = "Soft tissue strain of the left hind leg"
REPORT = {
    "assessment": "Bright and alert; bears weight, mild lameness",
    "diagnosis": DIAGNOSIS,
    "recommendations": "Rest for a week, short walks on a lead only",
    "prescriptions": [
        {"drug": "Meloxicam", "dose": "0.1 mg/kg", "frequency": "once a day", "duration": "5 days"}
    ],
    "in_person_visit": False,
}


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("consultation-walk")
    async with running_sandbox(make_settings(root / "var" / "telemed.db"), port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


class _Later:
    """The clock of a scheduler run after the call window is over."""

    def __init__(self, at: datetime) -> None:
        self._at = at

    def now(self) -> datetime:
        return self._at


def _has_web_app(message: dict[str, Any]) -> bool:
    return any("web_app" in button for row in keyboard(message) for button in row)


async def _download(api: httpx.AsyncClient, message: dict[str, Any]) -> bytes:
    response = await api.get(str(message["file_url"]))
    response.raise_for_status()
    return response.content


def _pdf_text(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


async def test_book_call_report_card_export_and_completion(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    calls_before = await last_call_id(api)
    owner = await SandboxPerson.join(api, "Walker", "en")
    await owner.onboard("English", "Continue", "I agree")
    await owner.wait_for_text("how can we help")
    async with sandbox.bot_app.container() as request:
        pet = await (await request.get(AddPet))(
            owner.id, PetDraft(name="Barsik", species=Species.CAT, sex=Sex.MALE)
        )

    booked = await book_and_pay(
        sandbox, owner, texts, pet="Barsik", reason="Limping since the weekend"
    )
    appointment = booked.appointment
    await move_slot(sandbox, appointment, starting_in(5))
    await consultation_rooms(sandbox.bot_app.container, sandbox.bot, cast(Any, None))
    vet = SandboxPerson(api, booked.vet.telegram_id)
    for person in (owner, vet):
        await person.wait_for(_has_web_app)

    base = f"/miniapp/api/appointments/{appointment.id}"
    owner_app = await miniapp_client(api, owner.id)
    vet_app = await miniapp_client(api, vet.id)
    async with owner_app, vet_app:
        # The call: both join and report media flowing, some time passes, both leave.
        for client in (owner_app, vet_app):
            joined = await client.post(f"{base}/call/join")
            assert joined.status_code == 200, joined.text
        for client in (owner_app, vet_app):
            assert (await client.post(f"{base}/call/joined")).status_code == 204
        # The duration is counted in whole seconds: let more than one go by together.
        await asyncio.sleep(1.5)
        draft = await vet_app.put(f"{base}/report/draft", json={"notes": "calm cat"})
        assert draft.status_code == 200, draft.text
        for client in (owner_app, vet_app):
            assert (await client.post(f"{base}/call/left")).status_code == 204

        assert (await owner_app.get(f"{base}/report")).status_code == 404
        submitted = await vet_app.post(f"{base}/report", json=REPORT)
        assert submitted.status_code == 201, submitted.text
        assert (await vet_app.post(f"{base}/report", json=REPORT)).status_code == 409
        seen = (await owner_app.get(f"{base}/report")).json()
        assert seen["diagnosis"] == DIAGNOSIS
        assert seen["notes"] is None

    # The owner's chat: the summary, then the PDF with the diagnosis.
    summary = await owner.wait_for_text(DIAGNOSIS)
    assert "Meloxicam" in text_of(summary)
    report_pdf = await owner.wait_for(
        lambda m: str((m.get("document") or {}).get("file_name", "")).endswith(
            f"consultation-{appointment.id}.pdf"
        )
    )
    pdf = await _download(api, report_pdf)
    assert pdf.startswith(b"%PDF")
    assert DIAGNOSIS in _pdf_text(pdf)

    async with sandbox.bot_app.container() as request:
        records = await (await request.get(MedicalRecordRepository)).list_for_pet(
            pet.id, kinds=[RecordKind.CONSULTATION_REPORT]
        )
        stored = await (await request.get(AppointmentRepository)).get(appointment.id)
    assert [record.title for record in records] == [DIAGNOSIS]
    assert stored is not None and stored.status is AppointmentStatus.COMPLETED

    await owner.say("/export")
    exported = await owner.wait_for(
        lambda m: (m.get("document") or {}).get("file_name") == "telemed-pet-export.json"
    )
    document = json.loads(await _download(api, exported))
    [exported_pet] = document["pets"]
    [report] = exported_pet["consultation_reports"]
    assert report["appointment_id"] == appointment.id
    assert report["current"]["diagnosis"] == DIAGNOSIS
    assert "calm cat" not in json.dumps(document)
    assert RecordKind.CONSULTATION_REPORT.value in {
        record["kind"] for record in exported_pet["records"]
    }
    card = await owner.wait_for(
        lambda m: str((m.get("document") or {}).get("file_name", "")).endswith("medical-card.pdf")
    )
    assert DIAGNOSIS in _pdf_text(await _download(api, card))

    # After the window: the scheduler closes the room; the completed appointment keeps its
    # status and gets the time both were in the call.
    async with sandbox.bot_app.container() as request:
        windows = await request.get(ConsultationWindows)
        moved = await (await request.get(AppointmentRepository)).get(appointment.id)
        assert moved is not None
        close = CloseEndedRooms(
            await request.get(UnitOfWork),
            await request.get(ConsultationRoomRepository),
            await request.get(AppointmentRepository),
            await request.get(VideoRooms),
            windows,
            _Later(moved.ends_at + windows.call_closes_after + timedelta(minutes=1)),
        )
        [closed] = await close()
        assert closed.appointment_id == appointment.id
        ended = await (await request.get(AppointmentRepository)).get(appointment.id)
    assert ended is not None
    assert ended.status is AppointmentStatus.COMPLETED
    assert ended.duration_seconds is not None and ended.duration_seconds > 0

    assert await refused_calls(api, after=calls_before) == []
