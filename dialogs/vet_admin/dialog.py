"""/vets_pending (VetAdminSG): the submitted profiles, then one profile's card."""

from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Column, Row, Select
from aiogram_dialog.widgets.media import DynamicMedia

from dialogs.states import VetAdminSG
from dialogs.vet_admin.getters import (
    KEY_FOUND,
    KEY_HAS_VETS,
    KEY_NO_VETS,
    KEY_NOT_FOUND,
    KEY_PHOTO,
    KEY_PHOTO_APART,
    KEY_VETS,
    get_card,
    get_pending,
)
from dialogs.vet_admin.handlers import on_reject, on_show_photo, on_verify, on_vet_selected
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_PENDING = "vets_pending"
ID_CLOSE = "vets_close"
ID_BACK = "vets_back"
ID_VERIFY = "vet_verify"
ID_REJECT = "vet_reject"
ID_SHOW_PHOTO = "vet_show_photo"

list_window = Window(
    I18nFormat("msg-vet-pending-list", when=KEY_HAS_VETS),
    I18nFormat("msg-vet-pending-empty", when=KEY_NO_VETS),
    Column(
        Select(
            ButtonLabel("🩺 {item[0]}"),
            id=ID_PENDING,
            item_id_getter=itemgetter(1),
            items=KEY_VETS,
            on_click=on_vet_selected,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        ),
    ),
    Cancel(I18nFormat("btn-back"), id=ID_CLOSE),
    unexpected_input_hint(),
    getter=get_pending,
    state=VetAdminSG.LIST,
)

card_window = Window(
    DynamicMedia(KEY_PHOTO, when=KEY_PHOTO),
    I18nFormat("msg-vet-pending-card", when=KEY_FOUND),
    I18nFormat("err-vet-pending-not-found", when=KEY_NOT_FOUND),
    Button(
        I18nFormat("btn-vet-show-photo"),
        id=ID_SHOW_PHOTO,
        on_click=on_show_photo,
        when=KEY_PHOTO_APART,
    ),
    Row(
        Button(I18nFormat("btn-vet-verify"), id=ID_VERIFY, on_click=on_verify, when=KEY_FOUND),
        Button(I18nFormat("btn-vet-reject"), id=ID_REJECT, on_click=on_reject, when=KEY_FOUND),
    ),
    Back(I18nFormat("btn-back"), id=ID_BACK),
    unexpected_input_hint(),
    getter=get_card,
    state=VetAdminSG.CARD,
)


def build_vet_admin_dialog() -> Dialog:
    return Dialog(list_window, card_window)
