"""Every StatesGroup of the bot. Names are stored in FSM contexts: never rename one."""

from aiogram.fsm.state import State, StatesGroup


class OnboardingSG(StatesGroup):
    LANGUAGE = State()
    ABOUT = State()
    CONSENT = State()
    DECLINED = State()


class MainMenuSG(StatesGroup):
    MAIN = State()
    COMING_SOON = State()


class LanguageSG(StatesGroup):
    SELECT = State()


class CheckSG(StatesGroup):
    """The symptom-check questionnaire, in the order it is asked."""

    PET = State()
    EMERGENCY = State()
    AREA = State()
    SIGNS = State()
    QUESTION = State()
    PHOTOS = State()
    SUMMARY = State()


class CheckResultSG(StatesGroup):
    """A stored check result: right after submitting, and when the worker refines it."""

    MAIN = State()


class PetAddSG(StatesGroup):
    """The pet form, step by step. Started with {"pet_id": ...} at one step, it edits that field.

    Other features may start it to add a pet: it closes with {"pet_id": <new pet id>}.
    """

    NAME = State()
    SPECIES = State()
    BREED = State()
    SEX = State()
    NEUTERED = State()
    BIRTH = State()
    WEIGHT = State()
    PHOTO = State()


class PetsSG(StatesGroup):
    """My pets: the list, a pet's card and what can be done with it."""

    LIST = State()
    ARCHIVED = State()
    CARD = State()
    EDIT_MENU = State()
    ARCHIVE = State()  # choosing why, which confirms
    DELETE = State()  # confirming
