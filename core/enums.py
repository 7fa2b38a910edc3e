"""Domain enumerations.

Values are stored verbatim in the database as short strings (no native DB enums, no CHECK
constraints), so a later issue can add a member without a migration. Never rename a value:
rows written earlier still hold it.
"""

from enum import StrEnum


class Role(StrEnum):
    OWNER = "owner"
    VET = "vet"
    ADMIN = "admin"


class Species(StrEnum):
    DOG = "dog"
    CAT = "cat"
    RABBIT = "rabbit"
    GUINEA_PIG = "guinea_pig"
    RODENT = "rodent"
    FERRET = "ferret"
    BIRD = "bird"
    REPTILE = "reptile"
    OTHER = "other"


class Sex(StrEnum):
    MALE = "male"
    FEMALE = "female"
    UNKNOWN = "unknown"


class AccessLevel(StrEnum):
    OWNER = "owner"
    CO_OWNER = "co_owner"
    VIEWER = "viewer"


class RecordKind(StrEnum):
    VACCINATION = "vaccination"
    PARASITE_TREATMENT = "parasite_treatment"
    MEDICATION = "medication"
    PROCEDURE = "procedure"
    ALLERGY = "allergy"
    CHRONIC_CONDITION = "chronic_condition"
    WEIGHT = "weight"
    DOCUMENT = "document"
    TRIAGE_RESULT = "triage_result"
    CONSULTATION_REPORT = "consultation_report"


class SlotStatus(StrEnum):
    # Whether a slot is booked is not a slot status: it is derived from the slot's active
    # appointment, which the database keeps unique (see db/models/appointments.py).
    OPEN = "open"
    CLOSED = "closed"  # withdrawn by the vet; kept because past appointments point at it


class AppointmentStatus(StrEnum):
    HELD = "held"  # slot reserved while the owner pays; expires at hold_expires_at
    CONFIRMED = "confirmed"
    CANCELLED_BY_OWNER = "cancelled_by_owner"
    CANCELLED_BY_VET = "cancelled_by_vet"
    COMPLETED = "completed"
    NO_SHOW_VET = "no_show_vet"
    EXPIRED = "expired"


# The statuses that occupy a slot. The partial unique index on appointments lists the same
# values literally; keep both in step (tests check it).
ACTIVE_APPOINTMENT_STATUSES: frozenset[AppointmentStatus] = frozenset(
    {AppointmentStatus.HELD, AppointmentStatus.CONFIRMED}
)


class PaymentStatus(StrEnum):
    PAID = "paid"
    REFUNDED = "refunded"
    REFUND_FAILED = "refund_failed"  # needs a person (e.g. a fiat charge): see refund_error
    # A refund is decided and recorded but not yet done (or failed in a way worth retrying);
    # a periodic job retries these, which is harmless: a second refund counts as done.
    REFUND_PENDING = "refund_pending"


class CheckStatus(StrEnum):
    DRAFT = "draft"
    QUEUED = "queued"
    ANALYSING = "analysing"
    DONE = "done"
    FAILED = "failed"


class Urgency(StrEnum):
    """Triage level, ordered LOW < MEDIUM < HIGH by clinical meaning, not alphabetically.

    A StrEnum so it stores as its value; the comparisons are overridden because str's own
    would put "high" below "low", and `max()` over levels is the triage decision rule.
    """

    LOW = "low"
    MEDIUM = "medium"
    HIGH = "high"

    @property
    def rank(self) -> int:
        return _URGENCY_RANK[self.value]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Urgency):
            return NotImplemented
        return self.rank >= other.rank


_URGENCY_RANK = {"low": 0, "medium": 1, "high": 2}


class ReminderKind(StrEnum):
    VACCINATION = "vaccination"
    PARASITE_TREATMENT = "parasite_treatment"
    MEDICATION = "medication"
    APPOINTMENT = "appointment"
    FOLLOW_UP = "follow_up"  # e.g. "how is your pet?" after a triage result
    CUSTOM = "custom"
