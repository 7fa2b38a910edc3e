"""Getters of the verification dialog: they reload through interactors and never write."""

from __future__ import annotations

from typing import Any

from aiogram_dialog import DialogManager
from dishka import FromDishka
from dishka.integrations.aiogram_dialog import inject

from core.interactors.vets import GetPendingVet, ListPendingVets
from core.markup import Markup
from core.vets_errors import NotAnAdminError, PendingVetNotFoundError
from dialogs.vet_admin.handlers import vet_id_of
from dialogs.widgets.events import telegram_id_of
from dialogs.widgets.i18n import i18n_from
from dialogs.widgets.labels import SPECIES_LABELS, VET_LANGUAGE_LABELS
from dialogs.widgets.limits import CAPTION_LIMIT, readable_length
from dialogs.widgets.stored_media import StoredPhoto

KEY_VETS = "vets"  # [(label, vet id)]
KEY_COUNT = "count"
KEY_HAS_VETS = "has_vets"
KEY_NO_VETS = "no_vets"
KEY_FOUND = "found"
KEY_NOT_FOUND = "not_found"
KEY_PHOTO = "photo"
# The photo when the card is too long to be its caption: sent apart on request.
KEY_PHOTO_APART = "photo_apart"


@inject
async def get_pending(
    dialog_manager: DialogManager, list_pending_vets: FromDishka[ListPendingVets], **_: Any
) -> dict[str, Any]:
    try:
        pending = await list_pending_vets(telegram_id_of(dialog_manager))
    except NotAnAdminError:
        pending = []
    return {
        KEY_VETS: [(item.vet.display_name, str(item.vet.id)) for item in pending],
        KEY_COUNT: len(pending),
        KEY_HAS_VETS: bool(pending),
        KEY_NO_VETS: not pending,
    }


@inject
async def get_card(
    dialog_manager: DialogManager, get_pending_vet: FromDishka[GetPendingVet], **_: Any
) -> dict[str, Any]:
    vet_id = vet_id_of(dialog_manager)
    try:
        if vet_id is None:
            raise PendingVetNotFoundError(-1)
        pending = await get_pending_vet(telegram_id_of(dialog_manager), vet_id)
    except (NotAnAdminError, PendingVetNotFoundError):
        return {KEY_FOUND: False, KEY_NOT_FOUND: True, KEY_PHOTO: None, KEY_PHOTO_APART: None}
    i18n = i18n_from(dialog_manager)
    vet = pending.vet
    account = pending.first_name + (f" @{pending.username}" if pending.username else "")
    # No stored copy to fall back on: onboarding keeps only Telegram's file_id (Vet.photo_key is
    # never filled), so a refused file_id shows the card without the photo.
    photo = StoredPhoto(vet.photo_file_id) if vet.photo_file_id else None
    fields = {
        "name": vet.display_name,
        "account": account,
        "specialisations": vet.specialisations or "",
        "species": Markup(", ").join(i18n.get(SPECIES_LABELS[s]) for s in sorted(vet.species)),
        "languages": Markup(", ").join(
            i18n.get(VET_LANGUAGE_LABELS[code])
            for code in sorted(vet.languages)
            if code in VET_LANGUAGE_LABELS
        ),
        "years": str(vet.years_of_practice if vet.years_of_practice is not None else "—"),
        "price": str(vet.price_amount),
        "zone": vet.time_zone,
        "bio": vet.bio or i18n.get("lbl-vet-no-bio"),
    }
    # A card with a long bio is over Telegram's 1024-character caption: text alone, and the
    # photo on its own message when the admin asks for it.
    fits = readable_length(i18n.get("msg-vet-pending-card", **fields)) <= CAPTION_LIMIT
    return {
        KEY_FOUND: True,
        KEY_NOT_FOUND: False,
        KEY_PHOTO: photo if fits else None,
        KEY_PHOTO_APART: None if fits else vet.photo_file_id,
        **fields,
    }
