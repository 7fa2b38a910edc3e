"""Every StatesGroup of the bot. Names are stored in FSM contexts: never rename one."""

from aiogram.fsm.state import State, StatesGroup


class OnboardingSG(StatesGroup):
    LANGUAGE = State()
    ABOUT = State()
    CONSENT = State()
    DECLINED = State()


class MainMenuSG(StatesGroup):
    MAIN = State()


class LanguageSG(StatesGroup):
    SELECT = State()


class CheckSG(StatesGroup):
    """The symptom-check questionnaire, in the order it is asked.

    Start data (all optional): {"pet_id"}; {"reason": typed words, "signs": [codes]} when it
    starts from a typed message (the signs are ticked, the words go to the vet).
    """

    PET = State()
    EMERGENCY = State()
    AREA = State()
    SIGNS = State()
    QUESTION = State()
    ASK_BACK = State()  # a typed answer with two readings: which one was meant
    PHOTOS = State()
    SUMMARY = State()


class FreeTextSG(StatesGroup):
    """A typed message outside a form. Start data: {"items": [emergency screen item ids],
    "toxin": code or None, "signs": [sign codes], "text": what was typed}.
    """

    PET = State()  # an emergency: which pet (skipped with one pet)
    NO_PET = State()  # an emergency with no pet in the bot: the general card
    OFFER = State()  # symptoms: start a symptom check with the words carried in


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


class PetMicrochipSG(StatesGroup):
    """The pet's microchip number, started from the card's edit menu with {"pet_id": ...}."""

    NUMBER = State()


class PetsSG(StatesGroup):
    """My pets: the list, a pet's card and what can be done with it."""

    LIST = State()
    ARCHIVED = State()
    CARD = State()
    EDIT_MENU = State()
    ARCHIVE = State()  # choosing why, which confirms
    DELETE = State()  # confirming


class RecordsSG(StatesGroup):
    """A pet's medical card: choose the pet, page through entries, filter, open, delete.

    Started with {"pet_id": ...} at LIST, it opens that pet's card directly.
    """

    PET = State()
    LIST = State()
    FILTER = State()
    RECORD = State()
    DELETE = State()  # confirming
    WEIGHT = State()  # the weight trend


class RecordFormSG(StatesGroup):
    """A new medical card entry, started with {"pet_id": ...}: the kind, then its fields.

    Each kind asks a subset of the field steps, in its own order; closes with {"record_id": ...}.
    """

    KIND = State()
    FILE = State()
    TITLE = State()
    DOSE = State()
    SCHEDULE = State()
    WEIGHT = State()
    DATE = State()
    COURSE_END = State()
    NEXT_DUE = State()
    NOTE = State()
    BATCH = State()  # a vaccine's batch number, optional
    DOSE_TIMES = State()  # a medication's dose times (the reminders), optional


class SharingSG(StatesGroup):
    """Who can see a pet; invite links, revoking, leaving. Started with {"pet_id": ...}."""

    MAIN = State()
    REVOKE = State()  # choosing whom
    REVOKE_CONFIRM = State()
    LEAVE = State()  # confirming


class AccountSG(StatesGroup):
    """/delete_me: a warning saying what goes, then a final confirmation."""

    DELETE_WARNING = State()
    DELETE_CONFIRM = State()


class BookingSG(StatesGroup):
    """Booking a consultation: pet → (recent check?) → reason → vet → day → time → summary →
    paying.

    Start data (all optional): {"pet_id", "check_id"} from a check result; {"pet_id",
    "vet_id", "reason", "check_id"} to choose another time with the same vet.
    """

    PET = State()
    CHECK = State()  # the pet's recent symptom check: attach it or not (shown only if one)
    REASON = State()
    VET = State()
    DAY = State()
    SLOT = State()
    SUMMARY = State()
    PAYING = State()  # the invoice was sent


class AppointmentsSG(StatesGroup):
    """/appointments: upcoming and past, one appointment's card, cancelling it.

    Rescheduling starts BookingSG at the day step with {"reschedule_appointment_id"}: the
    chosen time replaces the old one and the payment goes with it.
    """

    LIST = State()
    CARD = State()
    CANCEL = State()  # confirming


class VetProfileSG(StatesGroup):
    """The vet's profile form, step by step, then a summary that submits it."""

    NAME = State()
    PHOTO = State()
    SPECIALISATIONS = State()
    SPECIES = State()
    LANGUAGES = State()
    YEARS = State()
    PRICE = State()
    TIME_ZONE = State()
    BIO = State()
    SUMMARY = State()


class VetAdminSG(StatesGroup):
    """/vets_pending (admins): submitted profiles, one profile's card, verify or reject."""

    LIST = State()
    CARD = State()


class VetScheduleSG(StatesGroup):
    """/schedule: the weekly template, timing and exceptions, and their editors."""

    MAIN = State()
    DAY = State()  # choosing a weekday
    HOURS = State()  # typing its hours
    LENGTH = State()
    BUFFER = State()
    DAY_OFF = State()
    EXTRA = State()
    REMOVE = State()  # choosing an exception
    CONFLICTS = State()  # booked consultations inside a new day off
    CANCEL_REASON = State()  # confirming one's cancellation with a reason for the owner


class SupportSG(StatesGroup):
    """/paysupport: an owner types a question; an admin types the answer to a ticket."""

    QUESTION = State()
    ANSWER = State()  # start_data: the ticket id


class SettingsSG(StatesGroup):
    """/reminders and the main menu's "🔔 Reminders": kinds on or off, quiet hours, time zone."""

    MAIN = State()
    QUIET_HOURS = State()  # presets, "off", or typed "22:00–08:00"


class TimeZoneSG(StatesGroup):
    """Choosing a time zone, from the settings or asked once by a feature
    (dialogs.navigation.ask_time_zone); returns to whoever started it."""

    PICK = State()  # quick buttons of the user's language; a typed zone or a location too
    CONFIRM = State()  # "Looks like Екатеринбург (UTC+5) — right?"
