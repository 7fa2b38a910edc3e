"""The outbound path's pure parts: the GCRA pace, what counts as a message, which chat."""

from __future__ import annotations

import pytest
from aiogram.exceptions import TelegramForbiddenError
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendChatAction,
    SendMediaGroup,
    SendMessage,
)
from aiogram.types import InputMediaPhoto

from bot.outbound import (
    RecipientBlockedError,
    is_unreachable_error,
    message_cost,
    target_chat,
)
from bot.pacing import Gcra


def test_a_burst_goes_at_once_then_the_rate_spaces_the_rest() -> None:
    pace = Gcra(rate_per_s=1.0, burst=3)

    delays = [pace.reserve(7, now=100.0) for _ in range(5)]

    assert delays == [0.0, 0.0, 0.0, 1.0, 2.0]


def test_an_idle_chat_gets_its_burst_back() -> None:
    pace = Gcra(rate_per_s=2.0, burst=2)
    for _ in range(4):
        pace.reserve(7, now=0.0)

    assert pace.reserve(7, now=10.0) == 0.0
    assert pace.reserve(7, now=10.0) == 0.0
    assert pace.reserve(7, now=10.0) == pytest.approx(0.5)


def test_chats_are_paced_apart() -> None:
    pace = Gcra(rate_per_s=1.0, burst=1)

    assert pace.reserve(1, now=0.0) == 0.0
    assert pace.reserve(2, now=0.0) == 0.0
    assert pace.reserve(1, now=0.0) == 1.0


def test_an_album_costs_one_slot_per_item() -> None:
    pace = Gcra(rate_per_s=1.0, burst=1)

    assert pace.reserve(1, now=0.0, cost=3) == 0.0
    assert pace.reserve(1, now=0.0) == 3.0


@pytest.mark.parametrize(
    ("method", "cost"),
    [
        (SendMessage(chat_id=1, text="hi"), 1),
        (
            SendMediaGroup(
                chat_id=1, media=[InputMediaPhoto(media="a"), InputMediaPhoto(media="b")]
            ),
            2,
        ),
        (SendChatAction(chat_id=1, action="typing"), 0),
        (EditMessageText(chat_id=1, message_id=2, text="hi"), 0),
        (AnswerCallbackQuery(callback_query_id="q"), 0),
    ],
    ids=["message", "album", "chat-action", "edit", "callback-answer"],
)
def test_what_counts_as_a_message(method: object, cost: int) -> None:
    assert message_cost(method) == cost  # type: ignore[arg-type]


def test_only_private_chats_by_number_are_targets() -> None:
    assert target_chat(SendMessage(chat_id=42, text="x")) == 42
    assert target_chat(SendMessage(chat_id=-100123, text="x")) is None  # a group
    assert target_chat(SendMessage(chat_id="@channel", text="x")) is None
    assert target_chat(AnswerCallbackQuery(callback_query_id="q")) is None


@pytest.mark.parametrize(
    ("text", "unreachable"),
    [
        ("Forbidden: bot was blocked by the user", True),
        ("Forbidden: user is deactivated", True),
        ("Forbidden: bot can't initiate conversation with a user", False),
        ("Forbidden: bot was kicked from the group chat", False),
    ],
)
def test_which_403s_mean_the_user_is_gone(text: str, unreachable: bool) -> None:
    error = TelegramForbiddenError(method=SendMessage(chat_id=1, text="x"), message=text)

    assert is_unreachable_error(error) is unreachable


def test_a_refusal_here_reads_like_telegrams_own() -> None:
    method = SendMessage(chat_id=1, text="x")
    refusal = RecipientBlockedError(
        method=method, message="Forbidden: bot was blocked by the user"
    )

    assert isinstance(refusal, TelegramForbiddenError)
    assert is_unreachable_error(refusal)
