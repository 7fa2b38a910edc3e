from __future__ import annotations

import operator

from aiogram.enums import ContentType
from aiogram.fsm.state import State
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import (
    Button,
    Cancel,
    Column,
    Row,
    ScrollingGroup,
    Select,
    Start,
    SwitchTo,
    WebApp,
)
from aiogram_dialog.widgets.text import Format

from dialogs.booking.common import (
    ID_APPOINTMENTS,
    ID_DAYS,
    ID_PETS,
    ID_SLOTS,
    ID_VETS,
    ID_VETS_NEXT,
    ID_VETS_PREVIOUS,
    KEY_CHECK_ATTACHED,
    KEY_JOIN_URL,
    KEY_NO_CHECK_ATTACHED,
    KEY_NO_RECENT_CHECK,
    KEY_RECENT_CHECK,
)
from dialogs.booking.getters import (
    get_appointment,
    get_appointments,
    get_days,
    get_paying,
    get_pets,
    get_reason,
    get_recent_check,
    get_slots,
    get_summary,
    get_vets,
)
from dialogs.booking.handlers import (
    on_appointment_selected,
    on_attach_check,
    on_attach_recent,
    on_cancel_confirmed,
    on_day_selected,
    on_move,
    on_pay,
    on_paying_cancel,
    on_paying_other_time,
    on_pet_selected,
    on_reason,
    on_reschedule,
    on_skip_reason,
    on_skip_recent,
    on_slot_selected,
    on_start,
    on_vet_selected,
    on_vets_page,
)
from dialogs.states import AppointmentsSG, BookingSG, PetsSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_CANCEL = "booking_cancel"
ID_SLOTS_PAGER = "booking_slots_pages"
ID_DAYS_PAGER = "booking_days_pages"
ID_ADD_PET = "booking_add_pet"
ID_ATTACH = "booking_attach"
ID_SKIP = "booking_skip"
ID_REASON_BACK = "booking_reason_back"
ID_ATTACH_RECENT = "booking_attach_recent"
ID_SKIP_RECENT = "booking_skip_recent"
ID_CHECK_BACK = "booking_check_back"
ID_VET_BACK = "booking_vet_back"
ID_DAY_BACK = "booking_day_back"
ID_SLOT_BACK = "booking_slot_back"
ID_SUMMARY_BACK = "booking_summary_back"
ID_MOVE = "booking_move"
ID_RESCHEDULE = "appointment_reschedule"
ID_PAY = "booking_pay"
ID_OTHER_TIME = "booking_other_time"
ID_CLOSE = "appointments_close"
ID_CARD_BACK = "appointments_card_back"
ID_CANCEL_ASK = "appointments_cancel_ask"
ID_CANCEL_YES = "appointments_cancel_yes"
ID_CANCEL_NO = "appointments_cancel_no"
ID_BOOK = "appointments_book"
ID_JOIN = "appointments_join"


def _cancel() -> Cancel:
    return Cancel(I18nFormat("btn-booking-cancel"), id=ID_CANCEL)


def _back(widget_id: str, state: State) -> SwitchTo:
    return SwitchTo(I18nFormat("btn-back"), id=widget_id, state=state)


pet_window = Window(
    I18nFormat("msg-booking-pet", when="has_pets"),
    I18nFormat("msg-booking-no-pets", when="no_pets"),
    Column(
        Select(
            ButtonLabel("🐾 {item[0]}"),
            id=ID_PETS,
            item_id_getter=operator.itemgetter(1),
            items="pets",
            type_factory=int,
            on_click=on_pet_selected,  # type: ignore[arg-type]  # dishka's 4-arg overload
        )
    ),
    Start(I18nFormat("btn-booking-add-pet"), id=ID_ADD_PET, state=PetsSG.LIST, when="no_pets"),
    _cancel(),
    unexpected_input_hint(),
    getter=get_pets,
    state=BookingSG.PET,
)

check_window = Window(
    I18nFormat("msg-booking-recent-check", when=KEY_RECENT_CHECK),
    I18nFormat("msg-booking-recent-check-gone", when=KEY_NO_RECENT_CHECK),
    Row(
        Button(
            I18nFormat("btn-booking-attach-recent"),
            id=ID_ATTACH_RECENT,
            on_click=on_attach_recent,
            when=KEY_RECENT_CHECK,
        ),
        Button(I18nFormat("btn-booking-skip-recent"), id=ID_SKIP_RECENT, on_click=on_skip_recent),
    ),
    Row(_back(ID_CHECK_BACK, BookingSG.PET), _cancel()),
    unexpected_input_hint("err-booking-recent-check-choice"),
    getter=get_recent_check,
    state=BookingSG.CHECK,
)

reason_window = Window(
    I18nFormat("msg-booking-reason", when=KEY_NO_CHECK_ATTACHED),
    I18nFormat("msg-booking-reason-with-check", when=KEY_CHECK_ATTACHED),
    Button(
        I18nFormat("btn-booking-attach-check"),
        id=ID_ATTACH,
        on_click=on_attach_check,
        when="has_check",
    ),
    Button(I18nFormat("btn-booking-skip-reason"), id=ID_SKIP, on_click=on_skip_reason),
    Row(_back(ID_REASON_BACK, BookingSG.PET), _cancel()),
    MessageInput(on_reason, content_types=ContentType.TEXT),
    unexpected_input_hint("err-booking-reason-text"),
    getter=get_reason,
    state=BookingSG.REASON,
)

vet_window = Window(
    I18nFormat("msg-booking-vets", when="has_vets"),
    Format("{vets_text}", when="has_vets"),
    I18nFormat("msg-booking-no-vets", when="no_vets"),
    I18nFormat("lbl-booking-vets-page", when="vets_paged"),
    Column(
        Select(
            ButtonLabel("🧑‍⚕️ {item[0]}"),
            id=ID_VETS,
            item_id_getter=operator.itemgetter(1),
            items="vets",
            type_factory=int,
            on_click=on_vet_selected,
        )
    ),
    Row(
        Button(
            I18nFormat("btn-page-previous"),
            id=ID_VETS_PREVIOUS,
            on_click=on_vets_page,
            when="has_prev_vets",
        ),
        Button(
            I18nFormat("btn-page-next"),
            id=ID_VETS_NEXT,
            on_click=on_vets_page,
            when="has_next_vets",
        ),
    ),
    Row(_back(ID_VET_BACK, BookingSG.REASON), _cancel()),
    unexpected_input_hint(),
    getter=get_vets,
    state=BookingSG.VET,
)

day_window = Window(
    I18nFormat("msg-booking-day", when="has_days"),
    I18nFormat("lbl-booking-times-in", when="has_days"),
    I18nFormat("msg-booking-no-days", when="no_days"),
    ScrollingGroup(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_DAYS,
            item_id_getter=operator.itemgetter(1),
            items="days",
            on_click=on_day_selected,
        ),
        id=ID_DAYS_PAGER,
        width=3,
        height=5,
        hide_on_single_page=True,
    ),
    Row(_back(ID_DAY_BACK, BookingSG.VET), _cancel()),
    unexpected_input_hint(),
    getter=get_days,
    state=BookingSG.DAY,
)

slot_window = Window(
    I18nFormat("msg-booking-slot", when="has_slots"),
    I18nFormat("lbl-booking-times-in", when="has_slots"),
    I18nFormat("msg-booking-no-slots", when="no_slots"),
    # A vet with 10-minute slots has 100+ a day: Telegram takes at most 100 buttons a message.
    ScrollingGroup(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_SLOTS,
            item_id_getter=operator.itemgetter(1),
            items="slots",
            type_factory=int,
            on_click=on_slot_selected,
        ),
        id=ID_SLOTS_PAGER,
        width=4,
        height=6,
        hide_on_single_page=True,
    ),
    Row(_back(ID_SLOT_BACK, BookingSG.DAY), _cancel()),
    unexpected_input_hint(),
    getter=get_slots,
    state=BookingSG.SLOT,
)

summary_window = Window(
    I18nFormat("msg-booking-summary", when="ready"),
    I18nFormat("msg-booking-check-attached", when="attached"),
    I18nFormat("msg-booking-slot-gone", when="slot_gone"),
    Button(I18nFormat("btn-booking-pay"), id=ID_PAY, on_click=on_pay, when="can_pay"),
    Button(I18nFormat("btn-booking-move"), id=ID_MOVE, on_click=on_move, when="can_move"),
    Row(_back(ID_SUMMARY_BACK, BookingSG.SLOT), _cancel()),
    unexpected_input_hint(),
    getter=get_summary,
    state=BookingSG.SUMMARY,
)

paying_window = Window(
    I18nFormat("msg-booking-invoice-sent"),
    Format("{refund_policy}"),
    # Both leave this hold behind for good (released, its invoice void), or, once it is paid
    # or closed, only say so: an old paying message never starts another booking.
    Button(I18nFormat("btn-booking-other-time"), id=ID_OTHER_TIME, on_click=on_paying_other_time),
    Button(I18nFormat("btn-booking-cancel"), id=ID_CANCEL, on_click=on_paying_cancel),
    unexpected_input_hint("err-booking-pay-invoice"),
    getter=get_paying,
    state=BookingSG.PAYING,
)

appointments_window = Window(
    I18nFormat("msg-appointments-upcoming", when="has_upcoming"),
    I18nFormat("msg-appointments-none", when="no_upcoming"),
    I18nFormat("msg-appointments-cancelled", when="has_cancelled"),
    I18nFormat("msg-appointments-past", when="has_past"),
    Column(
        Select(
            ButtonLabel("📅 {item[0]}"),
            id=ID_APPOINTMENTS,
            item_id_getter=operator.itemgetter(1),
            items="upcoming",
            type_factory=int,
            on_click=on_appointment_selected,
        )
    ),
    Start(I18nFormat("btn-appointment-book"), id=ID_BOOK, state=BookingSG.PET),
    Cancel(I18nFormat("btn-appointment-close"), id=ID_CLOSE),
    unexpected_input_hint(),
    getter=get_appointments,
    state=AppointmentsSG.LIST,
)

appointment_card_window = Window(
    I18nFormat("msg-appointment-card"),
    Format("{refund_policy}", when="refund_policy"),
    I18nFormat("msg-money-move-keeps-deadline", when="can_reschedule"),
    WebApp(
        I18nFormat("btn-consultation-join"),
        Format("{" + KEY_JOIN_URL + "}"),
        id=ID_JOIN,
        when="can_join",
    ),
    SwitchTo(
        I18nFormat("btn-appointment-cancel"),
        id=ID_CANCEL_ASK,
        state=AppointmentsSG.CANCEL,
        when="can_cancel",
    ),
    Button(
        I18nFormat("btn-appointment-reschedule"),
        id=ID_RESCHEDULE,
        on_click=on_reschedule,
        when="can_reschedule",
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_CARD_BACK, state=AppointmentsSG.LIST),
    unexpected_input_hint(),
    getter=get_appointment,
    state=AppointmentsSG.CARD,
)

cancel_window = Window(
    I18nFormat("msg-appointment-cancel-confirm"),
    Format("{refund_policy}", when="refund_policy"),
    Button(
        I18nFormat("btn-appointment-cancel-yes"), id=ID_CANCEL_YES, on_click=on_cancel_confirmed
    ),
    SwitchTo(I18nFormat("btn-appointment-cancel-no"), id=ID_CANCEL_NO, state=AppointmentsSG.CARD),
    unexpected_input_hint(),
    getter=get_appointment,
    state=AppointmentsSG.CANCEL,
)


def build_booking_dialogs() -> list[Dialog]:
    return [
        Dialog(
            pet_window,
            check_window,
            reason_window,
            vet_window,
            day_window,
            slot_window,
            summary_window,
            paying_window,
            on_start=on_start,
        ),
        Dialog(appointments_window, appointment_card_window, cancel_window),
    ]
