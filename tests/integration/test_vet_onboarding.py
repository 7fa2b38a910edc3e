"""Vet onboarding through the chat, on a real SQLite database: an admin's invite link, the
profile form (each step, its validation and Back), verification, and what owners see.

An admin is a Telegram id in `Settings.admin_ids`; `/vet_invite` gives a one-time link; the
vet opens it with `/start vet_<token>` and fills the form; owners do not see the vet until an
admin verifies the profile from `/vets_pending`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time
from pathlib import Path

import pytest
from aiogram.methods import SetMyCommands
from aiogram.types import BotCommandScopeChat, PhotoSize, Sticker
from aiogram_i18n.cores import FluentRuntimeCore

from core.booking_errors import VetNotFoundError
from core.interactors.booking import ListOpenDays, SetWeeklyTemplate
from core.interactors.vets import GetMyVetProfile
from core.ports.repositories import VetRepository
from core.schedule import WeeklyWindow
from tests.support.chatting import Chatting, load_texts
from tests.support.vets import (
    ADMIN_ID,
    OWNER_ID,
    VET_ID,
    Person,
    admin_settings,
    invite_link,
    open_vet_chat,
    person,
)

STICKER = Sticker(
    file_id="s1",
    file_unique_id="su1",
    type="regular",
    width=512,
    height=512,
    is_animated=False,
    is_video=False,
)
PHOTO = [
    PhotoSize(file_id="vet-photo-small", file_unique_id="p1", width=90, height=90),
    PhotoSize(file_id="vet-photo-large", file_unique_id="p2", width=800, height=800),
]


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture
async def chat(migrated_sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Chatting]:
    async with open_vet_chat(admin_settings(migrated_sqlite_template, tmp_path)) as opened:
        yield opened


def _en(texts: FluentRuntimeCore, key: str, **args: object) -> str:
    return str(texts.get(key, "en", **args))


async def _fill_profile(vet: Person, texts: FluentRuntimeCore) -> None:
    """Every step, with a refusal and a Back on the way."""
    assert "step 1 of 9" in vet.text()
    await vet.send("   ")
    assert vet.said() == [_en(texts, "err-vet-name-empty", limit=0)]
    assert "step 1 of 9" in vet.text()
    await vet.send("Dr. Anna Petrova")
    assert "step 2 of 9" in vet.text()

    # A sticker is not a photo; Back returns to the name, which can be typed again.
    await vet.send_content(sticker=STICKER)
    assert vet.said() == [_en(texts, "err-vet-photo-expected")]
    await vet.click("◀️ Back")
    assert "step 1 of 9" in vet.text()
    await vet.send("Dr. Anna Petrova")
    await vet.send_content(photo=PHOTO)
    assert "step 3 of 9" in vet.text()

    await vet.send("Therapy, dermatology")
    assert "step 4 of 9" in vet.text()
    await vet.click("✅ Done")
    assert vet.alerts() == [_en(texts, "err-vet-species-empty", limit=0)]
    await vet.send("cats please")
    assert vet.said() == [_en(texts, "err-use-buttons")]
    await vet.click("🐱 Cat")
    await vet.click("🐶 Dog")
    assert "✅ 🐱 Cat" in vet.buttons()
    await vet.click("✅ Done")
    assert "step 5 of 9" in vet.text()

    await vet.click("✅ Done")
    assert vet.alerts() == [_en(texts, "err-vet-languages-empty", limit=0)]
    await vet.click("🇬🇧 English")
    await vet.click("🇷🇺 Russian")
    await vet.click("✅ Done")
    assert "step 6 of 9" in vet.text()

    await vet.send_content(sticker=STICKER)
    assert vet.said() == [_en(texts, "err-vet-text-expected")]
    await vet.send("seven")
    assert vet.said() == [_en(texts, "err-vet-years-unreadable", limit=0)]
    await vet.send("71")
    assert vet.said() == [_en(texts, "err-vet-years-out-of-range", limit=70)]
    await vet.send("7")
    assert "step 7 of 9" in vet.text()

    await vet.send("0")
    assert vet.said() == [_en(texts, "err-vet-price-out-of-range", limit=100000)]
    await vet.send("100001")
    assert vet.said() == [_en(texts, "err-vet-price-out-of-range", limit=100000)]
    await vet.send("500")
    assert "step 8 of 9" in vet.text()
    # Until the vet chooses, their zone is their language's likely one (English: London).
    assert "Now: <b>Europe/London</b>" in vet.text()
    for unknown in ("Mars/Olympus", "UTC"):
        await vet.send(unknown)
        assert vet.said() == [_en(texts, "err-vet-zone-unknown")]
    await vet.click("Asia/Yekaterinburg")
    assert "step 9 of 9" in vet.text()

    await vet.send("x" * 501)
    assert vet.said() == [_en(texts, "err-vet-bio-too-long", limit=500)]
    await vet.send("Cats & dogs, 7 years in a city clinic.")
    summary = vet.text()
    assert "<b>Dr. Anna Petrova</b>" in summary
    assert "Therapy, dermatology" in summary
    assert "🐶 Dog" in summary and "🐱 Cat" in summary
    assert "Price: 500 ⭐" in summary
    assert "Cats &amp; dogs" in summary
    assert "📷 photo attached" in summary
    # Back from the summary reaches the bio step; forward again keeps everything.
    assert "Time zone: Asia/Yekaterinburg" in summary
    await vet.send("looks good")
    assert vet.said() == [_en(texts, "err-use-buttons")]
    await vet.click("◀️ Back")
    assert "step 9 of 9" in vet.text()
    await vet.click("Skip ⏭")
    assert "Bio: —" in vet.text()
    await vet.click("📨 Send for verification")
    assert vet.said() == [_en(texts, "msg-vet-submitted")]


async def _visible_vets(chat: Chatting) -> list[str]:
    async with chat.container() as request:
        vets = await (await request.get(VetRepository)).list_active()
        return [vet.display_name for vet in vets]


async def _vet_id(chat: Chatting) -> int:
    async with chat.container() as request:
        get_profile: GetMyVetProfile = await request.get(GetMyVetProfile)
        vet = await get_profile(VET_ID)
        return vet.id


async def test_an_invited_vet_fills_the_profile_and_is_seen_only_once_verified(
    chat: Chatting, texts: FluentRuntimeCore
) -> None:
    admin, vet, owner = (person(chat, i) for i in (ADMIN_ID, VET_ID, OWNER_ID))
    for someone in (admin, vet, owner):
        await someone.onboard()

    payload = await invite_link(admin)
    assert len(payload) <= 64
    assert "72 hours" in admin.said()[0]

    await vet.send(f"/start {payload}")
    assert _en(texts, "msg-vet-invite-accepted") in vet.said()
    # The vet's own command menu, in both languages and (for clients in any other language)
    # in the vet's own, with the vet commands.
    menus = [
        call
        for call in chat.session.calls_of(SetMyCommands)
        if isinstance(call.scope, BotCommandScopeChat) and call.scope.chat_id == VET_ID
    ]
    assert sorted(call.language_code or "" for call in menus) == ["", "en", "ru"]
    assert {"today", "schedule", "queue", "pets"} <= {c.command for c in menus[0].commands}

    await _fill_profile(vet, texts)
    assert await _visible_vets(chat) == []
    vet_id = await _vet_id(chat)

    # The vet sets hours before verification: nothing is bookable yet.
    async with chat.container() as request:
        await (await request.get(SetWeeklyTemplate))(
            VET_ID, [WeeklyWindow(day, time(9), time(18)) for day in range(7)]
        )
        with pytest.raises(VetNotFoundError):
            await (await request.get(ListOpenDays))(OWNER_ID, vet_id)

    await admin.send("/vets_pending")
    assert "waiting for verification</b>: 1" in admin.text()
    await admin.send("hello")
    assert admin.said() == [_en(texts, "err-use-buttons")]
    await admin.click("🩺 Dr. Anna Petrova")
    card = admin.text()
    assert "Therapy, dermatology" in card
    assert "Years of practice: 7" in card
    assert "User_6262" in card
    await admin.send_content(sticker=STICKER)
    assert admin.said() == [_en(texts, "err-use-buttons")]
    await admin.click("✅ Verify")
    assert admin.said() == [_en(texts, "msg-vet-verified-admin", name="Dr. Anna Petrova")]
    # Told by VerifyVet through VetNotices: the message, and the vet's menu set again (the
    # recorded calls are those of the click: each action starts them afresh).
    verdict = chat.session.calls
    assert any(
        getattr(call, "chat_id", None) == VET_ID
        and getattr(call, "text", None) == _en(texts, "msg-vet-verified-you")
        for call in verdict
    )
    assert any(
        isinstance(call, SetMyCommands)
        and isinstance(call.scope, BotCommandScopeChat)
        and call.scope.chat_id == VET_ID
        for call in verdict
    )
    assert "No profiles are waiting" in admin.text()

    assert await _visible_vets(chat) == ["Dr. Anna Petrova"]
    async with chat.container() as request:
        [seen] = await (await request.get(VetRepository)).list_active()
    assert seen.time_zone == "Asia/Yekaterinburg"
    assert seen.photo_file_id == "vet-photo-large"
    assert seen.years_of_practice == 7
    assert seen.specialisations == "Therapy, dermatology"
    assert seen.languages == frozenset({"ru", "en"})
    async with chat.container() as request:
        days = await (await request.get(ListOpenDays))(OWNER_ID, vet_id)
    assert days, "verification publishes the slots of the vet's schedule"

    # The same link again: used, whoever opens it.
    await owner.send(f"/start {payload}")
    assert owner.said() == [_en(texts, "err-vet-invite-used")]
    await vet.send(f"/start {payload}")
    assert vet.said() == [_en(texts, "err-vet-invite-used")]


async def test_only_admins_invite_and_verify(chat: Chatting, texts: FluentRuntimeCore) -> None:
    owner = person(chat, OWNER_ID)
    await owner.onboard()
    await owner.send("/vet_invite")
    assert owner.said() == [_en(texts, "err-vet-admin-only")]
    await owner.send("/vets_pending")
    assert owner.said() == [_en(texts, "err-vet-admin-only")]
    for command in ("/schedule", "/today", "/queue", "/vet_profile"):
        await owner.send(command)
        assert owner.said() == [_en(texts, "err-vet-only")], command


async def test_forged_and_rejected_invites(chat: Chatting, texts: FluentRuntimeCore) -> None:
    admin, vet = person(chat, ADMIN_ID), person(chat, VET_ID)
    await admin.onboard()
    await vet.onboard()
    await vet.send("/start vet_AAAAAAAAAAAAAAAAAAAAAA")
    assert vet.said() == [_en(texts, "err-vet-invite-not-found")]

    payload = await invite_link(admin)
    await vet.send(f"/start {payload}")
    await vet.click("◀️ Back")  # leaves the form: nothing submitted
    await admin.send("/vets_pending")
    assert "No profiles are waiting" in admin.text()

    # A second invite to someone who is a vet already: refused, the link stays unused.
    second = await invite_link(admin)
    await vet.send(f"/start {second}")
    assert vet.said() == [_en(texts, "err-vet-invite-already-vet")]

    await vet.send("/vet_profile")
    await _quick_profile(vet)
    await admin.send("/vets_pending")
    await admin.click("🩺 Dr. Quick")
    await admin.click("❌ Reject")
    assert admin.said() == [_en(texts, "msg-vet-rejected-admin", name="Dr. Quick")]
    assert [
        getattr(call, "text", None)
        for call in chat.session.calls
        if getattr(call, "chat_id", None) == VET_ID
    ] == [_en(texts, "msg-vet-rejected-you")]
    assert await _visible_vets(chat) == []
    await vet.send("/schedule")
    assert vet.said() == [_en(texts, "err-vet-only")]


async def _quick_profile(vet: Person) -> None:
    await vet.send("Dr. Quick")
    await vet.click("Skip ⏭")
    await vet.send("Surgery")
    await vet.click("🐱 Cat")
    await vet.click("✅ Done")
    await vet.click("🇷🇺 Russian")
    await vet.click("✅ Done")
    await vet.send("3")
    await vet.send("300")
    await vet.click("Keep the current one")
    await vet.click("Skip ⏭")
    await vet.click("📨 Send for verification")
