"""dishka providers of reminders: the rows, keeping them in step with the card, the buttons,
and the sending job with its sender."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.reminder_sender import BotReminderSender
from core.interactors.reminder_delivery import DeliveryPolicy, SendDueReminders
from core.interactors.reminders import (
    DueDateReminders,
    MarkReminderDone,
    SnoozeReminder,
    StopReminderItem,
)
from core.ports.reminders import ReminderRepository, ReminderSender
from db.repositories.reminders import SqlReminderRepository


class RemindersProvider(Provider):
    scope = Scope.REQUEST

    reminders = provide(SqlReminderRepository, provides=ReminderRepository)
    due_date_reminders = provide(DueDateReminders)
    snooze = provide(SnoozeReminder)
    stop = provide(StopReminderItem)
    done = provide(MarkReminderDone)
    send_due = provide(SendDueReminders)

    @provide(scope=Scope.APP)
    def delivery_policy(self) -> DeliveryPolicy:
        return DeliveryPolicy()

    @provide(scope=Scope.APP)
    def sender(self, bot: Bot, texts: FluentRuntimeCore) -> ReminderSender:
        return BotReminderSender(bot, texts)
