"""Keys, formatting and error → message maps shared by the booking dialogs and handlers."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Final

from aiogram_i18n import I18nContext

from core.booking_errors import CheckoutDeclineReason
from core.dates import DateStyle, format_day
from core.entities import Appointment
from core.enums import AppointmentStatus
from core.interactors.booking import PaymentResult, RefundState, refund_deadline
from core.schedule import to_local
from dialogs.widgets.zone_labels import zone_text

KEY_PET: Final = "pet_id"
KEY_CHECK: Final = "check_id"
KEY_ATTACH: Final = "attach_check"
KEY_RECENT_CHECK: Final = "has_recent_check"  # getter: the pet has a check worth offering
KEY_NO_RECENT_CHECK: Final = "no_recent_check"
KEY_CHECK_ATTACHED: Final = "check_attached"  # getter: the reason window confirms it
KEY_NO_CHECK_ATTACHED: Final = "no_check_attached"
KEY_REASON: Final = "reason"
KEY_VET: Final = "vet_id"
KEY_DAY: Final = "day"  # ISO date in the owner's zone
KEY_SLOT: Final = "slot_id"
KEY_VETS_PAGE: Final = "vets_page"
KEY_APPOINTMENT: Final = "appointment_id"
KEY_HOLD_UNTIL: Final = "hold_until"  # local time the hold ends, as shown
KEY_JOIN_URL: Final = "join_url"  # the Mini App's call page, while the room is open
KEY_ZONE: Final = "zone"  # getter: the owner's zone as people name it ("МСК (UTC+3)")
# Moving a confirmed appointment: the booking dialog picks a time, then moves instead of paying.
KEY_RESCHEDULE: Final = "reschedule_appointment_id"

ID_PETS: Final = "booking_pets"
ID_VETS: Final = "booking_vets"
ID_VETS_PREVIOUS: Final = "booking_vets_previous"
ID_VETS_NEXT: Final = "booking_vets_next"
ID_DAYS: Final = "booking_days"
ID_SLOTS: Final = "booking_slots"
ID_APPOINTMENTS: Final = "appointments_list"

TIME_FORMAT: Final = "%H:%M"

# Abbreviations with a name of their own in a language (МСК in Russian), as in the settings.


DECLINE_ERRORS: Final = {
    CheckoutDeclineReason.UNKNOWN_INVOICE: "err-payment-unknown-invoice",
    CheckoutDeclineReason.NOT_YOURS: "err-payment-not-yours",
    CheckoutDeclineReason.HOLD_EXPIRED: "err-payment-hold-expired",
    CheckoutDeclineReason.SLOT_TAKEN: "err-payment-slot-taken",
    CheckoutDeclineReason.SLOT_UNAVAILABLE: "err-payment-slot-unavailable",
    CheckoutDeclineReason.ALREADY_PAID: "err-payment-already-paid",
    CheckoutDeclineReason.CANCELLED: "err-payment-cancelled",
    CheckoutDeclineReason.PRICE_CHANGED: "err-payment-price-changed",
}

NOT_CONFIRMED: Final = {
    PaymentResult.REFUNDED: "msg-payment-refunded",
    PaymentResult.REFUND_PENDING: "msg-payment-refund-pending",
    PaymentResult.REFUND_FAILED: "msg-payment-refund-failed",
}

CANCELLED: Final = {
    RefundState.NOT_PAID: "msg-appointment-cancelled-unpaid",
    RefundState.NOT_DUE: "msg-appointment-cancelled-no-refund",
    RefundState.REFUNDED: "msg-appointment-cancelled-refunded",
    RefundState.PENDING: "msg-appointment-cancelled-refund-pending",
    RefundState.FAILED: "msg-appointment-cancelled-refund-failed",
}


STATUS_LABELS: Final = {
    AppointmentStatus.HELD: "lbl-appointment-status-held",
    AppointmentStatus.CONFIRMED: "lbl-appointment-status-confirmed",
    AppointmentStatus.CANCELLED_BY_OWNER: "lbl-appointment-status-cancelled-by-owner",
    AppointmentStatus.CANCELLED_BY_VET: "lbl-appointment-status-cancelled-by-vet",
    AppointmentStatus.COMPLETED: "lbl-appointment-status-completed",
    AppointmentStatus.NO_SHOW_VET: "lbl-appointment-status-no-show-vet",
    AppointmentStatus.EXPIRED: "lbl-appointment-status-expired",
}
CANCELLABLE: Final = frozenset({AppointmentStatus.HELD, AppointmentStatus.CONFIRMED})


def day_label(i18n: I18nContext, day: date, locale: str | None = None) -> str:
    return format_day(day, DateStyle.WEEKDAY, locale or i18n.locale)


def when_args(
    i18n: I18nContext, instant: datetime, time_zone: str, locale: str | None = None
) -> dict[str, str]:
    """`date`, `time` and `zone` message arguments for an instant shown in `time_zone`; the
    zone is labelled as it reads at that instant (a winter date says CET, a summer one CEST)."""
    local = to_local(instant, time_zone)
    return {
        "date": day_label(i18n, local.date(), locale),
        "time": local.strftime(TIME_FORMAT),
        "zone": zone_text(i18n, time_zone, instant, locale),
    }


def refund_policy(
    i18n: I18nContext,
    appointment: Appointment,
    *,
    now: datetime,
    cutoff_hours: int,
    time_zone: str,
    locale: str | None = None,
) -> str:
    """The appointment's refund rule in the owner's words, as `CancelByOwner` applies it: a full
    refund when cancelled before `refund_deadline`, none after. Shown before paying and after."""
    deadline = refund_deadline(appointment, timedelta(hours=cutoff_hours))
    if now >= deadline:
        return i18n.get("msg-payment-refund-none", locale, cutoff_hours=cutoff_hours)
    when = when_args(i18n, deadline, time_zone, locale)
    return i18n.get(
        "msg-payment-refund-until",
        locale,
        refund_date=when["date"],
        refund_time=when["time"],
        zone=when["zone"],
        cutoff_hours=cutoff_hours,
    )


def price_text(amount: int, currency: str) -> str:
    # Stars are whole numbers shown with the star; other currencies in minor units.
    if currency == "XTR":
        return f"{amount} ⭐"
    return f"{amount / 100:.2f} {currency}"
