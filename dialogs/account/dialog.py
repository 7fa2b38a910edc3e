"""/delete_me (AccountSG): asks twice — what will go, then a last confirmation."""

from __future__ import annotations

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, SwitchTo

from dialogs.account.getters import KEY_DELETED, KEY_HANDED_OVER, KEY_KEPT, get_deletion_plan
from dialogs.account.handlers import on_delete_confirmed, on_keep_account
from dialogs.states import AccountSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import I18nFormat

ID_DELETE_CONTINUE = "delete_continue"
ID_KEEP_ON_WARNING = "keep_on_warning"
ID_DELETE_CONFIRM = "delete_account_confirm"
ID_KEEP_ON_CONFIRM = "keep_on_confirm"

warning_window = Window(
    I18nFormat("msg-delete-warning"),
    I18nFormat("lbl-delete-pets-deleted", when=KEY_DELETED),
    I18nFormat("lbl-delete-pets-handed-over", when=KEY_HANDED_OVER),
    I18nFormat("lbl-delete-pets-kept", when=KEY_KEPT),
    I18nFormat("lbl-delete-export-first"),
    SwitchTo(
        I18nFormat("btn-delete-continue"), id=ID_DELETE_CONTINUE, state=AccountSG.DELETE_CONFIRM
    ),
    Button(I18nFormat("btn-delete-cancel"), id=ID_KEEP_ON_WARNING, on_click=on_keep_account),
    unexpected_input_hint(),
    getter=get_deletion_plan,
    state=AccountSG.DELETE_WARNING,
)

confirm_window = Window(
    I18nFormat("msg-delete-confirm"),
    Button(I18nFormat("btn-delete-confirm"), id=ID_DELETE_CONFIRM, on_click=on_delete_confirmed),
    Button(I18nFormat("btn-delete-cancel"), id=ID_KEEP_ON_CONFIRM, on_click=on_keep_account),
    unexpected_input_hint(),
    state=AccountSG.DELETE_CONFIRM,
)


def build_account_dialog() -> Dialog:
    return Dialog(warning_window, confirm_window)
