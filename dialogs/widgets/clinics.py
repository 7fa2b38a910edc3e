"""The nearest 24/7 clinics, for every window that sends an owner to one now.

Shared by the check result and the typed-emergency card: a one-tap location request (a reply
keyboard, since only reply keyboards can ask for a location), and the clinic list with a
route link and a tappable phone number per clinic.
"""

from __future__ import annotations

from aiogram.types import (
    KeyboardButton,
    LinkPreviewOptions,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)
from aiogram_dialog import DialogManager, ShowMode
from aiogram_i18n import I18nContext

from core.interactors.clinics import NearbyClinic
from core.markup import Markup
from dialogs.widgets.i18n import i18n_from


def route_url(locale: str, latitude: float, longitude: float) -> str:
    # Russian users mostly navigate with Yandex Maps; Google Maps everywhere else. Both open the
    # app when installed and the web page otherwise; neither needs the owner's position.
    if locale == "ru":
        return f"https://yandex.ru/maps/?rtext=~{latitude:.6f},{longitude:.6f}&rtt=auto"
    return f"https://www.google.com/maps/dir/?api=1&destination={latitude:.6f},{longitude:.6f}"


def location_keyboard(i18n: I18nContext) -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(
        keyboard=[[KeyboardButton(text=i18n.get("btn-share-location"), request_location=True)]],
        resize_keyboard=True,
        one_time_keyboard=True,
        input_field_placeholder=i18n.get("lbl-city-placeholder"),
    )


async def offer_location(manager: DialogManager) -> None:
    """Ask for the owner's location under an emergency card: one tap, or a typed city."""
    i18n = i18n_from(manager)
    bot = manager.middleware_data["bot"]
    chat = manager.middleware_data["event_chat"]
    await bot.send_message(
        chat.id, i18n.get("msg-location-offer"), reply_markup=location_keyboard(i18n)
    )


def clinics_text(i18n: I18nContext, nearby: list[NearbyClinic], *, with_distance: bool) -> str:
    locale = i18n.locale
    lines = [i18n.get("msg-clinics-nearby")]
    for item in nearby:
        clinic = item.clinic
        route = (
            route_url(locale, clinic.latitude, clinic.longitude)
            if clinic.latitude is not None and clinic.longitude is not None
            else ""
        )
        lines.append(
            i18n.get(
                "msg-clinic-item" if with_distance else "msg-clinic-item-in-city",
                name=clinic.name,
                address=clinic.address,
                phone=clinic.phone or "—",
                distance=round(item.distance_km, 1),
                route_url=route,
            )
        )
    return Markup("\n\n").join(lines)


async def answer_clinics(
    message: Message, manager: DialogManager, nearby: list[NearbyClinic], *, with_distance: bool
) -> None:
    """The list (or the directory's apology) under the card; the location keyboard goes away."""
    i18n = i18n_from(manager)
    # The card is sent again under the list, so its buttons stay in reach.
    manager.show_mode = ShowMode.DELETE_AND_SEND
    text = (
        clinics_text(i18n, nearby, with_distance=with_distance)
        if nearby
        else i18n.get("msg-clinics-none")
    )
    await message.answer(
        text,
        reply_markup=ReplyKeyboardRemove(),
        link_preview_options=LinkPreviewOptions(is_disabled=True),
    )
