"""dishka providers of triage follow-ups: the rows (made with a check's result), the buttons
under the question, and its sender (bound for the sending job, bot/ioc_reminders.py)."""

from __future__ import annotations

from aiogram import Bot
from aiogram_i18n.cores import FluentRuntimeCore
from dishka import Provider, Scope, provide

from bot.follow_up_sender import BotFollowUpSender
from core.interactors.follow_ups import AnswerFollowUp, CheckFollowUps
from core.ports.follow_ups import FollowUpRepository, FollowUpSender
from db.repositories.follow_ups import SqlFollowUpRepository


class FollowUpsProvider(Provider):
    scope = Scope.REQUEST

    follow_up_rows = provide(SqlFollowUpRepository, provides=FollowUpRepository)
    check_follow_ups = provide(CheckFollowUps)
    answer = provide(AnswerFollowUp)

    @provide(scope=Scope.APP)
    def follow_up_sender(self, bot: Bot, texts: FluentRuntimeCore) -> FollowUpSender:
        return BotFollowUpSender(bot, texts)
