"""The pet form (PetAddSG): adds a pet step by step, or edits one field of an existing pet.

Every step has a way back: "Back" to the previous step while adding (the first step leaves the
form), "Back" out of the form while editing. Optional steps can be skipped (adding) or cleared
(editing) with the same button.
"""

from __future__ import annotations

from operator import itemgetter

from aiogram.enums import ContentType
from aiogram_dialog import Dialog, Window
from aiogram_dialog.widgets.input import MessageInput
from aiogram_dialog.widgets.kbd import Back, Button, Cancel, Group, Row, Select

from core.enums import Sex, Species
from dialogs.pets.common import NEUTERED_NO, NEUTERED_UNKNOWN, NEUTERED_YES
from dialogs.pets.getters import (
    KEY_ADDING,
    KEY_BREEDS,
    KEY_EDITING,
    KEY_HAS_BREEDS,
    get_pet_form,
    step,
)
from dialogs.pets.handlers import (
    ID_BREED_SUGGESTIONS,
    ID_NEUTERED_PREFIX,
    ID_SEX_PREFIX,
    ID_SKIP_PREFIX,
    ID_SPECIES_PREFIX,
    on_birth_entered,
    on_breed_entered,
    on_breed_suggested,
    on_name_entered,
    on_neutered_chosen,
    on_photo_sent,
    on_sex_chosen,
    on_skip,
    on_species_chosen,
    on_weight_entered,
)
from dialogs.states import PetAddSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat
from dialogs.widgets.labels import SPECIES_LABELS

ID_FORM_CANCEL = "form_cancel"
ID_FORM_BACK = "form_back"
ID_SKIP_BREED = f"{ID_SKIP_PREFIX}breed"
ID_SKIP_BIRTH = f"{ID_SKIP_PREFIX}birth"
ID_SKIP_WEIGHT = f"{ID_SKIP_PREFIX}weight"
ID_SKIP_PHOTO = f"{ID_SKIP_PREFIX}photo"

KEY_TEXT_EXPECTED = "err-pet-text-expected"
KEY_PHOTO_EXPECTED = "err-pet-photo-expected"

SEX_BUTTONS = {
    Sex.MALE: "btn-pet-sex-male",
    Sex.FEMALE: "btn-pet-sex-female",
    Sex.UNKNOWN: "btn-pet-sex-unknown",
}
NEUTERED_BUTTONS = {
    NEUTERED_YES: "btn-pet-neutered-yes",
    NEUTERED_NO: "btn-pet-neutered-no",
    NEUTERED_UNKNOWN: "btn-pet-neutered-unknown",
}


def _header() -> I18nFormat:
    # "New pet · step N of 8" while adding, the pet's name while editing (one Fluent selector).
    return I18nFormat("msg-pet-form-header")


def _nav(*, first: bool = False) -> Row:
    leave_while_editing = Cancel(I18nFormat("btn-back"), id=ID_FORM_CANCEL, when=KEY_EDITING)
    if first:
        return Row(Cancel(I18nFormat("btn-back"), id=ID_FORM_CANCEL))
    return Row(Back(I18nFormat("btn-back"), id=ID_FORM_BACK, when=KEY_ADDING), leave_while_editing)


def _skip(widget_id: str) -> Button:
    # Its label reads "Skip" while adding and "Clear" while editing.
    return Button(I18nFormat("btn-pet-skip"), id=widget_id, on_click=on_skip)


def _text_input(handler: object) -> list[MessageInput]:
    return [
        MessageInput(handler, content_types=ContentType.TEXT),  # type: ignore[arg-type]
        unexpected_input_hint(KEY_TEXT_EXPECTED),
    ]


name_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-name"),
    _nav(first=True),
    *_text_input(on_name_entered),
    getter=step(1),
    state=PetAddSG.NAME,
)

species_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-species"),
    Group(
        *(
            Button(
                I18nFormat(SPECIES_LABELS[species]),
                id=f"{ID_SPECIES_PREFIX}{species.value}",
                on_click=on_species_chosen,
            )
            for species in Species
        ),
        width=3,
    ),
    _nav(),
    unexpected_input_hint(),
    getter=step(2),
    state=PetAddSG.SPECIES,
)

breed_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-breed"),
    I18nFormat("msg-pet-breed-suggestions", when=KEY_HAS_BREEDS),
    Group(
        Select(
            ButtonLabel("{item[0]}"),
            id=ID_BREED_SUGGESTIONS,
            item_id_getter=itemgetter(1),
            items=KEY_BREEDS,
            on_click=on_breed_suggested,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        ),
        width=2,
        when=KEY_HAS_BREEDS,
    ),
    _skip(ID_SKIP_BREED),
    _nav(),
    *_text_input(on_breed_entered),
    getter=step(3),
    state=PetAddSG.BREED,
)

sex_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-sex"),
    Row(
        *(
            Button(I18nFormat(label), id=f"{ID_SEX_PREFIX}{sex.value}", on_click=on_sex_chosen)
            for sex, label in SEX_BUTTONS.items()
        )
    ),
    _nav(),
    unexpected_input_hint(),
    getter=step(4),
    state=PetAddSG.SEX,
)

neutered_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-neutered"),
    Row(
        *(
            Button(
                I18nFormat(label), id=f"{ID_NEUTERED_PREFIX}{value}", on_click=on_neutered_chosen
            )
            for value, label in NEUTERED_BUTTONS.items()
        )
    ),
    _nav(),
    unexpected_input_hint(),
    getter=step(5),
    state=PetAddSG.NEUTERED,
)

birth_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-birth"),
    _skip(ID_SKIP_BIRTH),
    _nav(),
    *_text_input(on_birth_entered),
    getter=step(6),
    state=PetAddSG.BIRTH,
)

weight_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-weight"),
    _skip(ID_SKIP_WEIGHT),
    _nav(),
    *_text_input(on_weight_entered),
    getter=step(7),
    state=PetAddSG.WEIGHT,
)

photo_window = Window(
    _header(),
    I18nFormat("msg-pet-ask-photo"),
    _skip(ID_SKIP_PHOTO),
    _nav(),
    MessageInput(on_photo_sent, content_types=ContentType.PHOTO),
    unexpected_input_hint(KEY_PHOTO_EXPECTED),
    getter=step(8),
    state=PetAddSG.PHOTO,
)


def build_pet_form_dialog() -> Dialog:
    return Dialog(
        name_window,
        species_window,
        breed_window,
        sex_window,
        neutered_window,
        birth_window,
        weight_window,
        photo_window,
        getter=get_pet_form,
    )
