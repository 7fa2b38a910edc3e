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
