"""dishka providers of medication dose reminders: the rows, the job's part, "Given ✓", and
the chat sender behind core's MedicationSender."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.medication_sender import BotMedicationSender
from core.interactors.medication_reminders import (
    MarkDoseGiven,
    MedicationDelivery,
    MedicationReminders,
)
from core.ports.medication import DoseRepository, MedicationSender
from db.repositories.medication_reminders import SqlDoseRepository


class MedicationProvider(Provider):
    scope = Scope.REQUEST

    doses = provide(SqlDoseRepository, provides=DoseRepository)
    medication_reminders = provide(MedicationReminders)
    delivery = provide(MedicationDelivery)
    given = provide(MarkDoseGiven)

    @provide
    def card_medication(self, reminders: MedicationReminders) -> MedicationReminders | None:
        # The card's AddRecord/DeleteRecord take it optionally (None: no dose reminders).
        return reminders

    @provide
    def job_medication(self, delivery: MedicationDelivery) -> MedicationDelivery | None:
        return delivery

    @provide(scope=Scope.APP)
    def sender(self, bot: Bot, texts: FluentRuntimeCore) -> MedicationSender:
        return BotMedicationSender(bot, texts)
