"""One answer per callback query reaches Telegram.

Telegram refuses a second answerCallbackQuery for a query with 400 "query is too old and
response timeout expired or query ID is invalid"; aiogram-dialog answers every callback once
its handler is done, also one a handler answered with a notice (bot/outbound.py).
"""

from __future__ import annotations

from typing import Any

from aiogram import Bot
from aiogram.methods import AnswerCallbackQuery, Response, TelegramMethod

from bot.outbound import ANSWERED_QUERIES_KEPT, OutboundMiddleware
from core.config import OutboundSection


class Telegram:
    def __init__(self) -> None:
        self.sent: list[TelegramMethod[Any]] = []

    async def __call__(self, bot: Bot, method: TelegramMethod[Any]) -> Response[Any]:
        self.sent.append(method)
        return Response[Any](ok=True, result=True)


BOT = Bot("123456:TEST-token")


async def test_a_second_answer_to_one_query_is_not_sent_and_reads_as_done() -> None:
    outbound, telegram = OutboundMiddleware(OutboundSection()), Telegram()
    notice = AnswerCallbackQuery(callback_query_id="q1", text="Language changed")
    repeat = AnswerCallbackQuery(callback_query_id="q1")

    first = await outbound(telegram, BOT, notice)
    second = await outbound(telegram, BOT, repeat)

    assert telegram.sent == [notice]  # the notice, which the user sees
    assert first.ok and second.ok and second.result is True


async def test_answers_to_other_queries_all_go_out() -> None:
    outbound, telegram = OutboundMiddleware(OutboundSection()), Telegram()
    answers = [AnswerCallbackQuery(callback_query_id=f"q{n}") for n in range(3)]

    for answer in answers:
        await outbound(telegram, BOT, answer)

    assert telegram.sent == answers


async def test_only_recent_queries_are_remembered() -> None:
    outbound, telegram = OutboundMiddleware(OutboundSection()), Telegram()
    for n in range(ANSWERED_QUERIES_KEPT + 1):
        await outbound(telegram, BOT, AnswerCallbackQuery(callback_query_id=f"q{n}"))

    # The oldest id is forgotten (a query that old expired long ago); the newest is not.
    await outbound(telegram, BOT, AnswerCallbackQuery(callback_query_id="q0"))
    await outbound(
        telegram, BOT, AnswerCallbackQuery(callback_query_id=f"q{ANSWERED_QUERIES_KEPT}")
    )

    assert len(telegram.sent) == ANSWERED_QUERIES_KEPT + 2
