"""/today and /queue: the vet's consultations as one message, a page at a time, each with its
Mini App buttons (the brief; "Start" while the call is open; "Report" until it is submitted).

A page holds what fits both of Telegram's limits at once: the text within `LIST_BUDGET`
(dialogs/widgets/limits.py) and the keyboard within `AGENDA_PER_PAGE` rows, so that every
consultation listed has its buttons right under it and none is out of reach (◀️ / ▶️ pages).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any, Final, Literal, Protocol

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo

from core.dates import DateStyle, format_day
from core.interactors.vets import VetAgenda, VetAppointment
from core.markup import Markup
from core.miniapp_links import MiniAppLinks
from core.schedule import zone as zone_of
from dialogs.widgets.labels import SPECIES_LABELS, urgency_value
from dialogs.widgets.limits import LIST_BUDGET, readable_length, shortened
from dialogs.widgets.zone_labels import zone_text

# A day can hold many consultations: each reason is cut so that the list stays readable.
MAX_REASON_SHOWN: Final = 200
# Telegram takes at most 100 buttons and about 10 kB of markup a message
# (sandbox/emulator/limits.py gives the sources). Ten rows of at most three web_app buttons
# plus the pager are 32 buttons and, with a 100-character WEBAPP_URL, under 7 kB.
AGENDA_PER_PAGE: Final = 10
# The pet's name on a button: enough to tell two pets apart, short enough for a phone's row.
MAX_PET_ON_BUTTON: Final = 20

AgendaKind = Literal["today", "queue"]


class AgendaPage(CallbackData, prefix="agenda"):
    """◀️ / ▶️ under /today and /queue: which list, which page (clamped when it is read)."""

    kind: str
    page: int


class Texts(Protocol):
    """The i18n lookup (`I18nContext`): a message by id, with its variables."""

    locale: str  # dates are worded by `core.dates` in this locale

    def get(self, key: str, locale: str | None = None, /, **kwargs: Any) -> str: ...


@dataclass(frozen=True, slots=True)
class AgendaView:
    text: str
    markup: InlineKeyboardMarkup | None


def agenda_view(
    i18n: Texts, agenda: VetAgenda, links: MiniAppLinks, *, kind: AgendaKind, page: int = 0
) -> AgendaView:
    """The page `page` (clamped) of the agenda: its text and its keyboard."""
    # Named at the day's noon: the label the vet's clock shows that day (summer or winter).
    noon = datetime.combine(agenda.first_day, time(12), tzinfo=zone_of(agenda.vet.time_zone))
    zone = zone_text(i18n, agenda.vet.time_zone, noon)
    date_text = format_day(agenda.first_day, DateStyle.LONG, i18n.locale)
    today = kind == "today"
    if not agenda.appointments:
        key = "msg-vet-today-empty" if today else "msg-vet-queue-empty"
        return AgendaView(i18n.get(key, date=date_text, zone=zone), None)
    lines = [_item_text(i18n, item) for item in agenda.appointments]
    pages = paginate(
        [readable_length(line) for line in lines],
        lambda left: readable_length(i18n.get("lbl-list-more", count=left)),
    )
    page = min(max(page, 0), len(pages) - 1)
    start, end = pages[page]
    shown: list[str] = lines[start:end]
    if end < len(lines):
        shown.append(i18n.get("lbl-list-more", count=len(lines) - end))
    key = "msg-vet-today" if today else "msg-vet-queue"
    text = i18n.get(
        key,
        date=date_text,
        zone=zone,
        count=len(agenda.appointments),
        items=Markup("\n\n").join(shown),
    )
    rows = [
        row
        for item in agenda.appointments[start:end]
        if (row := _item_buttons(i18n, item, links, today=today))
    ]
    pager = _pager(i18n, kind, page, last=len(pages) - 1)
    if pager:
        rows.append(pager)
    return AgendaView(text, InlineKeyboardMarkup(inline_keyboard=rows) if rows else None)


def paginate(
    costs: Sequence[int],
    more_cost: Callable[[int], int],
    *,
    budget: int = LIST_BUDGET,
    per_page: int = AGENDA_PER_PAGE,
    separator_cost: int = 2,
) -> list[tuple[int, int]]:
    """[start, end) of each page: at most `per_page` items whose text, with the "… and N more"
    line when items follow, fits `budget`. An item alone over the budget still gets a page
    (its reason is cut short, so it cannot be)."""
    pages: list[tuple[int, int]] = []
    start = 0
    while start < len(costs):
        end, used = start, 0
        while end < len(costs) and end - start < per_page:
            cost = costs[end] + separator_cost
            tail = more_cost(len(costs) - end - 1) + separator_cost if end + 1 < len(costs) else 0
            if end > start and used + cost + tail > budget:
                break
            used += cost
            end += 1
        pages.append((start, end))
        start = end
    return pages


def _item_text(i18n: Texts, item: VetAppointment) -> str:
    return i18n.get(
        "lbl-vet-agenda-item",
        date=format_day(item.local_start, DateStyle.DAY_MONTH, i18n.locale),
        start=f"{item.local_start:%H:%M}",
        end=f"{item.local_end:%H:%M}",
        pet=item.pet_name,
        species=i18n.get(SPECIES_LABELS[item.pet_species]) if item.pet_species else "—",
        reason=(
            shortened(item.reason, MAX_REASON_SHOWN)
            if item.reason
            else i18n.get("lbl-vet-no-reason")
        ),
        urgency=i18n.get("lbl-vet-urgency", urgency=urgency_value(item.urgency)),
    )


def _item_buttons(
    i18n: Texts, item: VetAppointment, links: MiniAppLinks, *, today: bool
) -> list[InlineKeyboardButton]:
    """The brief always; Start while the call is open; Report once the call window opened.

    No public address known (links give None): no button, the list alone still helps.
    """
    day = format_day(item.local_start, DateStyle.DAY_MONTH, i18n.locale)
    when = f"{item.local_start:%H:%M}" if today else f"{day} {item.local_start:%H:%M}"
    pet = shortened(item.pet_name, MAX_PET_ON_BUTTON) if item.pet_name else "—"
    wanted: list[tuple[str, str | None]] = [
        (i18n.get("btn-vet-brief", when=when, pet=pet), links.brief_page(item.appointment_id))
    ]
    if item.call_open:
        wanted.append((i18n.get("btn-vet-start-call"), links.call_page(item.appointment_id)))
    if item.report_due:
        wanted.append((i18n.get("btn-vet-report"), links.report_page(item.appointment_id)))
    return [
        InlineKeyboardButton(text=text, web_app=WebAppInfo(url=url))
        for text, url in wanted
        if url is not None
    ]


def _pager(i18n: Texts, kind: AgendaKind, page: int, *, last: int) -> list[InlineKeyboardButton]:
    buttons = []
    if page > 0:
        buttons.append(
            InlineKeyboardButton(
                text=i18n.get("btn-page-previous"),
                callback_data=AgendaPage(kind=kind, page=page - 1).pack(),
            )
        )
    if page < last:
        buttons.append(
            InlineKeyboardButton(
                text=i18n.get("btn-page-next"),
                callback_data=AgendaPage(kind=kind, page=page + 1).pack(),
            )
        )
    return buttons
