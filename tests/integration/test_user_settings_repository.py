"""Reminder settings stored on the user row, on SQLite and PostgreSQL (migration 0014)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta, timezone

import sqlalchemy as sa
from sqlalchemy.ext.asyncio import AsyncSession

from core.enums import ReminderKind
from db.models import UserModel
from db.repositories.users import SqlUserRepository

CHOSEN_AT = datetime(2026, 3, 29, 4, 30, tzinfo=timezone(timedelta(hours=3)))


async def test_a_new_user_has_the_default_settings(db_session: AsyncSession) -> None:
    users = SqlUserRepository(db_session)
    await users.add(telegram_id=7_000_000_501, first_name="", username=None, language=None)
    db_session.expunge_all()  # from the database, not the identity map

    found = await users.get_by_telegram_id(7_000_000_501)

    assert found is not None
    assert found.time_zone_chosen_at is None
    assert found.reminder_kinds_off == frozenset()
    assert (found.quiet_hours_start, found.quiet_hours_end) == (time(22, 0), time(8, 0))


async def test_settings_written_are_read_back(db_session: AsyncSession) -> None:
    users = SqlUserRepository(db_session)
    added = await users.add(telegram_id=7_000_000_502, first_name="", username=None, language="en")
    await users.set_time_zone(added.id, "Asia/Yekaterinburg", CHOSEN_AT)
    await users.set_reminder_kinds_off(
        added.id, {ReminderKind.FOLLOW_UP, ReminderKind.VACCINATION}
    )
    await users.set_quiet_hours(added.id, time(23, 30), time(6, 45))
    # The same request sees its own writes without a query...
    same_request = await users.get_by_telegram_id(7_000_000_502)
    assert same_request is not None
    assert same_request.time_zone == "Asia/Yekaterinburg"
    db_session.expunge_all()

    # ...and a later one reads them from the database.
    found = await SqlUserRepository(db_session).get_by_telegram_id(7_000_000_502)
    assert found is not None
    assert found.time_zone == "Asia/Yekaterinburg"
    assert found.time_zone_chosen_at == CHOSEN_AT.astimezone(UTC)
    assert found.reminder_kinds_off == {ReminderKind.FOLLOW_UP, ReminderKind.VACCINATION}
    assert (found.quiet_hours_start, found.quiet_hours_end) == (time(23, 30), time(6, 45))
    stored = await db_session.scalar(
        sa.select(UserModel.reminder_kinds_off).where(UserModel.id == added.id)
    )
    assert stored == ["follow_up", "vaccination"]  # one spelling per set

    await users.set_reminder_kinds_off(added.id, ())
    db_session.expunge_all()
    again = await SqlUserRepository(db_session).get_by_telegram_id(7_000_000_502)
    assert again is not None
    assert again.reminder_kinds_off == frozenset()


async def test_a_kind_a_later_release_dropped_does_not_break_the_user(
    db_session: AsyncSession,
) -> None:
    users = SqlUserRepository(db_session)
    added = await users.add(telegram_id=7_000_000_503, first_name="", username=None, language=None)
    await db_session.execute(
        sa.update(UserModel)
        .where(UserModel.id == added.id)
        .values(reminder_kinds_off=["vaccination", "retired_kind"])
    )
    db_session.expunge_all()
    found = await users.get_by_telegram_id(7_000_000_503)
    assert found is not None
    assert found.reminder_kinds_off == {ReminderKind.VACCINATION}
