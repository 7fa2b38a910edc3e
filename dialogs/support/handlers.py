"""Typed question and typed answer: each calls one interactor, says how it went, and closes."""

from __future__ import annotations

from aiogram.types import Message
from aiogram_dialog import DialogManager
from aiogram_dialog.widgets.input import MessageInput
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.support import AnswerSupport, AskSupport
from core.support_errors import (
    EmptySupportTextError,
    NotSupportStaffError,
    SupportTextTooLongError,
    SupportTicketNotFoundError,
)
from dialogs.support.getters import KEY_TICKET
from dialogs.widgets.i18n import i18n_from


def too_long_hint(manager: DialogManager, error: SupportTextTooLongError) -> str:
    return i18n_from(manager).get("err-support-too-long", limit=error.limit)


@inject
async def on_question(
    message: Message,
    _: MessageInput,
    manager: DialogManager,
    ask_support: FromDishka[AskSupport],
) -> None:
    i18n = i18n_from(manager)
    try:
        asked = await ask_support(message.from_user.id, message.text)  # type: ignore[union-attr]
    except EmptySupportTextError:
        await message.answer(i18n.get("err-support-empty"))
        return
    except SupportTextTooLongError as error:
        # The window stays: they shorten the text they still have in their chat.
        await message.answer(too_long_hint(manager, error))
        return
    await message.answer(i18n.get("msg-support-received", ticket=asked.ticket_id))
    await manager.done()


@inject
async def on_answer(
    message: Message,
    _: MessageInput,
    manager: DialogManager,
    answer_support: FromDishka[AnswerSupport],
) -> None:
    i18n = i18n_from(manager)
    start_data = manager.start_data
    ticket_id = start_data.get(KEY_TICKET) if isinstance(start_data, dict) else None
    if not isinstance(ticket_id, int):
        await message.answer(i18n.get("err-support-ticket-not-found"))
        await manager.done()
        return
    try:
        answered = await answer_support(
            message.from_user.id,  # type: ignore[union-attr]
            message.chat.id,
            ticket_id,
            message.text,
        )
    except EmptySupportTextError:
        await message.answer(i18n.get("err-support-empty"))
        return
    except SupportTextTooLongError as error:
        await message.answer(too_long_hint(manager, error))
        return
    except SupportTicketNotFoundError:
        await message.answer(i18n.get("err-support-ticket-not-found"))
        await manager.done()
        return
    except NotSupportStaffError:
        await message.answer(i18n.get("err-support-staff-only"))
        await manager.done()
        return
    key = "msg-support-answer-sent" if answered.delivered else "msg-support-answer-undelivered"
    await message.answer(i18n.get(key, ticket=answered.ticket_id))
    await manager.done()
