"""Every Mini App route as everyone who might call it, on PostgreSQL and SQLite.

The whole stack but the network: the FastAPI app of `webapp.app.create_app`, the process's real
dishka container (its session bound to the test's rolled-back transaction, its clock settable),
sign-in with initData signed by init_data_py (not our code), blob storage on disk.

The people: the pet's owner, co-owner and viewer, a stranger, the booked vet (inside and outside
the brief window), another vet and an admin. The rules are the issue's (#8); see
`core.interactors.consultation_access` for the one place they are written.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx
import pytest
from aiogram import Bot
from dishka import Provider, Scope
from init_data_py import UnsignedInitData, User, sign
from sqlalchemy.ext.asyncio import AsyncSession

from bot.ioc import create_container
from core.checks import PhotoAnalysis, make_answers, result_to_json, run_triage
from core.clock import Clock
from core.enums import AccessLevel, CheckStatus, RecordKind, Role, Sex, Species
from core.ports.storage import BlobStorage
from core.triage import default_rules
from db.repositories import (
    SqlMedicalRecordRepository,
    SqlPetAccessRepository,
    SqlPetRepository,
    SqlSymptomCheckRepository,
    SqlUserRepository,
    SqlVetRepository,
)
from db.repositories.appointments import SqlAppointmentRepository
from db.repositories.slots import SqlSlotRepository
from db.storage.local import LocalBlobStorage
from tests.conftest import make_settings
from tests.photos import realistic_jpeg
from tests.support.booking import MutableClock
from tests.support.recording_session import RecordingSession
from webapp.app import create_app

TOKEN = "7000000001:AAHmini-app-access-matrix-token-00000"
OTHER_BOT_TOKEN = "7000000002:AAHsome-other-bot-entirely-000000000"
BASE = 9_400_000
START = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
END = START + timedelta(minutes=30)
INSIDE = START - timedelta(minutes=5)  # the brief is open, the call too
BEFORE = START - timedelta(hours=2)  # the brief opens 30 minutes before the start
AFTER = END + timedelta(hours=25)  # it closed 24 hours after the end
UNKNOWN = 987_654_321
PDF = b"%PDF-1.4\n% a lab result\n%%EOF\n"

OWNER, CO_OWNER, VIEWER, STRANGER, VET, OTHER_VET, ADMIN = (
    "owner",
    "co_owner",
    "viewer",
    "stranger",
    "vet",
    "other_vet",
    "admin",
)
PEOPLE = (OWNER, CO_OWNER, VIEWER, STRANGER, VET, OTHER_VET, ADMIN)


@dataclass(frozen=True)
class World:
    telegram_ids: dict[str, int]
    appointment_id: int
    pet_id: int
    document_record_id: int
    check_id: int
    photo: bytes


async def _seed(session: AsyncSession, storage: BlobStorage) -> World:
    users = SqlUserRepository(session)
    pets = SqlPetRepository(session)
    access = SqlPetAccessRepository(session)
    vets = SqlVetRepository(session)
    records = SqlMedicalRecordRepository(session)
    checks = SqlSymptomCheckRepository(session)
    roles = {
        VET: frozenset({Role.VET}),
        OTHER_VET: frozenset({Role.VET}),
        ADMIN: frozenset({Role.OWNER, Role.ADMIN}),
    }
    ids = {person: BASE + index for index, person in enumerate(PEOPLE)}
    internal = {}
    for person, telegram_id in ids.items():
        added = await users.add(
            telegram_id=telegram_id,
            first_name=person,
            username=None,
            language="en",
            roles=roles.get(person, frozenset({Role.OWNER})),
        )
        internal[person] = added.id
    vet_ids = {}
    for person in (VET, OTHER_VET):
        vet = await vets.add(
            user_id=internal[person],
            display_name=f"Dr. {person}",
            species=frozenset({Species.DOG}),
            languages=frozenset({"en"}),
            price_amount=100,
        )
        vet_ids[person] = vet.id

    pet = await pets.add(
        name="Rex",
        species=Species.DOG,
        breed="Beagle",
        sex=Sex.MALE,
        birth_date=date(2021, 3, 1),
        weight_grams=12_500,
        allergies="chicken",
    )
    await storage.put(f"pets/{pet.id}/photo-1.jpg", realistic_jpeg(seed=1), "image/jpeg")
    await pets.update(replace(pet, photo_key=f"pets/{pet.id}/photo-1.jpg"))
    for person, level in (
        (OWNER, AccessLevel.OWNER),
        (CO_OWNER, AccessLevel.CO_OWNER),
        (VIEWER, AccessLevel.VIEWER),
    ):
        await access.grant(pet_id=pet.id, user_id=internal[person], level=level, granted_at=START)

    noon = datetime(2024, 6, 1, 12, tzinfo=UTC)
    await records.add(
        pet_id=pet.id,
        kind=RecordKind.VACCINATION,
        title="Nobivac DHPPi",
        occurred_at=noon,
        data={"date": "2024-06-01"},
        next_due_at=noon + timedelta(days=365),
    )
    await records.add(
        pet_id=pet.id,
        kind=RecordKind.ALLERGY,
        title="Chicken",
        occurred_at=noon,
        details="itching",
        data={"date": "2024-06-01"},
    )
    await records.add(
        pet_id=pet.id,
        kind=RecordKind.CHRONIC_CONDITION,
        title="Atopic dermatitis",
        occurred_at=noon,
        data={"date": "2024-06-01"},
    )
    await records.add(
        pet_id=pet.id,
        kind=RecordKind.MEDICATION,
        title="Apoquel",
        occurred_at=noon,
        data={"date": "2024-06-01", "dose": "5.4 mg", "schedule": "twice a day"},
    )
    for day, grams in (("2024-01-10", 12_000), ("2025-05-10", 12_500)):
        await records.add(
            pet_id=pet.id,
            kind=RecordKind.WEIGHT,
            title="",
            occurred_at=datetime.fromisoformat(f"{day}T12:00:00+00:00"),
            data={"date": day, "grams": grams},
        )
    document_key = f"pets/{pet.id}/records/blood.pdf"
    await storage.put(document_key, PDF, "application/pdf")
    document = await records.add(
        pet_id=pet.id,
        kind=RecordKind.DOCUMENT,
        title="Blood test",
        occurred_at=noon,
        data={"date": "2024-06-01"},
        attachment_key=document_key,
        attachment_content_type="application/pdf",
    )

    answers = make_answers(["vomiting"], {"vomiting_count_24h": 4}, reason="ate grass")
    check = await checks.add(
        pet_id=pet.id,
        user_id=internal[OWNER],
        answers=answers,
        idempotency_key=None,
        submitted_at=START - timedelta(days=1),
    )
    photo = realistic_jpeg(seed=2)
    photo_key = f"users/tg-{ids[OWNER]}/checks/vomit.jpg"
    await storage.put(photo_key, photo, "image/jpeg")
    stored_photo = await checks.add_photo(
        check.id,
        position=0,
        storage_key=photo_key,
        content_type="image/jpeg",
        size_bytes=len(photo),
        telegram_file_id=None,
    )
    await checks.set_photo_findings(stored_photo.id, [{"label": "wound_open", "score": 0.42}])
    result = run_triage(pet, answers, default_rules(), START.date())
    await checks.save_result(
        check.id,
        status=CheckStatus.DONE,
        urgency=result.urgency,
        result=result_to_json(result, PhotoAnalysis.DONE),
        rules_version=result.rules_version,
        model_used=True,
        model_version="tiny",
        completed_at=START - timedelta(days=1),
    )

    slot = await SqlSlotRepository(session).add(vet_id=vet_ids[VET], starts_at=START, ends_at=END)
    appointments = SqlAppointmentRepository(session)
    held = await appointments.add_hold(
        slot_id=slot.id,
        vet_id=vet_ids[VET],
        owner_user_id=internal[OWNER],
        pet_id=pet.id,
        reason="Vomiting since yesterday",
        check_id=check.id,
        price_amount=100,
        currency="XTR",
        hold_expires_at=START - timedelta(days=1),
    )
    assert await appointments.confirm(held.id, confirmed_at=START - timedelta(days=2))
    await session.commit()
    return World(ids, held.id, pet.id, document.id, check.id, photo)


@dataclass
class MiniApp:
    http: httpx.AsyncClient
    clock: MutableClock
    world: World

    async def sign_in(self, person: str, token: str = TOKEN) -> httpx.Response:
        init_data = sign(
            UnsignedInitData(
                query_id="AAHmatrix",
                user=User(id=self.world.telegram_ids[person], first_name=person),
            ),
            token,
            auth_date=self.clock.now(),
        )
        return await self.http.post("/miniapp/api/session", json={"init_data": init_data})

    async def get(self, person: str, path: str) -> httpx.Response:
        response = await self.sign_in(person)
        assert response.status_code == 200, response.text
        bearer = {"Authorization": f"Bearer {response.json()['token']}"}
        return await self.http.get(path, headers=bearer)


@pytest.fixture
async def miniapp(db_session: AsyncSession, db_url: str, tmp_path: Path) -> AsyncIterator[MiniApp]:
    storage = LocalBlobStorage(tmp_path / "files")
    world = await _seed(db_session, storage)
    clock = MutableClock(INSIDE)
    overrides = Provider()
    overrides.provide(lambda: clock, provides=Clock, scope=Scope.APP)
    overrides.provide(lambda: storage, provides=BlobStorage, scope=Scope.APP)
    # Every request's session is the test's: it sees the seeded rows and is rolled back.
    overrides.provide(lambda: db_session, provides=AsyncSession, scope=Scope.REQUEST)
    settings = make_settings(tmp_path / "unused.db")
    settings = settings.model_copy(update={"database_url": db_url})
    bot = Bot(TOKEN, session=RecordingSession())
    container = create_container(settings, overrides, bot=bot)
    app = create_app(miniapp=container)
    try:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://miniapp.test"
        ) as http:
            yield MiniApp(http, clock, world)
    finally:
        await container.close()


# --- the matrix ---------------------------------------------------------------------------------

ROUTES = ("appointment", "brief", "records", "pet_photo", "document", "check_photo")


def _paths(world: World) -> dict[str, str]:
    appointment = f"/miniapp/api/appointments/{world.appointment_id}"
    return {
        "appointment": appointment,
        "brief": f"{appointment}/brief",
        "records": f"/miniapp/api/pets/{world.pet_id}/records",
        "pet_photo": f"/miniapp/api/files/pets/{world.pet_id}/photo",
        "document": f"/miniapp/api/files/records/{world.document_record_id}",
        "check_photo": f"/miniapp/api/files/checks/{world.check_id}/photos/0",
    }


# Status per route, in ROUTES order.
MEMBER = (200, 403, 200, 200, 200, 200)  # the brief is the vet's
NOBODY = (403, 403, 403, 403, 403, 403)
EVERYTHING = (200, 200, 200, 200, 200, 200)
VET_OUTSIDE = (200, 403, 403, 403, 403, 403)  # their own appointment, nothing else

MATRIX: list[tuple[datetime, str, tuple[int, ...]]] = [
    *((INSIDE, person, MEMBER) for person in (OWNER, CO_OWNER, VIEWER)),
    (INSIDE, STRANGER, NOBODY),
    (INSIDE, VET, EVERYTHING),
    (INSIDE, OTHER_VET, NOBODY),
    (INSIDE, ADMIN, EVERYTHING),
    (BEFORE, VET, VET_OUTSIDE),
    (AFTER, VET, VET_OUTSIDE),
    (AFTER, OWNER, MEMBER),
    (AFTER, ADMIN, EVERYTHING),
    (BEFORE, STRANGER, NOBODY),
]


MOMENTS = {INSIDE: "inside-window", BEFORE: "before-window", AFTER: "after-window"}


@pytest.mark.parametrize(
    ("at", "person", "expected"),
    MATRIX,
    ids=[f"{person}-{MOMENTS[at]}" for at, person, _ in MATRIX],
)
async def test_every_route_answers_each_caller_as_the_rules_say(
    miniapp: MiniApp, at: datetime, person: str, expected: tuple[int, ...]
) -> None:
    miniapp.clock.current = at
    paths = _paths(miniapp.world)
    got = {route: (await miniapp.get(person, paths[route])).status_code for route in ROUTES}
    assert got == dict(zip(ROUTES, expected, strict=True))


async def test_unknown_ids_are_404_for_an_admin_and_403_for_everyone_else(
    miniapp: MiniApp,
) -> None:
    unknown = [
        f"/miniapp/api/appointments/{UNKNOWN}",
        f"/miniapp/api/appointments/{UNKNOWN}/brief",
        f"/miniapp/api/pets/{UNKNOWN}/records",
        f"/miniapp/api/files/pets/{UNKNOWN}/photo",
        f"/miniapp/api/files/records/{UNKNOWN}",
        f"/miniapp/api/files/checks/{UNKNOWN}/photos/0",
    ]
    for path in unknown:
        assert (await miniapp.get(ADMIN, path)).status_code == 404, path
        # An unknown id reads exactly like someone else's: ids cannot be probed.
        for person in (STRANGER, OWNER, VET):
            response = await miniapp.get(person, path)
            assert response.status_code == 403, (person, path)
            assert response.json()["detail"]
    # A photo position that does not exist, asked by someone who may read the check: 404.
    missing = f"/miniapp/api/files/checks/{miniapp.world.check_id}/photos/5"
    assert (await miniapp.get(OWNER, missing)).status_code == 404
    assert (await miniapp.get(STRANGER, missing)).status_code == 403


async def test_the_vets_brief_has_the_card_the_reason_and_the_whole_check(
    miniapp: MiniApp,
) -> None:
    world = miniapp.world
    response = await miniapp.get(VET, f"/miniapp/api/appointments/{world.appointment_id}/brief")
    assert response.status_code == 200, response.text
    brief = response.json()
    assert brief["reason"] == "Vomiting since yesterday"
    assert brief["starts_at"] == "2025-06-02T07:00:00Z"  # UTC, ISO-8601
    pet = brief["pet"]
    assert (pet["name"], pet["species"], pet["breed"], pet["sex"]) == (
        "Rex",
        "dog",
        "Beagle",
        "male",
    )
    assert (pet["birth_date"], pet["age_months"], pet["weight_grams"]) == (
        "2021-03-01",
        51,
        12_500,
    )
    assert pet["photo_url"] == f"/miniapp/api/files/pets/{world.pet_id}/photo"
    assert [a["title"] for a in brief["allergies"]] == ["Chicken"]
    assert [c["title"] for c in brief["chronic_conditions"]] == ["Atopic dermatitis"]
    assert [(m["drug"], m["dose"]) for m in brief["current_medications"]] == [
        ("Apoquel", "5.4 mg")
    ]
    [vaccination] = brief["vaccinations"]
    assert (vaccination["product"], vaccination["next_due"]) == ("Nobivac DHPPi", "2025-06-01")
    assert vaccination["overdue"]  # due the day before the consultation
    assert [(w["measured_on"], w["grams"]) for w in brief["weights"]] == [
        ("2024-01-10", 12_000),
        ("2025-05-10", 12_500),
    ]

    check = brief["symptom_check"]
    assert check["id"] == world.check_id
    assert check["signs"] == ["vomiting"]
    assert check["details"] == {"vomiting_count_24h": 4}
    assert check["owner_words"] == "ate grass"
    assert check["urgency"] == "medium"
    fired = {rule["rule_id"] for rule in check["fired_rules"]}
    assert {"vomiting.base", "vomiting.frequent"} <= fired
    assert all(rule["source"] for rule in check["fired_rules"])
    assert check["photo_analysis"] == "done"
    [photo] = check["photos"]
    assert photo["url"] == f"/miniapp/api/files/checks/{world.check_id}/photos/0"
    assert photo["findings"] == [{"label": "wound_open", "score": 0.42}]


async def test_photo_urls_from_the_brief_are_themselves_access_checked(miniapp: MiniApp) -> None:
    world = miniapp.world
    brief = (
        await miniapp.get(VET, f"/miniapp/api/appointments/{world.appointment_id}/brief")
    ).json()
    photo_url = brief["symptom_check"]["photos"][0]["url"]
    served = await miniapp.get(VET, photo_url)
    assert served.status_code == 200
    assert served.content == world.photo
    assert served.headers["content-type"] == "image/jpeg"
    assert "no-store" in served.headers["cache-control"]
    assert served.headers["x-content-type-options"] == "nosniff"
    for person in (STRANGER, OTHER_VET):
        assert (await miniapp.get(person, photo_url)).status_code == 403
    # Without a session the URL is worth nothing at all.
    assert (await miniapp.http.get(photo_url)).status_code == 401
    # The vet's access ends with the window; the URL does not outlive it.
    miniapp.clock.current = AFTER
    assert (await miniapp.get(VET, photo_url)).status_code == 403


async def test_the_records_screen_shows_the_card_with_files_as_urls(miniapp: MiniApp) -> None:
    world = miniapp.world
    response = await miniapp.get(VIEWER, f"/miniapp/api/pets/{world.pet_id}/records")
    assert response.status_code == 200
    card = response.json()
    assert card["role"] == "viewer"
    assert card["pet"]["allergies_note"] == "chicken"
    assert [d["title"] for d in card["due"]] == ["Nobivac DHPPi"]
    [document] = card["documents"]
    assert document["url"] == f"/miniapp/api/files/records/{world.document_record_id}"
    assert document["content_type"] == "application/pdf"
    served = await miniapp.get(VIEWER, document["url"])
    assert (served.status_code, served.content) == (200, PDF)
    assert served.headers["content-type"] == "application/pdf"
    assert [m["drug"] for m in card["medications"]] == ["Apoquel"]
    assert len(card["weights"]) == 2


async def test_the_appointment_says_the_role_and_when_the_call_opens(miniapp: MiniApp) -> None:
    path = f"/miniapp/api/appointments/{miniapp.world.appointment_id}"
    miniapp.clock.current = BEFORE
    owner = (await miniapp.get(OWNER, path)).json()
    assert owner["role"] == "owner"
    assert owner["status"] == "confirmed"
    assert owner["call"] == {
        "opens_at": "2025-06-02T06:50:00Z",
        "closes_at": "2025-06-02T07:45:00Z",
        "state": "not_open_yet",
        "may_join": False,
    }
    assert owner["brief"]["may_read"] is False
    assert owner["may_read_records"] is True
    assert owner["vet"]["display_name"] == "Dr. vet"
    assert owner["pet"] == {"id": miniapp.world.pet_id, "name": "Rex", "species": "dog"}
    vet = (await miniapp.get(VET, path)).json()
    assert (vet["role"], vet["brief"]["may_read"]) == ("vet", False)
    assert vet["brief"]["opens_at"] == "2025-06-02T06:30:00Z"

    miniapp.clock.current = INSIDE
    assert (await miniapp.get(OWNER, path)).json()["call"]["may_join"] is True
    assert (await miniapp.get(CO_OWNER, path)).json()["call"]["may_join"] is True
    assert (await miniapp.get(VET, path)).json()["call"]["may_join"] is True
    viewer = (await miniapp.get(VIEWER, path)).json()
    assert (viewer["role"], viewer["call"]["state"]) == ("viewer", "not_a_participant")
    admin = (await miniapp.get(ADMIN, path)).json()
    assert (admin["role"], admin["call"]["may_join"]) == ("admin", False)


# --- signing in ---------------------------------------------------------------------------------


async def test_sign_in_answers_the_token_and_the_telegram_id(miniapp: MiniApp) -> None:
    response = await miniapp.sign_in(OWNER)
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"token", "user_id"}
    assert body["user_id"] == miniapp.world.telegram_ids[OWNER]


@pytest.mark.parametrize(
    "body",
    [
        {"init_data": "query_id=1&user=%7B%22id%22%3A1%7D&auth_date=1&hash=" + "0" * 64},
        {"init_data": ""},
        {"init_data": "%FF%FE"},
        {"init_data": 42},
        {"initData": "query_id=1"},
        "not an object",
    ],
    ids=["tampered", "empty", "not-utf-8", "not-a-string", "wrong-key", "not-an-object"],
)
async def test_bad_sign_in_bodies_are_401_with_a_reason(miniapp: MiniApp, body: Any) -> None:
    response = await miniapp.http.post("/miniapp/api/session", json=body)
    assert response.status_code == 401
    assert response.json()["detail"].startswith("init data refused")


async def test_init_data_for_another_bot_or_too_old_is_refused(miniapp: MiniApp) -> None:
    foreign = await miniapp.sign_in(OWNER, token=OTHER_BOT_TOKEN)
    assert foreign.status_code == 401
    assert "bad_signature" in foreign.json()["detail"]
    stale = sign(
        UnsignedInitData(user=User(id=miniapp.world.telegram_ids[OWNER], first_name="o")),
        TOKEN,
        auth_date=miniapp.clock.now() - timedelta(seconds=3601),  # MINIAPP__INIT_DATA_MAX_AGE_S
    )
    response = await miniapp.http.post("/miniapp/api/session", json={"init_data": stale})
    assert response.status_code == 401
    assert "stale" in response.json()["detail"]


async def test_routes_refuse_a_missing_invalid_or_expired_session(miniapp: MiniApp) -> None:
    path = f"/miniapp/api/appointments/{miniapp.world.appointment_id}"
    assert (await miniapp.http.get(path)).status_code == 401
    bad = await miniapp.http.get(path, headers={"Authorization": "Bearer v1.1.9999999999.AAAA"})
    assert bad.status_code == 401
    assert bad.headers["www-authenticate"] == "Bearer"
    token = (await miniapp.sign_in(OWNER)).json()["token"]
    bearer = {"Authorization": f"Bearer {token}"}
    assert (await miniapp.http.get(path, headers=bearer)).status_code == 200
    miniapp.clock.advance(seconds=1800)  # MINIAPP__SESSION_TTL_S
    expired = await miniapp.http.get(path, headers=bearer)
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


async def test_init_data_is_never_logged(
    miniapp: MiniApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    valid = sign(
        UnsignedInitData(user=User(id=miniapp.world.telegram_ids[OWNER], first_name="Secretive")),
        TOKEN,
        auth_date=miniapp.clock.now(),
    )
    foreign = sign(
        UnsignedInitData(user=User(id=1, first_name="Secretive")),
        OTHER_BOT_TOKEN,
        auth_date=miniapp.clock.now(),
    )
    for init_data in (valid, foreign, valid + "&x=%FF"):
        await miniapp.http.post("/miniapp/api/session", json={"init_data": init_data})
    logged = "\n".join(
        f"{record.getMessage()} {record.args!r} {record.exc_text or ''}"
        for record in caplog.records
    )
    assert "sign-in refused" in logged  # the refusals are logged, by their reasons
    for init_data in (valid, foreign):
        assert init_data.rsplit("hash=", 1)[1] not in logged
    assert "Secretive" not in logged


# --- the call routes: who may take part, and when ----------------------------------------------

CALL_ROUTES = ("call/join", "call/joined", "call/left")
PARTICIPANTS = frozenset({OWNER, CO_OWNER, VET})
# The seed makes no room: inside the window a participant hears "not ready yet" (503, the page
# retries); outside it, when it opens (409). Leaving is always recorded for a participant.
CALL_STATUS = {INSIDE: (503, 503, 204), BEFORE: (409, 409, 204), AFTER: (409, 409, 204)}


@pytest.mark.parametrize("at", [INSIDE, BEFORE, AFTER], ids=lambda at: MOMENTS[at])
@pytest.mark.parametrize("person", PEOPLE)
async def test_every_call_route_answers_each_caller_as_the_rules_say(
    miniapp: MiniApp, at: datetime, person: str
) -> None:
    miniapp.clock.current = at
    signed = await miniapp.sign_in(person)
    bearer = {"Authorization": f"Bearer {signed.json()['token']}"}
    base = f"/miniapp/api/appointments/{miniapp.world.appointment_id}"
    got = []
    for route in CALL_ROUTES:
        got.append((await miniapp.http.post(f"{base}/{route}", headers=bearer)).status_code)
    expected = CALL_STATUS[at] if person in PARTICIPANTS else (403, 403, 403)
    assert tuple(got) == expected
