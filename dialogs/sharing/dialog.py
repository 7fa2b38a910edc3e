"""Sharing (SharingSG): who can see the pet, invite links, revoking access, leaving."""

from __future__ import annotations

from operator import itemgetter

from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.kbd import Button, Cancel, ScrollingGroup, Select, SwitchTo

from dialogs.sharing.getters import (
    KEY_CAN_INVITE_CO_OWNER,
    KEY_CAN_INVITE_VIEWER,
    KEY_CAN_LEAVE,
    KEY_CAN_REVOKE,
    KEY_FOUND,
    KEY_MEMBER_CHOSEN,
    KEY_MEMBER_MISSING,
    KEY_NOT_FOUND,
    KEY_REVOCABLE,
    get_sharing,
)
from dialogs.sharing.handlers import (
    ID_INVITE_CO_OWNER,
    ID_INVITE_VIEWER,
    on_invite,
    on_leave_confirmed,
    on_member_selected,
    on_revoke_confirmed,
)
from dialogs.states import SharingSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_OPEN_REVOKE = "open_revoke"
ID_OPEN_LEAVE = "open_leave"
ID_SHARING_BACK = "sharing_back"
ID_MEMBERS = "members"
ID_MEMBERS_SCROLL = "members_scroll"
ID_REVOKE_BACK = "revoke_back"
ID_REVOKE_CONFIRM = "revoke_confirm"
ID_REVOKE_CONFIRM_BACK = "revoke_confirm_back"
ID_LEAVE_CONFIRM = "leave_confirm"
ID_LEAVE_BACK = "leave_back"

PAGE_HEIGHT = 8

main_window = Window(
    I18nFormat("msg-sharing-main", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Button(
        I18nFormat("btn-sharing-invite-co-owner"),
        id=ID_INVITE_CO_OWNER,
        on_click=on_invite,
        when=KEY_CAN_INVITE_CO_OWNER,
    ),
    Button(
        I18nFormat("btn-sharing-invite-viewer"),
        id=ID_INVITE_VIEWER,
        on_click=on_invite,
        when=KEY_CAN_INVITE_VIEWER,
    ),
    SwitchTo(
        I18nFormat("btn-sharing-revoke"),
        id=ID_OPEN_REVOKE,
        state=SharingSG.REVOKE,
        when=KEY_CAN_REVOKE,
    ),
    SwitchTo(
        I18nFormat("btn-sharing-leave"),
        id=ID_OPEN_LEAVE,
        state=SharingSG.LEAVE,
        when=KEY_CAN_LEAVE,
    ),
    # Back to the pet's card, which started this dialog.
    Cancel(I18nFormat("btn-back"), id=ID_SHARING_BACK),
    unexpected_input_hint(),
    getter=get_sharing,
    state=SharingSG.MAIN,
)

revoke_window = Window(
    I18nFormat("msg-sharing-revoke-choose", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    ScrollingGroup(
        Select(
            # Labels are built by the getter from Fluent; buttons take raw text, not HTML.
            ButtonLabel("{item[0]}"),
            id=ID_MEMBERS,
            item_id_getter=itemgetter(1),
            items=KEY_REVOCABLE,
            on_click=on_member_selected,
        ),
        id=ID_MEMBERS_SCROLL,
        width=1,
        height=PAGE_HEIGHT,
        hide_on_single_page=True,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_REVOKE_BACK, state=SharingSG.MAIN),
    unexpected_input_hint(),
    getter=get_sharing,
    state=SharingSG.REVOKE,
)

revoke_confirm_window = Window(
    I18nFormat("msg-sharing-revoke-ask", when=KEY_MEMBER_CHOSEN),
    # Revoked meanwhile (another window, a co-owner): back to choosing.
    I18nFormat("msg-sharing-revoke-choose", when=KEY_MEMBER_MISSING),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Button(
        I18nFormat("btn-sharing-revoke-confirm"),
        id=ID_REVOKE_CONFIRM,
        on_click=on_revoke_confirmed,
        when=KEY_MEMBER_CHOSEN,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_REVOKE_CONFIRM_BACK, state=SharingSG.REVOKE),
    unexpected_input_hint(),
    getter=get_sharing,
    state=SharingSG.REVOKE_CONFIRM,
)

leave_window = Window(
    I18nFormat("msg-sharing-leave-ask", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Button(
        I18nFormat("btn-sharing-leave-confirm"),
        id=ID_LEAVE_CONFIRM,
        on_click=on_leave_confirmed,
        when=KEY_CAN_LEAVE,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_LEAVE_BACK, state=SharingSG.MAIN),
    unexpected_input_hint(),
    getter=get_sharing,
    state=SharingSG.LEAVE,
)


def build_sharing_dialog() -> Dialog:
    return Dialog(main_window, revoke_window, revoke_confirm_window, leave_window)
