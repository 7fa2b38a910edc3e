"""A value longer than Fluent takes in one placeable still reaches the message whole.

fluent.runtime refuses a string argument over MAX_PART_LENGTH (2500) characters ("Too many
characters in placeable", fluent/runtime/resolver.py); a busy vet's /today is a list of that
size, fitted to Telegram's 4096 (https://core.telegram.org/bots/api#sendmessage).
"""

from __future__ import annotations

from pathlib import Path

import pytest_asyncio
from aiogram_i18n.cores import FluentRuntimeCore
from fluent.runtime.resolver import MAX_PART_LENGTH

from bot.i18n import create_i18n_core
from core.markup import Markup, escape

LOCALES = Path(__file__).resolve().parents[2] / "locales"


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def texts() -> FluentRuntimeCore:
    core = create_i18n_core(LOCALES)
    await core.startup()
    return core


def test_a_list_longer_than_a_fluent_placeable_is_put_in_whole(texts: FluentRuntimeCore) -> None:
    items = Markup("\n\n").join(
        Markup("🕘 <b>09:{:02d}</b> · {}").format(n, "Barsik <3") for n in range(200)
    )
    assert len(items) > MAX_PART_LENGTH

    text = texts.get("msg-vet-today", "en", date="02.06.2025", zone="UTC", count=200, items=items)

    assert text.endswith(items)
    assert "\x00" not in text
    assert "Barsik &lt;3" in text


def test_a_long_plain_value_is_still_escaped(texts: FluentRuntimeCore) -> None:
    reason = "<b>" * MAX_PART_LENGTH

    text = texts.get("msg-vet-today", "en", date="02.06.2025", zone="UTC", count=1, items=reason)

    assert text.endswith(escape(reason))
