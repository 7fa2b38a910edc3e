"""Jobs on a clock: expiring holds, vet no-shows, refund retries, publishing slots ahead, the
consultations' video rooms, and sending due reminders.

Run by `telemed-pet scheduler` (exactly one in production) and inside the single-process modes
(`sandbox`, `run`). Each job is idempotent, so a restart or an overlap costs nothing.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram_i18n import I18nContext, I18nMiddleware
from dishka import AsyncContainer

from core.interactors.booking import ExpireHolds, HandleVetNoShow, RetryRefunds
from core.interactors.booking_jobs import PublishAllVetSlots
from core.interactors.check_requeue import RequeueStuckChecks
from core.interactors.consultation_lifecycle import CloseEndedRooms, OpenDueRooms
from core.interactors.payment_reconciliation import ReconcileStarPayments
from core.interactors.pending_uploads import ExpirePendingUploads
from core.interactors.reminder_delivery import DeliveryPolicy, DeliveryReport, SendDueReminders
from core.locales import DEFAULT_LOCALE

logger = logging.getLogger(__name__)

Job = Callable[[AsyncContainer, Bot, I18nContext], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class PeriodicJob:
    name: str
    every_s: float
    run: Job


async def expire_holds(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    async with container() as request:
        await (await request.get(ExpireHolds))()


async def retry_refunds(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    async with container() as request:
        await (await request.get(RetryRefunds))()


async def reconcile_payments(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    """Stars payments whose `successful_payment` was never processed (long polling does not
    deliver a failed update again) are found in Telegram's ledger and recorded; the payer
    hears of it through the RecoveredPaymentNotices port."""
    async with container() as request:
        report = await (await request.get(ReconcileStarPayments))()
    if report.recovered:
        logger.warning("recorded %d Stars payments found only in the ledger", report.recovered)


async def publish_slots(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    async with container() as request:
        await (await request.get(PublishAllVetSlots))()


async def vet_no_shows(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    """A vet not in the call `grace` minutes after the start: refund, and tell the owner (the
    interactor does, through the BookingNotices port)."""
    async with container() as request:
        await (await request.get(HandleVetNoShow))()


async def consultation_rooms(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    """Rooms are made (and both sides get Join) as call windows open; rooms whose window is
    over are closed, with the call's duration. The messages go out through the
    ConsultationNotices port (bot/consultation_notices.py), not from here."""
    async with container() as request:
        await (await request.get(CloseEndedRooms))()
    async with container() as request:
        await (await request.get(OpenDueRooms))()


async def expire_uploads(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    """Files sent in forms that were never saved, past their time to live, leave the storage."""
    async with container() as request:
        removed = await (await request.get(ExpirePendingUploads))()
    if removed:
        logger.info("removed %d expired pending uploads", removed)


async def requeue_stuck_checks(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    """Symptom checks whose analysis task was lost (a Redis restart) are queued again."""
    async with container() as request:
        await (await request.get(RequeueStuckChecks))()


async def send_due_reminders(container: AsyncContainer) -> DeliveryReport:
    """One round of the reminders: `DeliveryPolicy.senders` runs at once, each in a request
    scope (a connection) of its own, claiming rows apart as two schedulers would — so messages
    go out as fast as the outbound pacing allows, not one round trip at a time. A run that
    fails leaves the others to finish; its claimed rows go out after their lease."""
    policy = await container.get(DeliveryPolicy)

    async def one_run() -> DeliveryReport:
        async with container() as request:
            return await (await request.get(SendDueReminders))()

    outcomes = await asyncio.gather(
        *(one_run() for _ in range(policy.senders)), return_exceptions=True
    )
    total = DeliveryReport()
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
        total.add(outcome)
    return total


async def send_reminders(container: AsyncContainer, bot: Bot, i18n: I18nContext) -> None:
    """Due reminders are claimed and sent once each, through the ReminderSender port; a
    second scheduler or a restart sends nothing twice (core/interactors/reminder_delivery.py)."""
    report = await send_due_reminders(container)
    if report.sent or report.skipped or report.failed:
        logger.info(
            "reminders: %d sent, %s skipped, %d failed, %d handed back",
            report.sent,
            {str(reason): count for reason, count in report.skipped.items()},
            report.failed,
            report.handed_back,
        )


DEFAULT_JOBS: tuple[PeriodicJob, ...] = (
    # Every 15 s: a reminder comes within seconds of its time; an idle round is one indexed
    # query on the pending rows.
    PeriodicJob("send-reminders", 15, send_reminders),
    # Every 30 s: the Join message comes within half a minute of the window opening.
    PeriodicJob("consultation-rooms", 30, consultation_rooms),
    PeriodicJob("expire-holds", 60, expire_holds),
    PeriodicJob("vet-no-shows", 60, vet_no_shows),
    PeriodicJob("retry-refunds", 300, retry_refunds),
    # Every minute; a check is queued again only once its own wait (QUEUE__REQUEUE_AFTER_S)
    # is over, so a short period costs a query, not duplicate tasks.
    PeriodicJob("requeue-stuck-checks", 60, requeue_stuck_checks),
    # Every 5 min, and at once on start (each job's first round): a payment missed while the
    # database was down is recorded within minutes of it coming back.
    PeriodicJob("reconcile-payments", 300, reconcile_payments),
    PeriodicJob("expire-uploads", 600, expire_uploads),
    PeriodicJob("publish-slots", 3600, publish_slots),
)


def translator(dp: Dispatcher) -> I18nContext:
    """An i18n context outside any update (messages pick their locale per recipient)."""
    middleware: I18nMiddleware = dp["i18n_middleware"]
    return middleware.new_context(locale=DEFAULT_LOCALE, data={})


async def run_job_forever(
    job: PeriodicJob, container: AsyncContainer, bot: Bot, i18n: I18nContext
) -> None:
    while True:
        try:
            await job.run(container, bot, i18n)
        except Exception:
            # One failed round is logged; the next round tries again.
            logger.exception("periodic job %s failed", job.name)
        await asyncio.sleep(job.every_s)


def start_periodic_jobs(
    container: AsyncContainer,
    bot: Bot,
    dp: Dispatcher,
    jobs: tuple[PeriodicJob, ...] = DEFAULT_JOBS,
) -> list[asyncio.Task[None]]:
    """Start every job as a task of this loop; cancel the tasks to stop them."""
    i18n = translator(dp)
    return [
        asyncio.create_task(run_job_forever(job, container, bot, i18n), name=job.name)
        for job in jobs
    ]


def attach_periodic_jobs(
    dp: Dispatcher,
    container: AsyncContainer,
    bot: Bot,
    jobs: tuple[PeriodicJob, ...] = DEFAULT_JOBS,
) -> None:
    """Run the jobs between the dispatcher's startup and shutdown.

    On startup, so the locales the owners' messages use are loaded first (aiogram-i18n loads
    them in an earlier startup handler).
    """
    tasks: list[asyncio.Task[None]] = []

    async def on_startup() -> None:
        tasks.extend(start_periodic_jobs(container, bot, dp, jobs))

    async def on_shutdown() -> None:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        tasks.clear()

    dp.startup.register(on_startup)
    dp.shutdown.register(on_shutdown)


async def run_jobs_once(
    dp: Dispatcher,
    container: AsyncContainer,
    bot: Bot,
    jobs: tuple[PeriodicJob, ...] = DEFAULT_JOBS,
) -> list[str]:
    """Every job once, in order, now (the sandbox's clock control: what fell due when the clock
    moved is sent before the caller looks); a failed job is logged and the next one runs."""
    i18n = translator(dp)
    for job in jobs:
        try:
            await job.run(container, bot, i18n)
        except Exception:
            logger.exception("periodic job %s failed", job.name)
    return [job.name for job in jobs]
