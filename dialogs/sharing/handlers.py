"""Handlers of the sharing dialog: call one interactor, tell the user, navigate."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Final, TypeVar
from urllib.parse import quote, urlencode

from aiogram import Bot
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup
from aiogram_dialog import DialogManager, ShowMode, StartMode
from aiogram_dialog.widgets.kbd import Button, Select
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.entities import Pet
from core.enums import AccessLevel
from core.interactors.sharing import CreateInvite, IssuedInvite, LeavePet, RevokeAccess, Revoked
from core.markup import plain_text
from core.pets_errors import PetAccessDeniedError, PetArchivedError, PetNotFoundError
from dialogs.sharing.getters import KEY_MEMBER_ID, display_name
from dialogs.states import PetsSG, SharingSG
from dialogs.widgets.events import notify, say, telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.pet_context import pet_id_of

ID_INVITE_CO_OWNER = "invite_co_owner"
ID_INVITE_VIEWER = "invite_viewer"
INVITE_LEVELS = {ID_INVITE_CO_OWNER: AccessLevel.CO_OWNER, ID_INVITE_VIEWER: AccessLevel.VIEWER}
SHARE_URL: Final = "https://t.me/share/url"

T = TypeVar("T")


async def _guarded(manager: DialogManager, call: Callable[[int, int], Awaitable[T]]) -> T | None:
    """Run an interactor on the dialog's pet; refusals become a short localized alert."""
    pet_id = pet_id_of(manager)
    try:
        if pet_id is None:
            raise PetNotFoundError(0)
        return await call(telegram_id_of(manager), pet_id)
    except PetNotFoundError:
        await notify(manager, "err-pet-not-found")
        # The pet vanished or access went: the pets list, not a card that cannot load.
        await manager.start(PetsSG.LIST, mode=StartMode.RESET_STACK)
    except PetAccessDeniedError:
        await notify(manager, "err-pet-not-allowed")
    except PetArchivedError:
        await notify(manager, "err-pet-archived")
    return None


@inject
async def on_invite(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    create_invite: FromDishka[CreateInvite],
) -> None:
    level = INVITE_LEVELS[button.widget_id or ""]

    async def issue(telegram_id: int, pet_id: int) -> IssuedInvite:
        return await create_invite(telegram_id, pet_id, level)

    issued = await _guarded(manager, issue)
    if issued is None:
        return
    bot: Bot = manager.middleware_data["bot"]
    me = await bot.me()
    link = f"https://t.me/{me.username}?start={issued.start_payload}"
    i18n = i18n_from(manager)
    text = i18n.get(
        "msg-sharing-invite-link",
        level=issued.level.value,
        name=issued.pet.name,
        hours=issued.valid_hours,
        link=link,
    )
    # A message of its own, so the owner can forward it to the person as it is, with a Share
    # button so the link need not be copied by hand.
    await bot.send_message(
        callback.from_user.id,
        text,
        reply_markup=share_keyboard(
            i18n.get("btn-sharing-share"),
            link,
            i18n.get("lbl-sharing-share-text", level=issued.level.value, name=issued.pet.name),
        ),
    )
    manager.show_mode = ShowMode.SEND


def share_url(link: str, text: str) -> str:
    """Telegram's share link: the person picks a chat, the link and text go there.

    https://core.telegram.org/api/links#share-links; the text is what a reader sees (the
    locale's HTML escaping undone), both parameters percent-encoded.
    """
    query = urlencode({"url": link, "text": plain_text(text)}, quote_via=quote)
    return f"{SHARE_URL}?{query}"


def share_keyboard(label: str, link: str, text: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        inline_keyboard=[[InlineKeyboardButton(text=label, url=share_url(link, text))]]
    )


async def on_member_selected(
    callback: CallbackQuery, widget: Select[str], manager: DialogManager, item_id: str
) -> None:
    if not item_id.isdigit():
        await notify(manager, "err-use-buttons")
        return
    manager.dialog_data[KEY_MEMBER_ID] = int(item_id)
    await manager.switch_to(SharingSG.REVOKE_CONFIRM)


@inject
async def on_revoke_confirmed(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    revoke_access: FromDishka[RevokeAccess],
) -> None:
    member_id = manager.dialog_data.pop(KEY_MEMBER_ID, None)
    if not isinstance(member_id, int):
        await manager.switch_to(SharingSG.MAIN)
        return

    async def revoke(telegram_id: int, pet_id: int) -> Revoked:
        return await revoke_access(telegram_id, pet_id, member_id)

    revoked = await _guarded(manager, revoke)
    if revoked is None:
        return
    if revoked.was_member:
        await say(
            manager,
            "msg-sharing-revoked",
            member=display_name(
                revoked.first_name,
                revoked.username,
                i18n_from(manager).get("lbl-sharing-member-unnamed"),
            ),
            name=revoked.pet.name,
        )
    await manager.switch_to(SharingSG.MAIN)


@inject
async def on_leave_confirmed(
    callback: CallbackQuery,
    button: Button,
    manager: DialogManager,
    leave_pet: FromDishka[LeavePet],
) -> None:
    async def leave(telegram_id: int, pet_id: int) -> list[Pet]:
        left = await leave_pet(telegram_id, pet_id)
        return [left] if left is not None else []

    result = await _guarded(manager, leave)
    if result is None:
        return  # refused (an owner cannot leave): told already
    for pet in result:
        await say(manager, "msg-sharing-left", name=pet.name)
    # Left now or before: either way this pet's windows cannot load any more.
    await manager.start(PetsSG.LIST, mode=StartMode.RESET_STACK)
