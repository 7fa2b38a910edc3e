"""How many SQL statements the main windows cost, per update, and the user loaded once in it.

Profiles showed 11–13 statements per dialog step, 8 of them the sender and their roles looked
up four times (the registering middleware, the locale, filters, getters and interactors each
asked). `SqlUserRepository` now answers a second lookup in one request from what it loaded;
`SqlPetRepository` and `SqlPetAccessRepository` do the same for the pet and the caller's level
(the card's click handler and its getter both ask), and the pet list counts the archive
instead of listing it. Since then the sender's roles are joined into the sender's lookup, and
the access check brings the pet in the same statement. These tests keep it so: a window that
starts costing more statements fails here.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiogram_dialog.test_tools.keyboard import InlineButtonTextLocator
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession

from core.config import Settings
from core.enums import Role, Sex, Species
from core.interactors.pets import AddPet, PetDraft
from core.interactors.records import AddRecord, VaccinationDraft, WeightDraft
from db.migrate import upgrade_to_head_async
from db.repositories.account import SqlAccountDataRepository
from db.repositories.users import SqlUserRepository
from tests.conftest import make_settings
from tests.integration.conftest import PostgresServer
from tests.support.chatting import USER_ID, Chatting, open_chat
from tests.support.statements import StatementLog, record_statements

# The most statements each step of the walk may send, per backend, measured with the user
# loaded once per update. A window that needs more must justify it by changing this table in
# the same change (and saying why in its message); fewer is always welcome.
EXPECTED_STATEMENTS: dict[str, dict[str, int]] = {
    "sqlite": {
        "/start (main menu)": 2,  # user with roles (one statement), is-a-vet
        "🐾 My pets": 3,  # user with roles, active pets, the archived pets' count
        # user with roles, the caller's access row with the pet (the handler's, kept for the
        # getter)
        "pet card": 2,
        # user with roles, access with pet, the entries counted by kind (the page's filter,
        # the due kinds, the weights' trend button), the page, the vaccinations due
        "📋 records list": 5,
        "◀️ back to the card": 2,  # user with roles, access with pet
        "/check (pet choice)": 2,  # user with roles, pets
        "check: a pet chosen": 2,  # user with roles, access with pet
        "/appointments": 2,  # user with roles, appointments
    },
}
EXPECTED_STATEMENTS["postgresql"] = EXPECTED_STATEMENTS["sqlite"]

PET = "Barsik"
# The sender, their roles joined in (one statement per lookup); `show()` puts each statement on
# a line of its own, so `[^\n]*` stays within one.
USER_LOOKUP = re.compile(r"FROM users\b[^\n]*WHERE users\.telegram_id = ", re.IGNORECASE)
# The pet (by id, or along with the caller's access row) and the access row: each at most once
# per step, whoever asks.
PET_LOOKUPS = {
    "pet": re.compile(r"FROM pets\s+WHERE pets\.id = |FROM pet_access JOIN pets\b", re.IGNORECASE),
    "access level": re.compile(
        r"FROM pet_access\b[^\n]*WHERE pet_access\.pet_id = ", re.IGNORECASE
    ),
}


@pytest.fixture(
    params=[pytest.param("sqlite"), pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def backend(request: pytest.FixtureRequest) -> str:
    name: str = request.param
    return name


@pytest.fixture
def walk_target(backend: str, request: pytest.FixtureRequest) -> Settings | PostgresServer:
    """SQLite's per-test settings, or the server to create this test's own database on."""
    # Resolved here, in a plain fixture: an async fixture cannot request another lazily.
    target: Settings | PostgresServer = request.getfixturevalue(
        "settings" if backend == "sqlite" else "postgres_server"
    )
    return target


@pytest.fixture
async def walk_settings(walk_target: Settings | PostgresServer, tmp_path: Path) -> Settings:
    if isinstance(walk_target, Settings):
        return walk_target
    # A database of its own: the walk commits, and other tests count users and roles.
    url = await walk_target.create_database()
    await upgrade_to_head_async(url)
    return make_settings(tmp_path / "unused.db").model_copy(update={"database_url": url})


@pytest.fixture
async def chat(walk_settings: Settings) -> AsyncIterator[Chatting]:
    async with open_chat(walk_settings) as opened:
        await opened.send("/start")
        await opened.click("🇬🇧 English")
        await opened.click("Continue ▶️")
        await opened.click("✅ I agree")
        async with opened.container() as request:
            pet = await (await request.get(AddPet))(
                USER_ID, PetDraft(name=PET, species=Species.CAT, sex=Sex.MALE)
            )
        for draft in (
            VaccinationDraft("Nobivac Rabies", date(2025, 2, 1), date(2026, 2, 1)),
            WeightDraft(4_200, date(2025, 2, 2)),
        ):
            async with opened.container() as request:
                await (await request.get(AddRecord))(USER_ID, pet.id, draft)
        yield opened


async def _tap(chat: Chatting, text: str) -> None:
    window = chat.window()
    chat.messages.reset_history()
    await chat.client.click(window, InlineButtonTextLocator(f".*{re.escape(text)}.*"))


def _walk(chat: Chatting) -> list[tuple[str, Callable[[], Awaitable[None]], str]]:
    """The main windows in the order a user opens them: step, action, what the window shows."""
    return [
        ("/start (main menu)", lambda: chat.send("/start"), "how can we help?"),
        ("🐾 My pets", lambda: _tap(chat, "🐾 My pets"), "My pets"),
        ("pet card", lambda: _tap(chat, PET), "Species: 🐱 Cat"),
        ("📋 records list", lambda: _tap(chat, "📋 Medical card"), "medical card"),
        ("◀️ back to the card", lambda: _tap(chat, "◀️ Back"), "Species: 🐱 Cat"),
        ("/check (pet choice)", lambda: chat.send("/check"), "Which pet is it about?"),
        ("check: a pet chosen", lambda: _tap(chat, PET), "the important things first"),
        ("/appointments", lambda: chat.send("/appointments"), "appointments"),
    ]


async def test_main_windows_cost_no_more_statements_than_the_table(
    chat: Chatting, backend: str
) -> None:
    engine = await chat.container.get(AsyncEngine)
    expected = EXPECTED_STATEMENTS[backend]
    logs: dict[str, StatementLog] = {}
    for step, act, shown in _walk(chat):
        with record_statements(engine) as log:
            await act()
        window = chat.window()
        # A walk that went astray would count the wrong window.
        assert shown in (window.text or window.caption or ""), (step, window.text)
        logs[step] = log

    grown = {
        step: f"{len(log)} > {expected[step]}\n{log.show()}"
        for step, log in logs.items()
        if len(log) > expected[step]
    }
    assert not grown, "\n\n".join(f"{step}: {report}" for step, report in grown.items())
    # The table's first line on every step: one lookup of the sender, however many ask.
    lookups = {step: len(USER_LOOKUP.findall(log.show())) for step, log in logs.items()}
    assert set(lookups.values()) == {1}, lookups
    repeated = {
        (step, looked_up): found
        for step, log in logs.items()
        for looked_up, pattern in PET_LOOKUPS.items()
        if (found := len(pattern.findall(log.show()))) > 1
    }
    assert not repeated, repeated


# --- the repository's identity map, on both backends ---------------------------------------


async def _registered(session: AsyncSession, telegram_id: int) -> SqlUserRepository:
    users = SqlUserRepository(session)
    await users.add(telegram_id=telegram_id, first_name="", username=None, language=None)
    await session.commit()
    return SqlUserRepository(session)  # a fresh request's repository, nothing remembered


async def test_a_second_lookup_in_one_request_sends_no_statement(
    db_session: AsyncSession, db_engine: AsyncEngine
) -> None:
    users = await _registered(db_session, 70_001)
    with record_statements(db_engine) as log:
        first = await users.get_by_telegram_id(70_001)
        assert first is not None
        loaded = len(log)
        again = await users.get_by_telegram_id(70_001)
        by_id = await users.get(first.id)
        blocked = await users.is_bot_blocked(70_001)
    assert loaded >= 1  # the user with their roles (and a savepoint, on this fixture)
    assert len(log) == loaded, log.show()
    assert again == first == by_id
    assert blocked is False


async def test_a_read_after_a_write_in_the_same_request_sees_the_write(
    db_session: AsyncSession,
) -> None:
    users = await _registered(db_session, 70_002)
    user = await users.get_by_telegram_id(70_002)
    assert user is not None
    await users.set_language(user.id, "en")
    await users.set_consent(user.id, datetime(2025, 3, 1, tzinfo=UTC))
    await users.update_profile(user.id, first_name="Anna", username="anna")
    await users.add_role(user.id, Role.VET)
    await users.mark_bot_blocked(70_002, datetime(2025, 3, 2, tzinfo=UTC))

    seen = await users.get_by_telegram_id(70_002)
    assert seen is not None
    assert (seen.language, seen.first_name, seen.username) == ("en", "Anna", "anna")
    assert seen.consented_at == datetime(2025, 3, 1, tzinfo=UTC)
    assert seen.roles == {Role.OWNER, Role.VET}
    assert seen.blocked_bot_at == datetime(2025, 3, 2, tzinfo=UTC)
    assert await users.is_bot_blocked(70_002) is True

    await users.remove_role(user.id, Role.VET)
    await users.clear_bot_blocked(user.id)
    seen = await users.get_by_telegram_id(70_002)
    assert seen is not None
    assert (seen.roles, seen.blocked_bot_at) == (frozenset({Role.OWNER}), None)


async def test_after_a_rollback_the_next_read_asks_the_database(
    db_session: AsyncSession, db_engine: AsyncEngine
) -> None:
    users = await _registered(db_session, 70_003)
    user = await users.get_by_telegram_id(70_003)
    assert user is not None
    await users.set_language(user.id, "en")
    await users.add_role(user.id, Role.VET)
    await db_session.rollback()

    with record_statements(db_engine) as log:
        seen = await users.get_by_telegram_id(70_003)
    assert len(log) >= 1
    assert seen is not None
    assert (seen.language, seen.roles) == (None, frozenset({Role.OWNER}))


async def test_a_user_created_then_rolled_back_is_not_remembered(
    db_session: AsyncSession,
) -> None:
    users = SqlUserRepository(db_session)
    await users.add(telegram_id=70_004, first_name="", username=None, language=None)
    assert await users.get_by_telegram_id(70_004) is not None
    await db_session.rollback()
    assert await users.get_by_telegram_id(70_004) is None


async def test_a_deleted_account_is_not_answered_from_memory(db_session: AsyncSession) -> None:
    users = await _registered(db_session, 70_005)
    user = await users.get_by_telegram_id(70_005)
    assert user is not None
    await SqlAccountDataRepository(db_session).delete_user(user.id)
    assert await users.get_by_telegram_id(70_005) is None
    assert await users.get(user.id) is None
