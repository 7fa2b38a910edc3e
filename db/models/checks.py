from __future__ import annotations

from datetime import datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from core.enums import CheckStatus, Urgency
from db.base import Base, JsonType, UtcDateTime, str_enum, utcnow


class SymptomCheckModel(Base):
    """A questionnaire (+ photos) run through triage.

    The queue delivers at least once, so the worker task must be idempotent: it reads
    `status`, counts `attempts`, and `notified_at` tells whether the owner already got the
    result. `idempotency_key` stops a double-pressed "submit" from creating two checks.
    """

    __tablename__ = "symptom_checks"

    id: Mapped[int] = mapped_column(primary_key=True)
    pet_id: Mapped[int] = mapped_column(sa.ForeignKey("pets.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id", ondelete="CASCADE"), index=True)
    status: Mapped[CheckStatus] = mapped_column(str_enum(CheckStatus), default=CheckStatus.DRAFT)
    answers: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    urgency: Mapped[Urgency | None] = mapped_column(str_enum(Urgency))
    result: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    rules_version: Mapped[str | None] = mapped_column(sa.String(32))
    # False when triage ran on answers alone (no model configured, or no photos).
    model_used: Mapped[bool] = mapped_column(sa.Boolean, default=False, server_default=sa.false())
    model_version: Mapped[str | None] = mapped_column(sa.String(128))
    error: Mapped[str | None] = mapped_column(sa.Text)
    idempotency_key: Mapped[str | None] = mapped_column(sa.String(64), unique=True)
    attempts: Mapped[int] = mapped_column(sa.Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    completed_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    notified_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class CheckPhotoModel(Base):
    """A photo of a check. The bytes live in BlobStorage under `storage_key`."""

    __tablename__ = "check_photos"
    __table_args__ = (sa.UniqueConstraint("check_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    check_id: Mapped[int] = mapped_column(sa.ForeignKey("symptom_checks.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(sa.SmallInteger)  # order the owner sent them in
    storage_key: Mapped[str] = mapped_column(sa.String(512))
    content_type: Mapped[str] = mapped_column(sa.String(128))
    size_bytes: Mapped[int] = mapped_column(sa.Integer)
    telegram_file_id: Mapped[str | None] = mapped_column(sa.String(256))
    findings: Mapped[dict[str, Any] | None] = mapped_column(JsonType)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
