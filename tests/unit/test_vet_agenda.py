"""/today and /queue as the vet sees them: each consultation's Mini App buttons (brief always,
Start inside the call window, Report once it opened), pages that fit Telegram's limits, and
every consultation reachable through the pages."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from aiogram.types import InlineKeyboardMarkup
from aiogram_i18n.cores import FluentRuntimeCore

from core.entities import Vet
from core.enums import Species, Urgency
from core.interactors.vets import VetAgenda, VetAppointment
from core.miniapp_links import MiniAppLinks
from dialogs.vet_schedule.agenda import AGENDA_PER_PAGE, AgendaPage, agenda_view, paginate
from sandbox.emulator.limits import MAX_INLINE_BUTTONS, MAX_INLINE_ROW, MAX_MARKUP_BYTES
from tests.support.chatting import load_texts
from tests.support.clean_run import displayed
from tests.support.telegram_rules import MESSAGE_TEXT_LIMIT, check_markup, check_text

BASE = "https://vets.example.org"
LINKS = MiniAppLinks(BASE)
START = datetime(2025, 6, 2, 9, 0)


class English:
    """The i18n lookup as handlers get it, in English."""

    locale = "en"

    def __init__(self, core: FluentRuntimeCore) -> None:
        self._core = core

    def get(self, key: str, locale: str | None = None, /, **kwargs: Any) -> str:
        return self._core.get(key, locale or "en", **kwargs)


@pytest.fixture(scope="module")
async def texts() -> English:
    return English(await load_texts())


def _vet() -> Vet:
    return Vet(
        id=1,
        user_id=1,
        display_name="Dr. Busy",
        bio=None,
        species=frozenset({Species.CAT}),
        languages=frozenset({"en"}),
        price_amount=250,
        currency="XTR",
        consultation_minutes=10,
        time_zone="Europe/Moscow",
        photo_key=None,
        is_active=True,
        created_at=datetime(2025, 1, 1),
    )


def _item(n: int, *, reason: str = "Vomiting since morning", **flags: bool) -> VetAppointment:
    start = START + timedelta(minutes=10 * n)
    return VetAppointment(
        appointment_id=100 + n,
        local_start=start,
        local_end=start + timedelta(minutes=10),
        pet_name=f"<Pet {n}> & co, with a rather long name",
        pet_species=Species.CAT,
        reason=reason,
        urgency=Urgency.HIGH if n % 2 else None,
        **flags,
    )


def _agenda(items: list[VetAppointment]) -> VetAgenda:
    return VetAgenda(
        vet=_vet(),
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 2),
        appointments=tuple(items),
    )


def _buttons(markup: InlineKeyboardMarkup | None) -> list[dict[str, Any]]:
    if markup is None:
        return []
    return [b.model_dump(exclude_none=True) for row in markup.inline_keyboard for b in row]


def _web_apps(markup: InlineKeyboardMarkup | None) -> list[tuple[str, str]]:
    return [(b["text"], b["web_app"]["url"]) for b in _buttons(markup) if "web_app" in b]


def _query(url: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(url).query)


def _within_limits(text: str, markup: InlineKeyboardMarkup | None) -> None:
    check_text(text, caption=False)
    assert len(displayed(text)) <= MESSAGE_TEXT_LIMIT
    if markup is not None:
        check_markup(markup)
        assert len(_buttons(markup)) <= MAX_INLINE_BUTTONS
        assert all(len(row) <= MAX_INLINE_ROW for row in markup.inline_keyboard)
        assert len(markup.model_dump_json(exclude_none=True).encode()) <= MAX_MARKUP_BYTES


async def test_each_consultation_links_its_brief_and_nothing_else_before_the_call(
    texts: English,
) -> None:
    view = agenda_view(texts, _agenda([_item(1), _item(2)]), LINKS, kind="today")

    links = _web_apps(view.markup)
    assert [url for _, url in links] == [
        f"{BASE}/miniapp/?appointment=101&screen=brief",
        f"{BASE}/miniapp/?appointment=102&screen=brief",
    ]
    assert links[0][0].startswith("📋 09:10 · ")
    assert texts.get("btn-vet-start-call") not in [text for text, _ in links]
    assert texts.get("btn-vet-report") not in [text for text, _ in links]


async def test_start_opens_the_call_page_and_report_the_form_once_the_call_window_opened(
    texts: English,
) -> None:
    items = [_item(1, call_open=True, report_due=True), _item(2, report_due=True), _item(3)]
    view = agenda_view(texts, _agenda(items), LINKS, kind="queue")

    assert view.markup is not None
    rows = [[b.text for b in row] for row in view.markup.inline_keyboard]
    start, report = texts.get("btn-vet-start-call"), texts.get("btn-vet-report")
    assert rows[0][1:] == [start, report]
    assert rows[1][1:] == [report]  # the call is over, the report is still to write
    assert rows[2][1:] == []
    assert rows[0][0].startswith("📋 2 Jun 09:10 · ")  # the queue spans days: the date too
    urls = dict(_web_apps(view.markup))
    assert _query(urls[start]) == {"appointment": ["101"]}
    assert [_query(url) for text, url in _web_apps(view.markup) if text == report] == [
        {"appointment": ["101"], "screen": ["report"]},
        {"appointment": ["102"], "screen": ["report"]},
    ]


async def test_without_a_public_address_the_list_comes_without_buttons(texts: English) -> None:
    view = agenda_view(
        texts,
        _agenda([_item(1, call_open=True, report_due=True)]),
        MiniAppLinks(None),
        kind="today",
    )

    assert view.markup is None
    assert "Vomiting since morning" in displayed(view.text)


@pytest.mark.parametrize("reason_length", [20, 500])
async def test_a_busy_day_is_paged_within_the_limits_and_every_consultation_is_reachable(
    texts: English, reason_length: int
) -> None:
    reason = ("Vomiting <since> morning & night; " * 20)[:reason_length]
    items = [
        _item(n, reason=reason, call_open=n % 3 == 0, report_due=n % 2 == 0) for n in range(45)
    ]
    agenda = _agenda(items)
    # A long address makes each button heavier: the pages must still fit.
    links = MiniAppLinks("https://" + "a" * 90 + ".example.org")

    seen: list[str] = []
    page = 0
    while True:
        view = agenda_view(texts, agenda, links, kind="today", page=page)
        _within_limits(view.text, view.markup)
        briefs = [url for text, url in _web_apps(view.markup) if text.startswith("📋")]
        assert 0 < len(briefs) <= AGENDA_PER_PAGE
        # Each consultation listed has its brief button, in the same order.
        listed = displayed(view.text).count("Reason: ")
        assert listed == len(briefs)
        seen += [_query(url)["appointment"][0] for url in briefs]
        pager = [b for b in _buttons(view.markup) if "callback_data" in b]
        following = [
            AgendaPage.unpack(b["callback_data"])
            for b in pager
            if b["text"] == texts.get("btn-page-next")
        ]
        if not following:
            assert not displayed(view.text).endswith("more")
            break
        left = len(items) - len(seen)
        assert displayed(view.text).endswith(displayed(texts.get("lbl-list-more", count=left)))
        assert following[0].page == page + 1
        page += 1

    assert seen == [str(item.appointment_id) for item in items]
    assert page > 0
    # A page beyond the last (a stale button after consultations left) shows the last page.
    assert agenda_view(texts, agenda, links, kind="today", page=99).text == view.text


def test_pages_hold_at_least_one_item_and_respect_both_budgets() -> None:
    assert paginate([], lambda _: 10) == []
    assert paginate([5000], lambda _: 10, budget=3000) == [(0, 1)]
    assert paginate([10] * 25, lambda _: 5, budget=3000, per_page=10) == [
        (0, 10),
        (10, 20),
        (20, 25),
    ]
    # 100 + 2 each: three fit in 320 with the "more" line (7), the fourth would not.
    assert paginate([100] * 5, lambda _: 5, budget=320, per_page=10) == [(0, 3), (3, 5)]
