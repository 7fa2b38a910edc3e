"""Getters of the sharing dialog: reload the pet's members through the interactor, never write."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.sharing import ListPetMembers, PetMembers
from core.markup import Markup
from core.pets_errors import PetNotFoundError
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.labels import ACCESS_LABELS
from dialogs.widgets.pet_context import pet_id_of

KEY_MEMBER_ID = "member_id"  # dialog_data: whose access is about to be revoked

KEY_FOUND = "found"
KEY_NOT_FOUND = "not_found"
KEY_NAME = "name"  # the pet's
KEY_LEVEL = "level"  # the caller's level, as words
KEY_MEMBERS = "members"  # one line per person
KEY_CAN_INVITE_CO_OWNER = "can_invite_co_owner"
KEY_CAN_INVITE_VIEWER = "can_invite_viewer"
KEY_CAN_REVOKE = "can_revoke"
KEY_CAN_LEAVE = "can_leave"
KEY_REVOCABLE = "revocable"  # [(button label, user id)]
KEY_MEMBER = "member"  # the chosen member's name
KEY_MEMBER_CHOSEN = "member_chosen"
KEY_MEMBER_MISSING = "member_missing"


def display_name(first_name: str, username: str | None, unnamed: str) -> str:
    """A member with no stored name gets `unnamed`: invites are taken up only after consent
    now (which stores the name), but access granted before issue #13 may lack one."""
    name = first_name or unnamed
    return f"{name} (@{username})" if username else name


async def load_members(manager: DialogManager, list_members: ListPetMembers) -> PetMembers | None:
    pet_id = pet_id_of(manager)
    if pet_id is None:
        return None
    try:
        return await list_members(telegram_id_of(manager), pet_id)
    except PetNotFoundError:
        return None


@inject
async def get_sharing(
    dialog_manager: DialogManager, list_members: FromDishka[ListPetMembers], **_: Any
) -> dict[str, Any]:
    seen = await load_members(dialog_manager, list_members)
    if seen is None:
        return {KEY_FOUND: False, KEY_NOT_FOUND: True}
    i18n = i18n_from(dialog_manager)
    unnamed = i18n.get("lbl-sharing-member-unnamed")
    lines = [
        i18n.get(
            "lbl-sharing-member-you" if member.is_you else "lbl-sharing-member",
            member=display_name(member.first_name, member.username, unnamed),
            level=i18n.get(ACCESS_LABELS[member.level]),
        )
        for member in seen.members
    ]
    revocable = [
        (
            i18n.get(
                "lbl-sharing-revoke-item",
                member=display_name(member.first_name, member.username, unnamed),
                level=i18n.get(ACCESS_LABELS[member.level]),
            ),
            str(member.user_id),
        )
        for member in seen.members
        if member.can_revoke
    ]
    chosen = dialog_manager.dialog_data.get(KEY_MEMBER_ID)
    member = next((m for m in seen.members if m.user_id == chosen and m.can_revoke), None)
    return {
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_NAME: seen.pet.name,
        KEY_LEVEL: i18n.get(ACCESS_LABELS[seen.your_level]),
        KEY_MEMBERS: Markup("\n").join(lines),
        KEY_CAN_INVITE_CO_OWNER: seen.can_invite_co_owner,
        KEY_CAN_INVITE_VIEWER: seen.can_invite_viewer,
        KEY_CAN_REVOKE: bool(revocable),
        KEY_CAN_LEAVE: seen.can_leave,
        KEY_REVOCABLE: revocable,
        KEY_MEMBER: display_name(member.first_name, member.username, unnamed) if member else "",
        KEY_MEMBER_CHOSEN: member is not None,
        KEY_MEMBER_MISSING: member is None,
    }
