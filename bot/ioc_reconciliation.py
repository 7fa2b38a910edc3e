"""dishka providers of Stars reconciliation: the ledger, the late-payment notices, the round."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.payment_notices import BotRecoveredPaymentNotices
from bot.star_ledger import TelegramStarLedger
from core.interactors.payment_reconciliation import ReconcileStarPayments
from core.ports.payment_notices import RecoveredPaymentNotices
from core.ports.star_ledger import StarLedger


class ReconciliationProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def ledger(self, bot: Bot) -> StarLedger:
        return TelegramStarLedger(bot)

    @provide(scope=Scope.APP)
    def notices(self, bot: Bot, texts: FluentRuntimeCore) -> RecoveredPaymentNotices:
        return BotRecoveredPaymentNotices(bot, texts)

    reconcile = provide(ReconcileStarPayments)
