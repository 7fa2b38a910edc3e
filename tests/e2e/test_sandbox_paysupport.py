"""/paysupport and the appointments list end to end in the sandbox, over HTTP (issue #13).

An owner books, pays and cancels a consultation still ahead: /appointments lists it under
"Cancelled", not "Past". The owner then asks /paysupport: the admin's chat shows the question
with the owner's id, language and that payment, and a Reply button; the admin's answer comes
back to the owner in the owner's language, quoting the ticket. In Russian and in English.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.config import BookingSection
from core.enums import Species
from core.interactors.pets import AddPet, PetDraft
from tests.conftest import make_settings
from tests.support.chatting import load_texts
from tests.support.sandbox_person import SandboxPerson, button_texts, text_of

ADMIN_ID = 4_313_001  # below the emulator's own ids (10**8 and up)


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    root = tmp_path_factory.mktemp("paysupport-sandbox")
    # No refund cut-off: the earliest demo time may be within the day, and cancelling refunds.
    settings = make_settings(
        root / "var" / "telemed.db",
        booking=BookingSection(refund_cutoff_hours=0),
        admin_ids=frozenset({ADMIN_ID}),
    )
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


def _words(texts: FluentRuntimeCore, key: str, locale: str) -> str:
    """A message's fixed first line, without its variables or markup."""
    blanks = dict.fromkeys(
        ("ticket", "ticket_id", "limit", "cancelled_text", "past_text", "question", "answer"), ""
    )
    line = str(texts.get(key, locale, **blanks)).splitlines()[0]
    return re.sub(r"<[^>]+>", "", line).split("#")[0].strip()


async def _onboarded(
    api: httpx.AsyncClient,
    texts: FluentRuntimeCore,
    name: str,
    locale: str,
    user_id: int | None = None,
) -> SandboxPerson:
    if user_id is None:
        person = await SandboxPerson.join(api, name, locale)
    else:
        response = await api.post(
            "/sandbox/api/users", json={"id": user_id, "first_name": name, "language_code": locale}
        )
        response.raise_for_status()
        person = SandboxPerson(api, user_id)
    await person.onboard(
        texts.get(f"btn-lang-{locale}", locale),
        texts.get("btn-continue", locale),
        texts.get("btn-consent-agree", locale),
    )
    return person


async def _press_first(person: SandboxPerson, window_text: str) -> None:
    window = await person.wait_for(lambda m: window_text in text_of(m) and bool(button_texts(m)))
    response = await person.api.post(
        f"/sandbox/api/users/{person.id}/callbacks",
        json={"message_id": window["message_id"], "button_text": button_texts(window)[0]},
    )
    response.raise_for_status()


@pytest.fixture(scope="module")
async def admin(sandbox: RunningSandbox, texts: FluentRuntimeCore) -> AsyncIterator[SandboxPerson]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield await _onboarded(client, texts, "Ada", "en", user_id=ADMIN_ID)


@pytest.mark.parametrize("locale", ["ru", "en"])
async def test_cancelled_future_booking_is_not_past_and_paysupport_gets_an_admins_answer(
    sandbox: RunningSandbox,
    api: httpx.AsyncClient,
    texts: FluentRuntimeCore,
    admin: SandboxPerson,
    locale: str,
) -> None:
    owner = await _onboarded(api, texts, f"Payer {locale}", locale)
    async with sandbox.bot_app.container() as request:
        await (await request.get(AddPet))(owner.id, PetDraft(name="Rex", species=Species.DOG))

    # Book, pay and cancel a consultation whose time is still ahead.
    await owner.say("/book")
    await owner.press(texts.get("lbl-zone-city-moscow", locale))  # asked once
    await owner.press("Rex")
    await owner.wait_for_text(_words(texts, "msg-booking-reason", locale))
    await owner.say("Limping")
    await _press_first(owner, texts.get("msg-booking-vets", locale))
    await _press_first(owner, texts.get("msg-booking-day", locale))
    slot_words = str(texts.get("msg-booking-slot", locale, date="", zone="")).split("(")[0]
    await _press_first(owner, slot_words.strip(": "))
    await owner.press(texts.get("btn-booking-pay", locale))
    invoice = await owner.wait_for(lambda m: m.get("invoice") is not None)
    paid = await api.post(
        f"/sandbox/api/users/{owner.id}/payments", json={"message_id": invoice["message_id"]}
    )
    assert paid.json()["status"] == "paid", paid.json()
    await owner.say("/appointments")
    await _press_first(owner, _words(texts, "msg-appointments-upcoming", locale))
    await owner.press(texts.get("btn-appointment-cancel", locale))
    await owner.press(texts.get("btn-appointment-cancel-yes", locale))
    await owner.wait_for_text(texts.get("msg-appointment-cancelled-refunded", locale))

    # Point 2: the cancelled appointment ahead is under "Cancelled", and there is no "Past".
    await owner.say("/appointments")
    listing = await owner.wait_for_text(_words(texts, "msg-appointments-cancelled", locale))
    assert _words(texts, "msg-appointments-past", locale) not in text_of(listing)
    assert "Rex" in text_of(listing)

    # Point 1: /paysupport alone asks for the question; a question typed then gets a ticket.
    await owner.say("/paysupport")
    await owner.wait_for_text(_words(texts, "msg-support-ask", locale))
    await owner.say("Where is my refund? <b>not bold</b>")
    ack = await owner.wait_for_text(_words(texts, "msg-support-received", locale))
    ticket = re.search(r"#(\d+)", text_of(ack))
    assert ticket is not None, text_of(ack)
    ticket_id = ticket.group(1)

    # The admin sees who asks, in which language, what they paid, and a Reply button.
    question = await admin.wait_for(
        lambda m: f"#{ticket_id}" in text_of(m) and "Where is my refund?" in text_of(m)
    )
    shown = text_of(question)
    assert "<b>not bold</b>" in shown  # the owner's words as typed, never as markup
    assert str(owner.id) in shown
    assert f"language: {locale}" in shown
    assert texts.get("lbl-support-payment-refunded", "en") in shown
    assert str(invoice["invoice"]["total_amount"]) in shown
    reply_label = texts.get("btn-support-reply", "en")
    assert reply_label in button_texts(question)
    response = await admin.api.post(
        f"/sandbox/api/users/{ADMIN_ID}/callbacks",
        json={"message_id": question["message_id"], "button_text": reply_label},
    )
    response.raise_for_status()
    await admin.wait_for_text(f"ticket #{ticket_id}")
    await admin.say("Your Stars are back, see the receipt.")
    await admin.wait_for_text(f"The answer to ticket #{ticket_id} was sent")

    # The answer reaches the owner in the owner's language, quoting the ticket.
    answer = await owner.wait_for_text("Your Stars are back")
    assert f"#{ticket_id}" in text_of(answer)
    assert _words(texts, "msg-support-answer", locale) in text_of(answer)
    assert "Where is my refund?" in text_of(answer)

    # `/paysupport <question>` sends at once, with the next ticket number.
    await owner.say("/paysupport And a second question")
    second = await owner.wait_for_text(f"#{int(ticket_id) + 1}")
    assert _words(texts, "msg-support-received", locale) in text_of(second)
    await admin.wait_for_text("And a second question")
