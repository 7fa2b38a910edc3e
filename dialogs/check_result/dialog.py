from __future__ import annotations

from aiogram import F
from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Button, Cancel
from aiogram_dialog.widgets.text import Multi

from dialogs.check_result.getters import get_result
from dialogs.check_result.handlers import (
    on_book,
    on_city,
    on_location,
    on_main_menu,
    on_pet_card,
)
from dialogs.states import CheckResultSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat

ID_BOOK = "result_book"
ID_MAIN_MENU = "result_main_menu"
ID_PET_CARD = "result_pet_card"
ID_BACK = "result_back"

result_window = Window(
    Multi(
        I18nFormat("msg-result-date", when="from_card"),
        I18nFormat("msg-result-high", when="is_high"),
        I18nFormat("msg-result-medium", when="is_medium"),
        I18nFormat("msg-result-low", when="is_low"),
        I18nFormat("msg-result-reasons", when="has_reasons"),
        I18nFormat("msg-result-todo-high", when="is_high"),
        I18nFormat("msg-result-toxin", when="has_toxin"),
        I18nFormat("msg-result-todo-medium", when="is_medium"),
        I18nFormat("msg-result-todo-low", when="is_low"),
        I18nFormat("msg-result-advice", when="has_advice"),
        I18nFormat("msg-result-vet-soon-if", when="has_vet_soon_if"),
        I18nFormat("msg-result-urgent-if", when="has_urgent_if"),
        I18nFormat("msg-result-escalate", when=F["is_medium"] & F["no_urgent_if"]),
        I18nFormat("msg-result-escalate-low", when=F["is_low"] & F["no_urgent_if"]),
        I18nFormat("msg-result-analysis-pending", when="analysis_pending"),
        I18nFormat("msg-result-analysis-not-configured", when="analysis_not_configured"),
        I18nFormat("msg-result-analysis-failed", when="analysis_failed"),
        I18nFormat("msg-result-analysis-done", when="analysis_done"),
        I18nFormat("msg-result-photo-unusable", when="photo_unusable"),
        I18nFormat("msg-result-model-unsure", when="model_unsure"),
        I18nFormat("msg-result-noted-for-vet", when="noted_for_vet"),
        I18nFormat("msg-result-share-location", when="is_high"),
        I18nFormat("msg-result-disclaimer"),
        sep="\n\n",
    ),
    # 🔴 sends the owner to a clinic now: booking comes after, never as the first action.
    Button(I18nFormat("btn-result-book"), id=ID_BOOK, on_click=on_book, when="book_now"),
    Button(I18nFormat("btn-result-pet-card"), id=ID_PET_CARD, on_click=on_pet_card),
    Button(
        I18nFormat("btn-result-book-after-clinic"),
        id=f"{ID_BOOK}_after",
        on_click=on_book,
        when="book_after_clinic",
    ),
    Button(
        I18nFormat("btn-result-book-routine"),
        id=f"{ID_BOOK}_routine",
        on_click=on_book,
        when="book_routine",
    ),
    Cancel(I18nFormat("btn-back"), id=ID_BACK, when="from_card"),
    Button(
        I18nFormat("btn-main-menu"), id=ID_MAIN_MENU, on_click=on_main_menu, when="not_from_card"
    ),
    MessageInput(on_location, content_types=ContentType.LOCATION),
    MessageInput(on_city, content_types=ContentType.TEXT, filter=F.text & ~F.text.startswith("/")),
    unexpected_input_hint(),
    getter=get_result,
    state=CheckResultSG.MAIN,
)


def build_check_result_dialog() -> Dialog:
    return Dialog(result_window)
