"""dishka providers of /paysupport: tickets, where questions go, and the chat notices."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.support_notices import BotSupportNotices
from core.config import Settings
from core.interactors.support import AnswerSupport, AskSupport, CheckSupportStaff, SupportChat
from core.ports.support import SupportNotices, SupportTicketRepository
from db.repositories.support import SqlSupportTicketRepository


class SupportProvider(Provider):
    scope = Scope.REQUEST

    @provide(scope=Scope.APP)
    def support_chat(self, settings: Settings) -> SupportChat:
        return SupportChat(chat_id=settings.support_chat_id)

    @provide(scope=Scope.APP)
    def notices(self, bot: Bot, texts: FluentRuntimeCore) -> SupportNotices:
        return BotSupportNotices(bot, texts)

    tickets = provide(SqlSupportTicketRepository, provides=SupportTicketRepository)

    ask = provide(AskSupport)
    answer = provide(AnswerSupport)
    check_staff = provide(CheckSupportStaff)
