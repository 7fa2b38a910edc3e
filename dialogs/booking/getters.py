from __future__ import annotations

from datetime import date
from typing import Any

from aiogram.types import User as TelegramUser
from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.booking_errors import AppointmentNotFoundError
from core.clock import Clock
from core.config import Settings
from core.dates import DateStyle, format_day
from core.enums import AppointmentStatus
from core.interactors.booking import BOOKERS, ListOpenDays, ListOpenSlots
from core.interactors.booking_views import (
    AppointmentCard,
    FindRecentCheck,
    FindVets,
    GetAppointmentCard,
    ListMyAppointmentCards,
)
from core.interactors.consultation_lifecycle import GetCallLink
from core.interactors.onboarding import GetUser
from core.interactors.pets import GetPetCard, ListMyPets
from core.markup import Markup
from core.schedule import local_day_bounds, to_local
from dialogs.booking.common import (
    CANCELLABLE,
    KEY_APPOINTMENT,
    KEY_ATTACH,
    KEY_CHECK,
    KEY_CHECK_ATTACHED,
    KEY_DAY,
    KEY_HOLD_UNTIL,
    KEY_JOIN_URL,
    KEY_NO_CHECK_ATTACHED,
    KEY_NO_RECENT_CHECK,
    KEY_PET,
    KEY_REASON,
    KEY_RECENT_CHECK,
    KEY_RESCHEDULE,
    KEY_SLOT,
    KEY_VET,
    KEY_VETS_PAGE,
    KEY_ZONE,
    STATUS_LABELS,
    TIME_FORMAT,
    day_label,
    price_text,
    refund_policy,
    when_args,
)
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.limits import fit_lines, shortened
from dialogs.widgets.zone_labels import zone_text


def sender_id(manager: DialogManager) -> int:
    sender: TelegramUser = manager.middleware_data["event_from_user"]
    return sender.id


@inject
async def get_pets(
    dialog_manager: DialogManager, list_pets: FromDishka[ListMyPets], **_: Any
) -> dict[str, Any]:
    # Only pets the user may book for (owners and co-owners; viewers may not spend on them).
    pets = [item for item in await list_pets(sender_id(dialog_manager)) if item.level in BOOKERS]
    return {
        "pets": [(item.pet.name, item.pet.id) for item in pets],
        "has_pets": bool(pets),
        "no_pets": not pets,
    }


async def get_reason(dialog_manager: DialogManager, **_: Any) -> dict[str, Any]:
    data = dialog_manager.dialog_data
    attached = bool(data.get(KEY_ATTACH)) and data.get(KEY_CHECK) is not None
    return {
        # A check carried in from a result is offered here; one attached a step before is
        # only confirmed.
        "has_check": data.get(KEY_CHECK) is not None and not attached,
        KEY_CHECK_ATTACHED: attached,
        KEY_NO_CHECK_ATTACHED: not attached,
    }


@inject
async def get_recent_check(
    dialog_manager: DialogManager,
    find_recent_check: FromDishka[FindRecentCheck],
    get_user: FromDishka[GetUser],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    telegram_id = sender_id(dialog_manager)
    pet_id = dialog_manager.dialog_data[KEY_PET]
    recent = await find_recent_check(telegram_id, pet_id)
    if recent is None:
        # Gone since the pet was chosen (the pet deleted, access withdrawn): nothing to offer,
        # "Don't attach" still leads on.
        return {KEY_RECENT_CHECK: False, KEY_NO_RECENT_CHECK: True}
    user = await get_user(telegram_id)
    submitted = to_local(recent.submitted_at, user.time_zone if user else "UTC")
    return {
        KEY_RECENT_CHECK: True,
        KEY_NO_RECENT_CHECK: False,
        "pet": recent.pet_name,
        "date": format_day(submitted, DateStyle.LONG, i18n.locale),
        "level": i18n.get(
            "lbl-booking-check-level",
            urgency=recent.urgency.value if recent.urgency is not None else "none",
        ),
    }


# Vets with long bios must fit one message (4096 characters): a few per page, bios cut short
# (the whole bio is on the vet's own card).
VETS_PER_PAGE = 3
MAX_BIO_SHOWN = 300


@inject
async def get_vets(
    dialog_manager: DialogManager,
    find_vets: FromDishka[FindVets],
    get_user: FromDishka[GetUser],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    user = await get_user(sender_id(dialog_manager))
    zone = user.time_zone if user else "UTC"
    offers = await find_vets(
        sender_id(dialog_manager), dialog_manager.dialog_data[KEY_PET], i18n.locale
    )
    pages = max(1, -(-len(offers) // VETS_PER_PAGE))
    page = min(max(dialog_manager.dialog_data.get(KEY_VETS_PAGE, 0), 0), pages - 1)
    shown = offers[page * VETS_PER_PAGE : (page + 1) * VETS_PER_PAGE]
    lines = [
        i18n.get(
            "msg-booking-vet-item",
            name=offer.vet.display_name,
            languages=", ".join(sorted(offer.vet.languages)).upper(),
            price=price_text(offer.vet.price_amount, offer.vet.currency),
            minutes=offer.vet.consultation_minutes,
            bio=shortened(offer.vet.bio or "", MAX_BIO_SHOWN),
            experience=(
                i18n.get("lbl-booking-vet-years", years=offer.vet.years_of_practice)
                if offer.vet.years_of_practice
                else ""
            ),
            **when_args(i18n, offer.first_free, zone),
        )
        for offer in shown
    ]
    return {
        "vets": [(offer.vet.display_name, offer.vet.id) for offer in shown],
        "vets_text": fit_lines(
            lines, lambda left: i18n.get("lbl-list-more", count=left), separator="\n\n"
        ),
        "has_vets": bool(offers),
        "no_vets": not offers,
        "has_prev_vets": page > 0,
        "has_next_vets": page + 1 < pages,
        "vets_page": page + 1,
        "vets_pages": pages,
        "vets_paged": pages > 1,
    }


@inject
async def get_days(
    dialog_manager: DialogManager,
    list_days: FromDishka[ListOpenDays],
    get_user: FromDishka[GetUser],
    clock: FromDishka[Clock],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    days = await list_days(sender_id(dialog_manager), dialog_manager.dialog_data[KEY_VET])
    user = await get_user(sender_id(dialog_manager))
    return {
        "days": [(day_label(i18n, day), day.isoformat()) for day in days],
        "has_days": bool(days),
        "no_days": not days,
        KEY_ZONE: zone_text(i18n, user.time_zone if user else "UTC", clock.now()),
    }


@inject
async def get_slots(
    dialog_manager: DialogManager,
    list_slots: FromDishka[ListOpenSlots],
    get_user: FromDishka[GetUser],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    day = date.fromisoformat(dialog_manager.dialog_data[KEY_DAY])
    slots = await list_slots(sender_id(dialog_manager), dialog_manager.dialog_data[KEY_VET], day)
    user = await get_user(sender_id(dialog_manager))
    zone = user.time_zone if user else "UTC"
    # Labelled as it reads on that day: a day after a DST change shows its own offset.
    at = slots[0].starts_at if slots else local_day_bounds(day, zone)[0]
    return {
        "slots": [(slot.local_start.strftime(TIME_FORMAT), slot.slot_id) for slot in slots],
        "has_slots": bool(slots),
        "no_slots": not slots,
        "date": day_label(i18n, day),
        KEY_ZONE: zone_text(i18n, zone, at),
    }


@inject
async def get_summary(
    dialog_manager: DialogManager,
    list_slots: FromDishka[ListOpenSlots],
    find_vets: FromDishka[FindVets],
    get_card: FromDishka[GetPetCard],
    get_user: FromDishka[GetUser],
    settings: FromDishka[Settings],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    data = dialog_manager.dialog_data
    telegram_id = sender_id(dialog_manager)
    user = await get_user(telegram_id)
    zone = user.time_zone if user else "UTC"
    pet = (await get_card(telegram_id, data[KEY_PET])).pet
    day = date.fromisoformat(data[KEY_DAY])
    slot = next(
        (
            s
            for s in await list_slots(telegram_id, data[KEY_VET], day)
            if s.slot_id == data[KEY_SLOT]
        ),
        None,
    )
    offer = next(
        (
            o
            for o in await find_vets(telegram_id, data[KEY_PET], i18n.locale)
            if o.vet.id == data[KEY_VET]
        ),
        None,
    )
    if slot is None or offer is None:
        return {"slot_gone": True, "ready": False}
    reason = data.get(KEY_REASON) or ""
    moving = data.get(KEY_RESCHEDULE) is not None
    return {
        "ready": True,
        "can_pay": not moving,
        "can_move": moving,
        "slot_gone": False,
        "vet": offer.vet.display_name,
        "pet": pet.name,
        "price": price_text(offer.vet.price_amount, offer.vet.currency),
        "minutes": offer.vet.consultation_minutes,
        "hold_minutes": settings.booking.hold_minutes,
        "reason": reason if reason else "—",
        "attached": bool(data.get(KEY_ATTACH)),
        **when_args(i18n, slot.starts_at, zone),
    }


@inject
async def get_paying(
    dialog_manager: DialogManager,
    get_card: FromDishka[GetAppointmentCard],
    settings: FromDishka[Settings],
    clock: FromDishka[Clock],
    **_: Any,
) -> dict[str, Any]:
    # The refund rule of this very slot, read before paying (issue #10, money rules).
    policy = ""
    appointment_id = dialog_manager.dialog_data.get(KEY_APPOINTMENT)
    if isinstance(appointment_id, int):
        try:
            card = await get_card(sender_id(dialog_manager), appointment_id)
        except AppointmentNotFoundError:
            pass  # gone with a deleted pet: the buttons below say the booking is closed
        else:
            policy = refund_policy(
                i18n_from(dialog_manager),
                card.appointment,
                now=clock.now(),
                cutoff_hours=settings.booking.refund_cutoff_hours,
                time_zone=card.owner.time_zone,
            )
    return {"until": dialog_manager.dialog_data.get(KEY_HOLD_UNTIL, ""), "refund_policy": policy}


@inject
async def get_appointments(
    dialog_manager: DialogManager,
    list_cards: FromDishka[ListMyAppointmentCards],
    clock: FromDishka[Clock],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    mine = await list_cards(sender_id(dialog_manager))
    now = clock.now()

    def label(card: AppointmentCard) -> str:
        args = when_args(i18n, card.appointment.starts_at, card.owner.time_zone)
        pet = card.pet.name if card.pet else "—"
        return f"{args['date']} {args['time']} · {card.vet.display_name} · {pet}"

    def item(card: AppointmentCard) -> str:
        return i18n.get(
            "msg-appointment-past-item",
            item=label(card),
            status=i18n.get(STATUS_LABELS[card.appointment.status]),
        )

    # "Past" is for times gone by: a cancelled appointment whose time is still ahead is listed
    # under "Cancelled" instead (issue #13).
    past = [item(card) for card in mine.past if card.appointment.starts_at <= now]
    cancelled = [item(card) for card in mine.past if card.appointment.starts_at > now]
    return {
        "upcoming": [(label(card), card.appointment.id) for card in mine.upcoming],
        "has_upcoming": bool(mine.upcoming),
        "no_upcoming": not mine.upcoming,
        "has_cancelled": bool(cancelled),
        "cancelled_text": Markup("\n").join(cancelled),
        "has_past": bool(past),
        "past_text": Markup("\n").join(past),
    }


@inject
async def get_appointment(
    dialog_manager: DialogManager,
    get_card: FromDishka[GetAppointmentCard],
    get_call_link: FromDishka[GetCallLink],
    settings: FromDishka[Settings],
    clock: FromDishka[Clock],
    **_: Any,
) -> dict[str, Any]:
    i18n = i18n_from(dialog_manager)
    card = await get_card(sender_id(dialog_manager), dialog_manager.dialog_data[KEY_APPOINTMENT])
    appointment = card.appointment
    # This booking's own deadline (a reschedule keeps the earliest), not the general rule.
    policy = ""
    if appointment.status is AppointmentStatus.CONFIRMED:
        policy = refund_policy(
            i18n,
            appointment,
            now=clock.now(),
            cutoff_hours=settings.booking.refund_cutoff_hours,
            time_zone=card.owner.time_zone,
        )
    # The same web_app button as the Join message, while the room is open.
    join_url = await get_call_link(sender_id(dialog_manager), appointment.id)
    return {
        KEY_JOIN_URL: join_url or "",
        "can_join": join_url is not None,
        "vet": card.vet.display_name,
        "pet": card.pet.name if card.pet else "—",
        "price": price_text(appointment.price_amount, appointment.currency),
        "status": i18n.get(STATUS_LABELS[appointment.status]),
        "reason": appointment.reason if appointment.reason else "—",
        "can_cancel": appointment.status in CANCELLABLE,
        "can_reschedule": appointment.status is AppointmentStatus.CONFIRMED,
        "cutoff_hours": settings.booking.refund_cutoff_hours,
        "refund_policy": policy,
        **when_args(i18n, appointment.starts_at, card.owner.time_zone),
    }
