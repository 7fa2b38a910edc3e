"""Migration 0014's data step (issue #12): until a user chooses, `users.time_zone` holds their
language's likely zone — English speakers move to London, Russian speakers and users without
a language stay on Moscow — on PostgreSQL and SQLite alike."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from db.engine import create_engine
from db.migrate import downgrade_async, upgrade_to_head_async
from tests.integration.conftest import PostgresServer

BEFORE = "0013"  # the revision before the data step
# telegram id → language, as users stood before the revision (everyone on the column default)
USERS = {1: "en", 2: "ru", 3: None}


async def _users_before_the_step(url: str) -> None:
    # Down from head rather than up to 0013: the public helpers, and the same schema path.
    await upgrade_to_head_async(url)
    await downgrade_async(url, BEFORE)
    engine = create_engine(url)
    try:
        async with engine.begin() as connection:
            for telegram_id, language in USERS.items():
                await connection.execute(
                    sa.text(
                        "INSERT INTO users (telegram_id, first_name, language, created_at) "
                        "VALUES (:telegram_id, 'Ann', :language, CURRENT_TIMESTAMP)"
                    ),
                    {"telegram_id": telegram_id, "language": language},
                )
    finally:
        await engine.dispose()


async def _zones_after_the_step(url: str) -> dict[int, tuple[str, object]]:
    await upgrade_to_head_async(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(
                sa.text("SELECT telegram_id, time_zone, time_zone_chosen_at FROM users")
            )
            return {int(row[0]): (row[1], row[2]) for row in rows}
    finally:
        await engine.dispose()


async def _assert_likely_zones(url: str) -> None:
    await _users_before_the_step(url)
    assert await _zones_after_the_step(url) == {
        1: ("Europe/London", None),
        2: ("Europe/Moscow", None),
        3: ("Europe/Moscow", None),
    }


@pytest.mark.postgres
async def test_postgres_users_get_their_languages_likely_zone(
    postgres_server: PostgresServer,
) -> None:
    await _assert_likely_zones(await postgres_server.create_database())


async def test_sqlite_users_get_their_languages_likely_zone(sqlite_url: str) -> None:
    await _assert_likely_zones(sqlite_url)
