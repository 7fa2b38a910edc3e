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
