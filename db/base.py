"""Declarative base and the column types every model shares."""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase

# Explicit constraint names make Alembic's output identical on PostgreSQL and SQLite and let
# later migrations (including SQLite batch table rebuilds) refer to constraints by name.
NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Room for longer members added later without a migration.
ENUM_LENGTH = 32


def utcnow() -> datetime:
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """The same instant in UTC; a naive value is refused (it names no instant)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: pass an aware datetime")
    return value.astimezone(UTC)


class UtcDateTime(sa.TypeDecorator[datetime]):
    """An instant: accepts only aware datetimes, always returns aware UTC.

    PostgreSQL stores `timestamptz` natively. SQLite has no such type: SQLAlchemy writes the
    wall-clock text and drops the offset, so we convert to UTC first (which also keeps the
    text order chronological for comparisons) and mark results as UTC on the way back.
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        # A naive value has no defined instant; guessing would silently shift times.
        value = as_utc(value)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def str_enum(enum_cls: type[StrEnum]) -> sa.Enum:
    """A VARCHAR column holding the enum's values (not its member names).

    No native DB enum and no CHECK constraint: adding a member must not need a migration, and
    both databases then behave the same. Python-side validation rejects unknown strings.
    """
    return sa.Enum(
        enum_cls,
        name=enum_cls.__name__.lower(),
        native_enum=False,
        create_constraint=False,
        validate_strings=True,
        length=ENUM_LENGTH,
        values_callable=lambda members: [member.value for member in members],
    )


# JSONB on PostgreSQL (indexable, compact); JSON (text) on SQLite.
JsonType: sa.types.TypeEngine[Any] = sa.JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = sa.MetaData(naming_convention=NAMING_CONVENTION)
