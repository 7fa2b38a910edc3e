"""The vet profile form (VetProfileSG): nine steps, each with Back, then a summary.

The first step's Back leaves the form; nothing is stored until the summary is sent.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Group, Multiselect, Row, Select

from dialogs.states import VetProfileSG
from dialogs.vet_onboarding.getters import (
    KEY_LANGUAGE_ITEMS,
    KEY_SPECIES_ITEMS,
    KEY_ZONES,
    get_choices,
    get_summary,
    get_zone,
    step,
)
from dialogs.vet_onboarding.handlers import (
    ID_LANGUAGES,
    ID_SPECIES,
    on_bio,
    on_languages_done,
    on_name,
    on_photo,
    on_price,
    on_skip_bio,
    on_skip_photo,
    on_specialisations,
    on_species_done,
    on_submit,
    on_years,
    on_zone_entered,
    on_zone_keep,
    on_zone_selected,
)
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_FORM_CANCEL = "vet_form_cancel"
ID_FORM_BACK = "vet_form_back"
ID_SKIP_PHOTO = "vet_skip_photo"
ID_SKIP_BIO = "vet_skip_bio"
ID_SPECIES_DONE = "vet_species_done"
ID_LANGUAGES_DONE = "vet_languages_done"
ID_SUBMIT = "vet_submit"
ID_ZONES = "vet_zones"
ID_ZONE_KEEP = "vet_zone_keep"
KEY_TEXT_EXPECTED = "err-vet-text-expected"
KEY_PHOTO_EXPECTED = "err-vet-photo-expected"


def _header() -> I18nFormat:
    return I18nFormat("msg-vet-form-header")


def _back() -> Row:
    return Row(Back(I18nFormat("btn-back"), id=ID_FORM_BACK))


def _text_input(handler: Any) -> list[MessageInput]:
    return [
        MessageInput(handler, content_types=ContentType.TEXT),
        unexpected_input_hint(KEY_TEXT_EXPECTED),
    ]


def _multiselect(widget_id: str, items: str) -> Group:
    return Group(
        Multiselect(
            ButtonLabel("✅ {item[0]}"),
            ButtonLabel("{item[0]}"),
            id=widget_id,
            item_id_getter=itemgetter(1),
            items=items,
        ),
        width=2,
    )


name_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-name"),
    Row(Cancel(I18nFormat("btn-back"), id=ID_FORM_CANCEL)),
    *_text_input(on_name),
    getter=step(1),
    state=VetProfileSG.NAME,
)

photo_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-photo"),
    Button(I18nFormat("btn-vet-skip"), id=ID_SKIP_PHOTO, on_click=on_skip_photo),
    _back(),
    MessageInput(on_photo, content_types=ContentType.PHOTO),
    unexpected_input_hint(KEY_PHOTO_EXPECTED),
    getter=step(2),
    state=VetProfileSG.PHOTO,
)

specialisations_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-specialisations"),
    _back(),
    *_text_input(on_specialisations),
    getter=step(3),
    state=VetProfileSG.SPECIALISATIONS,
)

species_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-species"),
    _multiselect(ID_SPECIES, KEY_SPECIES_ITEMS),
    Button(I18nFormat("btn-vet-done"), id=ID_SPECIES_DONE, on_click=on_species_done),
    _back(),
    unexpected_input_hint(),
    getter=step(4),
    state=VetProfileSG.SPECIES,
)

languages_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-languages"),
    _multiselect(ID_LANGUAGES, KEY_LANGUAGE_ITEMS),
    Button(I18nFormat("btn-vet-done"), id=ID_LANGUAGES_DONE, on_click=on_languages_done),
    _back(),
    unexpected_input_hint(),
    getter=step(5),
    state=VetProfileSG.LANGUAGES,
)

years_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-years"),
    _back(),
    *_text_input(on_years),
    getter=step(6),
    state=VetProfileSG.YEARS,
)

price_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-price"),
    _back(),
    *_text_input(on_price),
    getter=step(7),
    state=VetProfileSG.PRICE,
)

zone_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-zone"),
    Group(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_ZONES,
            item_id_getter=itemgetter(1),
            items=KEY_ZONES,
            on_click=on_zone_selected,
        ),
        width=2,
    ),
    Button(I18nFormat("btn-vet-zone-keep"), id=ID_ZONE_KEEP, on_click=on_zone_keep),
    _back(),
    *_text_input(on_zone_entered),
    getter=get_zone,
    state=VetProfileSG.TIME_ZONE,
)

bio_window = Window(
    _header(),
    I18nFormat("msg-vet-ask-bio"),
    Button(I18nFormat("btn-vet-skip"), id=ID_SKIP_BIO, on_click=on_skip_bio),
    _back(),
    *_text_input(on_bio),
    getter=step(9),
    state=VetProfileSG.BIO,
)

summary_window = Window(
    I18nFormat("msg-vet-summary"),
    Button(I18nFormat("btn-vet-submit"), id=ID_SUBMIT, on_click=on_submit),
    _back(),
    unexpected_input_hint(),
    getter=get_summary,
    state=VetProfileSG.SUMMARY,
)


def build_vet_profile_dialog() -> Dialog:
    return Dialog(
        name_window,
        photo_window,
        specialisations_window,
        species_window,
        languages_window,
        years_window,
        price_window,
        zone_window,
        bio_window,
        summary_window,
        getter=get_choices,
    )
