"""dishka providers of reminders: the rows, keeping them in step with the card and with the
appointments, the buttons, and the sending job with its sender (one for both kinds)."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import AnyOf, Provider, Scope, provide

from bot.reminder_sender import BotReminderSender
from core.clock import Clock
from core.interactors.appointment_reminders import AppointmentReminders
from core.interactors.medication_reminders import MedicationDelivery
from core.interactors.member_reminders import PetMemberReminders
from core.interactors.reminder_delivery import DeliveryPolicy, SendDueReminders
from core.interactors.reminder_times import ReminderTimes
from core.interactors.reminders import (
    DueDateReminders,
    MarkReminderDone,
    SnoozeReminder,
    StopReminderItem,
)
from core.miniapp_links import MiniAppLinks
from core.ports.follow_ups import FollowUpSender
from core.ports.reminders import (
    AppointmentReminderRepository,
    AppointmentReminderSender,
    ReminderRepository,
    ReminderSender,
)
from core.ports.uow import UnitOfWork
from db.repositories.reminders import SqlReminderRepository


class RemindersProvider(Provider):
    scope = Scope.REQUEST

    reminders = provide(
        SqlReminderRepository, provides=AnyOf[ReminderRepository, AppointmentReminderRepository]
    )
    due_date_reminders = provide(DueDateReminders)
    appointment_reminders = provide(AppointmentReminders)
    member_reminders = provide(PetMemberReminders)
    reminder_times = provide(ReminderTimes)
    snooze = provide(SnoozeReminder)
    stop = provide(StopReminderItem)
    done = provide(MarkReminderDone)

    @provide
    def send_due(
        self,
        uow: UnitOfWork,
        reminders: ReminderRepository,
        sender: ReminderSender,
        appointment_sender: AppointmentReminderSender,
        clock: Clock,
        policy: DeliveryPolicy,
        medication: MedicationDelivery | None,
        follow_up_sender: FollowUpSender,  # bot/ioc_follow_ups.py
    ) -> SendDueReminders:
        return SendDueReminders(
            uow,
            reminders,
            sender,
            clock,
            policy,
            appointment_sender=appointment_sender,
            medication=medication,
            follow_up_sender=follow_up_sender,
        )

    @provide(scope=Scope.APP)
    def delivery_policy(self) -> DeliveryPolicy:
        return DeliveryPolicy()

    @provide(scope=Scope.APP)
    def bot_sender(
        self, bot: Bot, texts: FluentRuntimeCore, links: MiniAppLinks
    ) -> BotReminderSender:
        return BotReminderSender(bot, texts, links)

    @provide(scope=Scope.APP)
    def sender(self, sender: BotReminderSender) -> ReminderSender:
        return sender

    @provide(scope=Scope.APP)
    def appointment_sender(self, sender: BotReminderSender) -> AppointmentReminderSender:
        return sender
