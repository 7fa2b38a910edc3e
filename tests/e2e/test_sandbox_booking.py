"""Booking end to end in the sandbox, over HTTP: a new owner books the earliest time with a
demo vet, pays in Stars through the emulator, sees the confirmation, cancels in /appointments
and gets the Stars back; the vet's chat shows both notifications."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import BookingSection
from core.enums import Sex, Species
from core.interactors.pets import AddPet, PetDraft
from sandbox.demo import DEMO_VETS
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.clean_run import assert_clean_run, last_call_id
from tests.support.hostile_names import Cast
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("booking-sandbox")
    # The earliest demo time may be within the day: no refund cut-off, so cancelling refunds.
    settings = make_settings(
        root / "var" / "telemed.db", booking=BookingSection(refund_cutoff_hours=0)
    )
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


async def _chat(api: httpx.AsyncClient, chat_id: int) -> list[dict[str, Any]]:
    response = await api.get(f"/sandbox/api/chats/{chat_id}/messages", params={"wait": 1})
    response.raise_for_status()
    return list(response.json())


async def _press_first(person: SandboxPerson, window_text: str) -> str:
    """Press the first button of the newest window showing `window_text`."""
    window = await person.wait_for(lambda m: window_text in text_of(m) and bool(button_texts(m)))
    label = button_texts(window)[0]
    response = await person.api.post(
        f"/sandbox/api/users/{person.id}/callbacks",
        json={"message_id": window["message_id"], "button_text": label},
    )
    response.raise_for_status()
    return label


def _notice_head(texts: FluentRuntimeCore, key: str, locale: str) -> str:
    """The fixed words a vet notification starts with (its text before the first colon)."""
    blanks = dict.fromkeys(("date", "time", "zone", "pet", "species", "owner", "reason"), "")
    return str(texts.get(key, locale, **blanks)).split(":")[0]


async def test_owner_books_pays_cancels_and_is_refunded_while_the_vet_is_told(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    owner = await SandboxPerson.join(api, cast("Booker"), "en")
    await owner.onboard("English", "Continue", "I agree")
    await owner.wait_for_text("how can we help")
    murka = cast("Murka")
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(
            owner.id, PetDraft(name=murka, species=Species.CAT, sex=Sex.FEMALE)
        )

    await owner.say("/book")
    # Asked once, at the first booking: the owner lives on Moscow time.
    await owner.press(texts.get("lbl-zone-city-moscow", "en"))
    await owner.press(murka)
    await owner.wait_for_text("What is the matter?")
    await owner.say("Coughing since Monday")
    vet_label = await _press_first(owner, texts.get("msg-booking-vets", "en"))
    vet = next(demo for demo in DEMO_VETS if demo.display_name in vet_label)
    assert "en" in vet.languages  # the owner speaks English
    await _press_first(owner, texts.get("msg-booking-day", "en"))
    await _press_first(owner, "choose a time")
    await owner.press(texts.get("btn-booking-pay", "en"))

    invoice = await owner.wait_for(lambda m: m.get("invoice") is not None)
    assert invoice["invoice"]["currency"] == "XTR"
    assert invoice["invoice"]["total_amount"] == vet.price_amount
    paid = await api.post(
        f"/sandbox/api/users/{owner.id}/payments", json={"message_id": invoice["message_id"]}
    )
    assert paid.json()["status"] == "paid", paid.json()
    charge_id = paid.json()["telegram_payment_charge_id"]
    confirmation = await owner.wait_for_text("Booked!")
    assert vet.display_name in text_of(confirmation)
    assert "MSK (UTC+3)" in text_of(confirmation)  # the zone the owner chose, as people name it
    assert cast.shown("Murka") in text_of(confirmation)

    # The vet is told the pet's and the owner's names as they were typed.
    booked_notice = _notice_head(texts, "msg-appointment-vet-booked", vet.language)
    vet_chat = [m for m in await _chat(api, vet.telegram_id) if m["from_bot"]]
    notice = next(m for m in reversed(vet_chat) if booked_notice in text_of(m))
    assert "Coughing" in text_of(notice)
    assert cast.shown("Murka") in text_of(notice)
    assert cast.shown("Booker") in text_of(notice)

    await owner.say("/appointments")
    await _press_first(owner, "choose one to see or cancel it")
    await owner.press(texts.get("btn-appointment-cancel", "en"))
    await owner.press(texts.get("btn-appointment-cancel-yes", "en"))
    await owner.wait_for_text(texts.get("msg-appointment-cancelled-refunded", "en"))

    calls = await api.get("/sandbox/api/calls", params={"method": "refundStarPayment"})
    assert len([c for c in calls.json() if int(c["params"]["user_id"]) == owner.id]) == 1
    receipts = [m for m in await _chat(api, owner.id) if m.get("refunded_payment")]
    assert [m["refunded_payment"]["telegram_payment_charge_id"] for m in receipts] == [charge_id]

    cancelled_notice = _notice_head(texts, "msg-appointment-vet-cancelled", vet.language)
    vet_chat = [m for m in await _chat(api, vet.telegram_id) if m["from_bot"]]
    assert any(
        cancelled_notice in text_of(m) and cast.shown("Murka") in text_of(m) for m in vet_chat
    )
    await assert_clean_run(api, texts, [owner.id, vet.telegram_id], calls_after=calls_before)


async def _book_to_invoice(
    sandbox: RunningSandbox,
    api: httpx.AsyncClient,
    texts: FluentRuntimeCore,
    name: str,
    pet: str,
) -> tuple[SandboxPerson, dict[str, Any]]:
    owner = await SandboxPerson.join(api, name, "en")
    await owner.onboard("English", "Continue", "I agree")
    await owner.wait_for_text("how can we help")
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(owner.id, PetDraft(name=pet, species=Species.DOG))
    await owner.say("/book")
    await owner.press(texts.get("lbl-zone-city-moscow", "en"))  # asked once
    await owner.press(pet)
    await owner.wait_for_text("What is the matter?")
    await owner.say("Limping")
    await _press_first(owner, texts.get("msg-booking-vets", "en"))
    await _press_first(owner, texts.get("msg-booking-day", "en"))
    await _press_first(owner, "choose a time")
    await owner.press(texts.get("btn-booking-pay", "en"))
    invoice = await owner.wait_for(lambda m: m.get("invoice") is not None)
    return owner, invoice


async def test_paying_a_cancelled_hold_is_declined_at_pre_checkout(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    owner, invoice = await _book_to_invoice(sandbox, api, texts, cast("Decliner"), cast("Bim"))
    # The owner changes their mind before paying: the hold is released...
    await owner.say("/appointments")
    await _press_first(owner, "choose one to see or cancel it")
    await owner.press(texts.get("btn-appointment-cancel", "en"))
    await owner.press(texts.get("btn-appointment-cancel-yes", "en"))
    await owner.wait_for(lambda m: "cancelled" in text_of(m))

    # ...so paying the old invoice is refused before any money moves.
    paid = await api.post(
        f"/sandbox/api/users/{owner.id}/payments", json={"message_id": invoice["message_id"]}
    )
    assert paid.json()["status"] == "declined", paid.json()
    assert paid.json()["error_message"]
    calls = await api.get("/sandbox/api/calls", params={"method": "answerPreCheckoutQuery"})
    assert calls.json()[-1]["params"].get("ok") in ("false", False)
    await assert_clean_run(api, texts, [owner.id], calls_after=calls_before)


async def test_a_repeated_successful_payment_is_harmless(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore, cast: Cast
) -> None:
    calls_before = await last_call_id(api)
    owner, invoice = await _book_to_invoice(sandbox, api, texts, cast("Twice"), cast("Bim"))
    paid = await api.post(
        f"/sandbox/api/users/{owner.id}/payments", json={"message_id": invoice["message_id"]}
    )
    assert paid.json()["status"] == "paid"
    await owner.wait_for_text("Booked!")
    refunds_before = len(
        (await api.get("/sandbox/api/calls", params={"method": "refundStarPayment"})).json()
    )

    # Telegram delivers the same successful_payment again (a retry after a timeout).
    [payment_message] = [m for m in await _chat(api, owner.id) if m.get("successful_payment")]
    again = {
        "message": {
            key: payment_message[key] for key in ("from", "chat", "date", "successful_payment")
        }
        | {"message_id": payment_message["message_id"] + 10_000}
    }
    (await api.post("/sandbox/api/updates", json=again)).raise_for_status()
    # The repeat produces no bot call to wait for; give the polling loop time to handle it.
    await asyncio.sleep(1.5)

    confirmations = [m for m in await _chat(api, owner.id) if "Booked!" in text_of(m)]
    assert len(confirmations) == 1
    refunds_after = len(
        (await api.get("/sandbox/api/calls", params={"method": "refundStarPayment"})).json()
    )
    assert refunds_after == refunds_before
    await assert_clean_run(api, texts, [owner.id], calls_after=calls_before)
