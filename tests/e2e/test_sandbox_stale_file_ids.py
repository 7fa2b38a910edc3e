"""A pet's photo whose Telegram file_id is refused, through the whole sandbox over HTTP.

The emulator is told to forget the file_id (`DELETE /sandbox/api/files/{file_id}`), as
Telegram forgets or refuses one the bot saved: afterwards a send by it answers 400 "wrong file
identifier/HTTP URL specified". The route rather than a fresh emulator on the same database:
only the file_id goes, so the same chat, its windows and the dialog stack stay as they were and
the refusal is the one thing that changed.

The card then shows the photo uploaded from the bot's stored copy, and the new file_id is saved
(the next view goes by file_id again); without a stored copy the card opens without the photo.
Either way no "something went wrong", and the card can still be edited and deleted.

A vet's profile photo has no stored copy (onboarding keeps only the file_id): refused, the
admin's pending-vet card shows without it, and its "🖼 Photo" button says the photo is gone.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram_i18n.cores import FluentRuntimeCore

from bot.run_modes import RunningSandbox, running_sandbox
from core.entities import Pet
from core.interactors.pets import GetPetCard, ListMyPets
from core.ports.storage import BlobStorage
from tests.conftest import make_settings
from tests.photos import realistic_jpeg
from tests.support.chatting import load_texts
from tests.support.sandbox_person import Message, SandboxPerson, button_texts, text_of

SHOWING_PHOTO = ("sendPhoto", "editMessageMedia")
FLOOD_WAIT = 429
ADMIN_ID = 4_242_001  # below the emulator's own ids (10**8 and up)
INVITE = re.compile(r"start=(vet_[A-Za-z0-9_-]+)")


@pytest.fixture(scope="module")
async def texts() -> FluentRuntimeCore:
    return await load_texts()


@pytest.fixture(scope="module")
async def sandbox(tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[RunningSandbox]:
    database: Path = tmp_path_factory.mktemp("stale-ids") / "var" / "telemed.db"
    settings = make_settings(database, admin_ids=frozenset({ADMIN_ID}))
    async with running_sandbox(settings, port=0) as running:
        yield running


@pytest.fixture
async def api(sandbox: RunningSandbox) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=sandbox.base_url, timeout=30) as client:
        yield client


async def _add_pet(person: SandboxPerson, texts: FluentRuntimeCore, name: str) -> None:
    await person.say("/pets")
    await person.press(texts.get("btn-pet-add", "en"))
    await person.wait_for_text(texts.get("msg-pet-ask-name", "en"))
    await person.say(name)
    await person.press(texts.get("lbl-pet-species-dog", "en"))
    skip = texts.get("btn-pet-skip", "en", mode="add")
    await person.press(skip)  # breed
    await person.press(texts.get("btn-pet-sex-male", "en"))
    await person.press(texts.get("btn-pet-neutered-unknown", "en"))
    await person.press(skip)  # birth date
    await person.press(skip)  # weight
    await person.wait_for_text(texts.get("msg-pet-ask-photo", "en"))
    await person.send_file("photo", f"{name}.jpg", realistic_jpeg(640, 480), "image/jpeg")
    await person.wait_for_text(texts.get("msg-pet-added", "en", name=name))


async def _stored_pet(sandbox: RunningSandbox, person: SandboxPerson, name: str) -> Pet:
    """The pet as the bot's database has it, once its photo's copy is kept (the copy is made
    just after the pet is saved)."""
    for _ in range(100):
        async with sandbox.bot_app.container() as request:
            pets = await (await request.get(ListMyPets))(person.id)
        pet = next(item.pet for item in pets if item.pet.name == name)
        if pet.photo_key is not None:
            return pet
        await asyncio.sleep(0.1)
    raise AssertionError(f"{name}'s photo was never copied to the storage")


async def _reload(sandbox: RunningSandbox, person: SandboxPerson, pet_id: int) -> Pet:
    async with sandbox.bot_app.container() as request:
        return (await (await request.get(GetPetCard))(person.id, pet_id)).pet


async def _last_message_id(person: SandboxPerson) -> int:
    response = await person.api.get(f"/sandbox/api/chats/{person.id}/messages")
    response.raise_for_status()
    return max((m["message_id"] for m in response.json()), default=0)


async def _press_new(person: SandboxPerson, after: int, label: str) -> None:
    """Press `label` on a bot message newer than `after` (older windows carry it too)."""
    message = await person.wait_for(
        lambda m: m["message_id"] > after and any(label in text for text in button_texts(m))
    )
    button = next(text for text in button_texts(message) if label in text)
    response = await person.api.post(
        f"/sandbox/api/users/{person.id}/callbacks",
        json={"message_id": message["message_id"], "button_text": button},
    )
    response.raise_for_status()


async def _open_card(person: SandboxPerson, name: str) -> Message:
    """/pets, then the pet: its card as the chat shows it, photo or not."""
    after = await _last_message_id(person)
    await person.say("/pets")
    await _press_new(person, after, name)
    # The card, not the list: the list shows the name on a button, the card in its text.
    return await person.wait_for(lambda m: m["message_id"] > after and name in text_of(m))


async def _photo_calls(api: httpx.AsyncClient, after_id: int) -> list[dict[str, Any]]:
    """Calls that showed a photo (sent or edited in), newer than call `after_id`, in order;
    flood control's 429s left out (bot.outbound waits them out and makes the call again)."""
    calls: list[dict[str, Any]] = []
    for method in SHOWING_PHOTO:
        response = await api.get("/sandbox/api/calls", params={"method": method})
        response.raise_for_status()
        calls.extend(
            call
            for call in response.json()
            if call["id"] > after_id and call["error_code"] != FLOOD_WAIT
        )
    return sorted(calls, key=lambda call: call["id"])


async def _last_call_id(api: httpx.AsyncClient) -> int:
    response = await api.get("/sandbox/api/calls")
    response.raise_for_status()
    return max((call["id"] for call in response.json()), default=0)


def _uploads(call: dict[str, Any]) -> list[dict[str, Any]]:
    """The files a call uploaded (the call log summarises them as name and size)."""
    return [value for value in call["params"].values() if isinstance(value, dict)]


async def _forget(api: httpx.AsyncClient, file_id: str) -> None:
    response = await api.delete(f"/sandbox/api/files/{file_id}")
    assert response.status_code == 204, response.text
    # Telegram's own answer to it from now on.
    again = await api.delete(f"/sandbox/api/files/{file_id}")
    assert again.status_code == 404


async def _no_apology(person: SandboxPerson, texts: FluentRuntimeCore) -> None:
    apologies = {texts.get(key, "en") for key in ("err-internal", "err-not-found")}
    said = [text_of(m) for m in await person.bot_messages()]
    assert not [text for text in said if text in apologies], said


async def _edit_name_and_delete(
    person: SandboxPerson, texts: FluentRuntimeCore, old: str, new: str
) -> Message:
    """Rename the pet from its open card, then delete it; the renamed card is returned."""
    after = await _last_message_id(person)
    await _press_new(person, after - 1, texts.get("btn-pet-edit", "en"))
    await person.wait_for_text(texts.get("msg-pet-edit-menu", "en", name=old))
    await _press_new(person, after - 1, texts.get("btn-pet-field-name", "en"))
    await person.wait_for_text(texts.get("msg-pet-ask-name", "en"))
    await person.say(new)
    renamed = await person.wait_for(
        lambda m: m["message_id"] >= after and new in text_of(m) and bool(button_texts(m))
    )
    await _press_new(person, after - 1, texts.get("btn-pet-delete", "en"))
    await person.wait_for_text(texts.get("msg-pet-delete-ask", "en", name=new).split("\n")[0])
    await _press_new(person, after - 1, texts.get("btn-pet-delete-confirm", "en"))
    await person.wait_for_text(texts.get("msg-pet-deleted", "en"))
    return renamed


async def test_a_refused_photo_file_id_is_replaced_by_the_stored_copy(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    ann = await SandboxPerson.join(api, "Ann", "en")
    await ann.onboard("English", "Continue", "I agree")
    await _add_pet(ann, texts, "Rex")
    pet = await _stored_pet(sandbox, ann, "Rex")
    storage = await sandbox.bot_app.container.get(BlobStorage)
    assert pet.photo_key is not None
    copy = await storage.get(pet.photo_key)

    card = await _open_card(ann, "Rex")
    stale = card["photo"][-1]["file_id"]
    assert stale == pet.photo_file_id
    await _forget(api, stale)
    marker = await _last_call_id(api)

    card = await _open_card(ann, "Rex")
    assert card.get("photo"), "the card lost its photo"
    fresh = card["photo"][-1]["file_id"]
    assert fresh != stale
    shown = await api.get(card["file_url"])
    assert shown.content == copy  # our stored copy, uploaded

    # Telegram refused the stale id once; the very same call was made again with the upload.
    calls = await _photo_calls(api, marker)
    assert [call["ok"] for call in calls] == [False, True], calls
    refused, uploaded = calls
    assert "wrong file identifier" in refused["description"]
    assert not _uploads(refused) and _uploads(uploaded) == [
        {"filename": "photo.jpg", "size": len(copy)}
    ]
    assert refused["method"] == uploaded["method"]

    # The new file_id is saved, our copy stays, and the next view goes by file_id again.
    stored = await _reload(sandbox, ann, pet.id)
    assert (stored.photo_file_id, stored.photo_key) == (fresh, pet.photo_key)
    marker = await _last_call_id(api)
    card = await _open_card(ann, "Rex")
    assert card["photo"][-1]["file_id"] == fresh
    calls = await _photo_calls(api, marker)
    assert calls and all(call["ok"] and not _uploads(call) for call in calls), calls

    renamed = await _edit_name_and_delete(ann, texts, "Rex", "Max")
    assert renamed["photo"][-1]["file_id"] == fresh
    await _no_apology(ann, texts)


async def test_without_a_stored_copy_the_card_opens_without_the_photo(
    sandbox: RunningSandbox, api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    bob = await SandboxPerson.join(api, "Bob", "en")
    await bob.onboard("English", "Continue", "I agree")
    await _add_pet(bob, texts, "Tom")
    pet = await _stored_pet(sandbox, bob, "Tom")
    card = await _open_card(bob, "Tom")
    stale = card["photo"][-1]["file_id"]
    # The copy is gone from the storage (lost, or never kept), and Telegram refuses the id.
    storage = await sandbox.bot_app.container.get(BlobStorage)
    assert pet.photo_key is not None
    await storage.delete(pet.photo_key)
    await _forget(api, stale)

    card = await _open_card(bob, "Tom")
    assert not card.get("photo") and not card.get("document")
    assert texts.get("btn-pet-edit", "en") in button_texts(card)
    # Nothing to remember: the stored file_id stays until the owner sends a new photo.
    assert (await _reload(sandbox, bob, pet.id)).photo_file_id == stale

    await _edit_name_and_delete(bob, texts, "Tom", "Tim")
    await _no_apology(bob, texts)


async def _submit_vet_profile(
    vet: SandboxPerson, payload: str, name: str, specialisations: str, bio: str
) -> str:
    """The invited vet's whole profile form, photo included; the photo's file_id."""
    await vet.say(f"/start {payload}")
    await vet.wait_for(lambda m: "step 1 of 9" in text_of(m))
    await vet.say(name)
    await vet.wait_for(lambda m: "step 2 of 9" in text_of(m))
    await vet.send_file("photo", "portrait.jpg", realistic_jpeg(400, 400), "image/jpeg")
    await vet.wait_for(lambda m: "step 3 of 9" in text_of(m))
    await vet.say(specialisations)
    await vet.press("🐱 Cat")
    await vet.wait_for(lambda m: "✅ 🐱 Cat" in button_texts(m))
    await vet.press("✅ Done")
    await vet.wait_for(lambda m: "step 5 of 9" in text_of(m))
    await vet.press("🇬🇧 English")
    await vet.wait_for(lambda m: "✅ 🇬🇧 English" in button_texts(m))
    await vet.press("✅ Done")
    await vet.wait_for(lambda m: "step 6 of 9" in text_of(m))
    await vet.say("7")
    await vet.wait_for(lambda m: "step 7 of 9" in text_of(m))
    await vet.say("500")
    await vet.wait_for(lambda m: "step 8 of 9" in text_of(m))
    await vet.press("Asia/Yekaterinburg")
    await vet.wait_for(lambda m: "step 9 of 9" in text_of(m))
    await vet.say(bio)
    await vet.press("📨 Send for verification")
    sent = await vet.api.get(f"/sandbox/api/chats/{vet.id}/messages")
    photos = [m for m in sent.json() if not m["from_bot"] and m.get("photo")]
    return str(photos[-1]["photo"][-1]["file_id"])


async def test_a_refused_vet_photo_leaves_the_pending_card_without_it(
    api: httpx.AsyncClient, texts: FluentRuntimeCore
) -> None:
    created = await api.post(
        "/sandbox/api/users", json={"id": ADMIN_ID, "first_name": "Ada", "language_code": "en"}
    )
    created.raise_for_status()
    admin = SandboxPerson(api, ADMIN_ID)
    await admin.onboard("English", "Continue", "I agree")

    # A short profile: the card is the photo's caption.
    await admin.say("/vet_invite")
    invite = await admin.wait_for(lambda m: INVITE.search(text_of(m)) is not None)
    short = await SandboxPerson.join(api, "Anna", "en")
    await short.onboard("English", "Continue", "I agree")
    payload = INVITE.search(text_of(invite))
    assert payload is not None
    stale = await _submit_vet_profile(
        short, payload.group(1), "Dr. Anna Petrova", "Therapy", "Cats, 7 years."
    )
    await _forget(api, stale)

    await admin.say("/vets_pending")
    after = await _last_message_id(admin)
    await admin.press("🩺 Dr. Anna Petrova")
    card = await admin.wait_for(
        lambda m: m["message_id"] >= after and "Therapy" in text_of(m) and bool(button_texts(m))
    )
    assert not card.get("photo")
    assert texts.get("btn-vet-verify", "en") in button_texts(card)

    # A long profile: the card is text, the photo behind a button.
    await admin.say("/vet_invite")
    invite = await admin.wait_for(
        lambda m: INVITE.search(text_of(m)) is not None and payload.group(0) not in text_of(m)
    )
    # Fields near their limits (128, 300, 500): together over the 1024 of a caption.
    boris = "Dr. Boris " + "Ivanovich " * 11
    long = await SandboxPerson.join(api, "Boris", "en")
    await long.onboard("English", "Continue", "I agree")
    second = INVITE.search(text_of(invite))
    assert second is not None
    stale = await _submit_vet_profile(
        long,
        second.group(1),
        boris,
        "Surgery, " + "orthopaedics and " * 17,
        "Dogs. " * 83,
    )
    await _forget(api, stale)
    await admin.say("/vets_pending")
    await admin.press("🩺 Dr. Boris")
    answer = await admin.press(texts.get("btn-vet-show-photo", "en"))
    assert answer["answer"]["text"] == texts.get("err-vet-photo-unavailable", "en")
    assert answer["answer"]["show_alert"] is True
    await admin.press(texts.get("btn-vet-verify", "en"))
    await admin.wait_for_text(texts.get("msg-vet-verified-admin", "en", name=boris.strip()))
    await _no_apology(admin, texts)
