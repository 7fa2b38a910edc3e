"""My pets (PetsSG): the list, the archive, a pet's card, and editing, archiving, deleting."""

from __future__ import annotations

from operator import itemgetter

from aiogram import F
from aiogram_dialog import Dialog, StartMode, Window
from aiogram_dialog.widgets.kbd import Button, Group, Row, ScrollingGroup, Select, Start, SwitchTo
from aiogram_dialog.widgets.media import DynamicMedia

from dialogs.navigation import on_open_medical_card, on_open_sharing
from dialogs.pets.add_dialog import build_pet_form_dialog
from dialogs.pets.getters import (
    KEY_ACCESS,
    KEY_ACTIVE,
    KEY_AGE_APPROXIMATE,
    KEY_ARCHIVED,
    KEY_ARCHIVED_COUNT,
    KEY_BORN,
    KEY_BREED,
    KEY_CAN_DELETE,
    KEY_CAN_EDIT,
    KEY_CAN_RESTORE,
    KEY_FOUND,
    KEY_HAS_PETS,
    KEY_MICROCHIP,
    KEY_NO_PETS,
    KEY_NOT_FOUND,
    KEY_PETS,
    KEY_PHOTO,
    KEY_WEIGHT,
    get_archived_list,
    get_pet_card,
    get_pet_list,
)
from dialogs.pets.handlers import (
    EDIT_STEPS,
    ID_ARCHIVE_PREFIX,
    ID_EDIT_PREFIX,
    on_archive,
    on_delete,
    on_edit_field,
    on_form_result,
    on_pet_selected,
    on_restore,
)
from dialogs.pets.microchip_dialog import build_pet_microchip_dialog
from dialogs.states import MainMenuSG, PetAddSG, PetsSG
from dialogs.widgets.hints import unexpected_input_hint
from dialogs.widgets.i18n import ButtonLabel, I18nFormat

ID_PETS = "pets"
ID_PETS_SCROLL = "pets_scroll"
ID_ARCHIVED_PETS = "archived_pets"
ID_ARCHIVED_SCROLL = "archived_scroll"
ID_ADD_PET = "add_pet"
ID_OPEN_ARCHIVE = "open_archive"
ID_LIST_HOME = "list_home"
ID_ARCHIVED_BACK = "archived_back"
ID_CARD_EDIT = "card_edit"
ID_CARD_ARCHIVE = "card_archive"
ID_CARD_RESTORE = "card_restore"
ID_CARD_DELETE = "card_delete"
ID_CARD_SHARING = "card_sharing"
ID_CARD_RECORDS = "card_records"
ID_CARD_BACK = "card_back"
ID_CARD_BACK_ARCHIVED = "card_back_archived"
ID_EDIT_BACK = "edit_back"
ID_ARCHIVE_DECEASED = f"{ID_ARCHIVE_PREFIX}deceased"
ID_ARCHIVE_REHOMED = f"{ID_ARCHIVE_PREFIX}rehomed"
ID_ARCHIVE_BACK = "archive_back"
ID_DELETE_CONFIRM = "delete_confirm"
ID_DELETE_BACK = "delete_back"

PAGE_HEIGHT = 8

EDIT_BUTTONS = {
    "name": "btn-pet-field-name",
    "species": "btn-pet-field-species",
    "breed": "btn-pet-field-breed",
    "sex": "btn-pet-field-sex",
    "neutered": "btn-pet-field-neutered",
    "birth": "btn-pet-field-birth",
    "weight": "btn-pet-field-weight",
    "photo": "btn-pet-field-photo",
    "microchip": "btn-pet-field-microchip",
}
assert set(EDIT_BUTTONS) == set(EDIT_STEPS), "every editable field has a button and a step"


def _pets_select(widget_id: str, scroll_id: str) -> ScrollingGroup:
    return ScrollingGroup(
        Select(
            ButtonLabel("{item[0]}"),
            id=widget_id,
            item_id_getter=itemgetter(1),
            items=KEY_PETS,
            on_click=on_pet_selected,  # type: ignore[arg-type]  # dishka picks the 3-arg overload
        ),
        id=scroll_id,
        width=1,
        height=PAGE_HEIGHT,
        hide_on_single_page=True,
    )


list_window = Window(
    I18nFormat("msg-pets-list", when=KEY_HAS_PETS),
    I18nFormat("msg-pets-list-empty", when=KEY_NO_PETS),
    _pets_select(ID_PETS, ID_PETS_SCROLL),
    Start(I18nFormat("btn-pet-add"), id=ID_ADD_PET, state=PetAddSG.NAME),
    SwitchTo(
        I18nFormat("btn-pets-archived"),
        id=ID_OPEN_ARCHIVE,
        state=PetsSG.ARCHIVED,
        when=KEY_ARCHIVED_COUNT,
    ),
    # Not Cancel: /pets opens this list as the only dialog, with nothing below to go back to.
    Start(
        I18nFormat("btn-main-menu"),
        id=ID_LIST_HOME,
        state=MainMenuSG.MAIN,
        mode=StartMode.RESET_STACK,
    ),
    unexpected_input_hint(),
    getter=get_pet_list,
    state=PetsSG.LIST,
)

archived_window = Window(
    I18nFormat("msg-pets-archived"),
    _pets_select(ID_ARCHIVED_PETS, ID_ARCHIVED_SCROLL),
    SwitchTo(I18nFormat("btn-back"), id=ID_ARCHIVED_BACK, state=PetsSG.LIST),
    unexpected_input_hint(),
    getter=get_archived_list,
    state=PetsSG.ARCHIVED,
)

card_window = Window(
    DynamicMedia(KEY_PHOTO, when=KEY_PHOTO),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    I18nFormat("msg-pet-card-title", when=KEY_FOUND),
    I18nFormat("lbl-pet-card-species", when=KEY_FOUND),
    I18nFormat("lbl-pet-card-breed", when=KEY_BREED),
    I18nFormat("lbl-pet-card-sex", when=KEY_FOUND),
    I18nFormat("lbl-pet-card-born", when=KEY_BORN),
    I18nFormat("lbl-pet-card-age-approximate", when=KEY_AGE_APPROXIMATE),
    I18nFormat("lbl-pet-card-weight", when=KEY_WEIGHT),
    I18nFormat("lbl-pet-card-microchip", when=KEY_MICROCHIP),
    I18nFormat("lbl-pet-card-access", when=KEY_ACCESS),
    I18nFormat("lbl-pet-card-archived", when=KEY_ARCHIVED),
    # Every level: viewers read the medical card too; adding and deleting is checked there.
    Button(
        I18nFormat("btn-record-medical-card"),
        id=ID_CARD_RECORDS,
        on_click=on_open_medical_card,
        when=KEY_FOUND,
    ),
    Row(
        SwitchTo(
            I18nFormat("btn-pet-edit"), id=ID_CARD_EDIT, state=PetsSG.EDIT_MENU, when=KEY_CAN_EDIT
        ),
        SwitchTo(
            I18nFormat("btn-pet-archive"),
            id=ID_CARD_ARCHIVE,
            state=PetsSG.ARCHIVE,
            when=KEY_CAN_EDIT,
        ),
    ),
    Button(
        I18nFormat("btn-pet-restore"),
        id=ID_CARD_RESTORE,
        on_click=on_restore,
        when=KEY_CAN_RESTORE,
    ),
    # Everyone with access to an active pet: owners invite and revoke, co-owners invite
    # viewers, co-owners and viewers can see who else has access and leave.
    Button(
        I18nFormat("btn-pet-sharing"),
        id=ID_CARD_SHARING,
        on_click=on_open_sharing,
        when=F[KEY_FOUND] & F[KEY_ACTIVE],
    ),
    SwitchTo(
        I18nFormat("btn-pet-delete"), id=ID_CARD_DELETE, state=PetsSG.DELETE, when=KEY_CAN_DELETE
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_CARD_BACK, state=PetsSG.LIST, when=KEY_ACTIVE),
    SwitchTo(
        I18nFormat("btn-back"), id=ID_CARD_BACK_ARCHIVED, state=PetsSG.ARCHIVED, when=KEY_ARCHIVED
    ),
    unexpected_input_hint(),
    getter=get_pet_card,
    state=PetsSG.CARD,
)

edit_menu_window = Window(
    I18nFormat("msg-pet-edit-menu", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Group(
        *(
            Button(I18nFormat(label), id=f"{ID_EDIT_PREFIX}{field}", on_click=on_edit_field)
            for field, label in EDIT_BUTTONS.items()
        ),
        width=2,
        when=KEY_CAN_EDIT,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_EDIT_BACK, state=PetsSG.CARD),
    unexpected_input_hint(),
    getter=get_pet_card,
    state=PetsSG.EDIT_MENU,
)

archive_window = Window(
    I18nFormat("msg-pet-archive-ask", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Button(
        I18nFormat("btn-pet-archive-deceased"),
        id=ID_ARCHIVE_DECEASED,
        on_click=on_archive,
        when=KEY_CAN_EDIT,
    ),
    Button(
        I18nFormat("btn-pet-archive-rehomed"),
        id=ID_ARCHIVE_REHOMED,
        on_click=on_archive,
        when=KEY_CAN_EDIT,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_ARCHIVE_BACK, state=PetsSG.CARD),
    unexpected_input_hint(),
    getter=get_pet_card,
    state=PetsSG.ARCHIVE,
)

delete_window = Window(
    I18nFormat("msg-pet-delete-ask", when=KEY_FOUND),
    I18nFormat("err-pet-not-found", when=KEY_NOT_FOUND),
    Button(
        I18nFormat("btn-pet-delete-confirm"),
        id=ID_DELETE_CONFIRM,
        on_click=on_delete,
        when=KEY_CAN_DELETE,
    ),
    SwitchTo(I18nFormat("btn-back"), id=ID_DELETE_BACK, state=PetsSG.CARD),
    unexpected_input_hint(),
    getter=get_pet_card,
    state=PetsSG.DELETE,
)


def build_pets_dialog() -> Dialog:
    return Dialog(
        list_window,
        archived_window,
        card_window,
        edit_menu_window,
        archive_window,
        delete_window,
        on_process_result=on_form_result,
    )


def build_pets_dialogs() -> list[Dialog]:
    """Both pets dialogs, fresh: the list with the card, and the form it starts."""
    return [build_pets_dialog(), build_pet_form_dialog(), build_pet_microchip_dialog()]
