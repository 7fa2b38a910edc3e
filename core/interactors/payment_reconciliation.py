"""Stars payments the bot never processed, found in Telegram's ledger and recorded late.

Under long polling an update is not delivered again once fetched: a `successful_payment` whose
processing failed (the database was down, the process died) would leave the Stars charged and
nothing recording them. Telegram's list of the bot's Stars transactions (`getStarTransactions`)
still has every payment, so a periodic round — and one at start — walks the recent part of it
and sends each payment no row records through `ConfirmPayment`, the very path of the update:
the booking is confirmed, or the money refunded, exactly once (unique charge id), and the
payer is told. A payment already recorded, by the update or by an earlier round, is skipped.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Final

from core.clock import Clock
from core.interactors.booking import ConfirmPayment, PaymentOutcome, PaymentResult
from core.payments import STARS_CURRENCY, SuccessfulPayment, parse_invoice_payload
from core.ports.consultation_notices import Recipient
from core.ports.payment_notices import (
    RecoveredBooking,
    RecoveredPayment,
    RecoveredPaymentNotices,
    RecoveredPaymentResult,
)
from core.ports.repositories import (
    AppointmentRepository,
    PaymentRepository,
    PetRepository,
    UserRepository,
    VetRepository,
)
from core.ports.star_ledger import MAX_PAGE_SIZE, StarLedger, StarTransaction

logger = logging.getLogger(__name__)

# How far back a round looks. A hold lasts minutes and the job runs every few minutes and at
# start, so a day covers any outage short of a day-long one with margin; older payments need
# a person (/paysupport) rather than a bot confirming a booking days late.
DEFAULT_WINDOW: Final = timedelta(hours=24)
# A bound on one round's reading, so a broken ledger (a page that never ends) cannot spin.
MAX_PAGES: Final = 200
# Shown to a payer we know nothing about (they paid, then deleted their account).
FALLBACK_TIME_ZONE: Final = "UTC"

_RESULTS: Final = {
    PaymentResult.CONFIRMED: RecoveredPaymentResult.CONFIRMED,
    PaymentResult.REFUNDED: RecoveredPaymentResult.REFUNDED,
    PaymentResult.REFUND_PENDING: RecoveredPaymentResult.REFUND_PENDING,
    PaymentResult.REFUND_FAILED: RecoveredPaymentResult.REFUND_FAILED,
}


@dataclass(frozen=True, slots=True)
class ReconciliationReport:
    seen: int  # invoice payments of the window in the ledger
    recovered: int  # recorded by this round (confirmed or refunded)


class ReconcileStarPayments:
    """Record every recent Stars payment for one of our appointments that has no payment row.

    Payloads that name no appointment of this database are left alone: the same bot may sell
    through another deployment, and refunding its customers here would be worse than nothing.
    """

    def __init__(
        self,
        ledger: StarLedger,
        confirm: ConfirmPayment,
        payments: PaymentRepository,
        appointments: AppointmentRepository,
        users: UserRepository,
        vets: VetRepository,
        pets: PetRepository,
        notices: RecoveredPaymentNotices,
        clock: Clock,
    ) -> None:
        self._ledger = ledger
        self._confirm = confirm
        self._payments = payments
        self._appointments = appointments
        self._users = users
        self._vets = vets
        self._pets = pets
        self._notices = notices
        self._clock = clock

    async def __call__(self) -> ReconciliationReport:
        since = self._clock.now() - DEFAULT_WINDOW
        seen = recovered = 0
        for transaction, payer_telegram_id in await self._recent_payments(since):
            seen += 1
            if await self._payments.get_by_charge_id(transaction.id) is not None:
                continue  # recorded by its update or an earlier round
            appointment_id = parse_invoice_payload(transaction.invoice_payload or "")
            if appointment_id is None or await self._appointments.get(appointment_id) is None:
                continue
            outcome = await self._record(transaction, payer_telegram_id)
            if outcome.duplicate:
                continue  # its update was handled meanwhile: that path told the payer
            recovered += 1
            logger.warning(
                "recovered Stars payment %s for appointment %s: %s",
                transaction.id,
                appointment_id,
                outcome.result,
            )
            await self._notices.payment_recovered(await self._describe(payer_telegram_id, outcome))
        return ReconciliationReport(seen=seen, recovered=recovered)

    async def _recent_payments(self, since: datetime) -> list[tuple[StarTransaction, int]]:
        """Invoice payments dated `since` or later, with their payers, from as many pages as
        that takes.

        The Bot API says the list is chronological without saying which end comes first, so
        both are handled: reading stops at the end of the list, or at a page going back in
        time that has reached past `since` (everything after it is older still).
        """
        found: list[tuple[StarTransaction, int]] = []
        for number in range(MAX_PAGES):
            page = await self._ledger.page(offset=number * MAX_PAGE_SIZE, limit=MAX_PAGE_SIZE)
            found.extend(
                (transaction, transaction.payer_telegram_id)
                for transaction in page
                if transaction.payer_telegram_id is not None
                and transaction.invoice_payload is not None
                and transaction.date >= since
            )
            if len(page) < MAX_PAGE_SIZE:
                break
            newest_first = page[0].date > page[-1].date
            if newest_first and page[-1].date < since:
                break
        else:
            logger.error("the Stars ledger has more than %s pages: read the first ones", MAX_PAGES)
        return found

    async def _record(
        self, transaction: StarTransaction, payer_telegram_id: int
    ) -> PaymentOutcome:
        return await self._confirm(
            SuccessfulPayment(
                payer_telegram_id=payer_telegram_id,
                invoice_payload=transaction.invoice_payload or "",
                currency=STARS_CURRENCY,
                total_amount=transaction.amount,
                telegram_payment_charge_id=transaction.id,
            )
        )

    async def _describe(self, payer_telegram_id: int, outcome: PaymentOutcome) -> RecoveredPayment:
        payer = await self._users.get_by_telegram_id(payer_telegram_id)
        recipient = Recipient(
            telegram_id=payer_telegram_id,
            language=payer.language if payer else None,
            time_zone=payer.time_zone if payer else FALLBACK_TIME_ZONE,
        )
        booking = None
        appointment = (
            None
            if outcome.appointment_id is None
            else await self._appointments.get(outcome.appointment_id)
        )
        # Another person's appointment is not described to a payer who is not its owner.
        if appointment is not None and payer is not None and payer.id == appointment.owner_user_id:
            vet = await self._vets.get(appointment.vet_id)
            vet_user = await self._users.get(vet.user_id) if vet is not None else None
            pet = await self._pets.get(appointment.pet_id)
            booking = RecoveredBooking(
                appointment_id=appointment.id,
                starts_at=appointment.starts_at,
                vet_name=vet.display_name if vet is not None else "—",
                vet=None
                if vet is None or vet_user is None
                else Recipient(vet_user.telegram_id, vet_user.language, vet.time_zone),
                pet_name=pet.name if pet is not None else None,
                pet_species=pet.species if pet is not None else None,
                owner_name=payer.first_name,
                reason=appointment.reason,
            )
        return RecoveredPayment(payer=recipient, result=_RESULTS[outcome.result], booking=booking)
