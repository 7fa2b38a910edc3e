"""/paysupport (SupportSG): the owner's question window and the admin's answer window."""

from __future__ import annotations

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Cancel

from dialogs.states import SupportSG
from dialogs.support.getters import get_answer, get_question
from dialogs.support.handlers import on_answer, on_question
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat

ID_CLOSE = "support_close"

question_window = Window(
    I18nFormat("msg-payment-support"),
    I18nFormat("msg-support-ask"),
    MessageInput(on_question, content_types=ContentType.TEXT),
    Cancel(I18nFormat("btn-support-cancel"), id=ID_CLOSE),
    # A photo or a sticker is not a question we can forward: say so, keep the window.
    unexpected_input_hint("err-support-text-only"),
    getter=get_question,
    state=SupportSG.QUESTION,
)

answer_window = Window(
    I18nFormat("msg-support-write-answer"),
    MessageInput(on_answer, content_types=ContentType.TEXT),
    Cancel(I18nFormat("btn-support-cancel"), id=ID_CLOSE),
    unexpected_input_hint("err-support-text-only"),
    getter=get_answer,
    state=SupportSG.ANSWER,
)


def build_support_dialog() -> Dialog:
    return Dialog(question_window, answer_window)
