"""Who may read and join what of a consultation, and when: the rules as a table (no I/O).

The rules are the issue's (#8): owner, co-owner and viewer of the pet read; viewers never join
the call; the booked vet reads the brief and the card only around a confirmed appointment; an
admin reads everything; anyone else is refused.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from core.consultation_errors import ConsultationAccessDeniedError
from core.entities import Appointment, MedicalRecord, Pet, User
from core.enums import AccessLevel, AppointmentStatus, RecordKind, Role, Sex, Species
from core.interactors.consultation_access import (
    AppointmentAccess,
    CallState,
    ConsultationRole,
    ConsultationWindows,
    decide_appointment_access,
)
from core.interactors.consultation_card import summarize_card

START = datetime(2025, 6, 2, 7, 0, tzinfo=UTC)
END = START + timedelta(minutes=30)
VET_ID = 7
WINDOWS = ConsultationWindows()  # the defaults: brief 30 min before to 24 h after, call 10/15

APPOINTMENT = Appointment(
    id=1,
    slot_id=1,
    vet_id=VET_ID,
    owner_user_id=10,
    pet_id=3,
    status=AppointmentStatus.CONFIRMED,
    reason="coughing",
    check_id=None,
    price_amount=100,
    currency="XTR",
    starts_at=START,
    ends_at=END,
    hold_expires_at=None,
    confirmed_at=START - timedelta(days=1),
    cancelled_at=None,
    completed_at=None,
    vet_joined_at=None,
    created_at=START - timedelta(days=1),
)


def user(*roles: Role) -> User:
    return User(
        id=10,
        telegram_id=1010,
        first_name="A",
        username=None,
        language="en",
        time_zone="Europe/Moscow",
        roles=frozenset(roles or {Role.OWNER}),
        consented_at=None,
        created_at=START,
    )


def decide(
    *,
    at: datetime,
    level: AccessLevel | None = None,
    vet_id: int | None = None,
    roles: tuple[Role, ...] = (),
    status: AppointmentStatus = AppointmentStatus.CONFIRMED,
) -> AppointmentAccess:
    return decide_appointment_access(
        replace(APPOINTMENT, status=status),
        user(*roles),
        caller_vet_id=vet_id,
        pet_level=level,
        windows=WINDOWS,
        now=at,
    )


@pytest.mark.parametrize(
    ("level", "role", "joins"),
    [
        (AccessLevel.OWNER, ConsultationRole.OWNER, True),
        (AccessLevel.CO_OWNER, ConsultationRole.CO_OWNER, True),
        (AccessLevel.VIEWER, ConsultationRole.VIEWER, False),
    ],
)
def test_pet_members_read_the_card_and_only_owners_join_the_call(
    level: AccessLevel, role: ConsultationRole, joins: bool
) -> None:
    access = decide(at=START, level=level)
    assert access.role is role
    assert access.may_read_records
    assert not access.may_read_brief  # the brief is the vet's
    assert access.may_join_call is joins
    assert access.call is (CallState.OPEN if joins else CallState.NOT_A_PARTICIPANT)
    assert not access.may_write_report


@pytest.mark.parametrize(
    ("at", "state"),
    [
        (START - timedelta(minutes=11), CallState.NOT_OPEN_YET),
        (START - timedelta(minutes=10), CallState.OPEN),
        (END + timedelta(minutes=14), CallState.OPEN),
        (END + timedelta(minutes=15), CallState.CLOSED),
    ],
)
def test_the_call_opens_ten_minutes_before_and_closes_after_the_grace(
    at: datetime, state: CallState
) -> None:
    for access in (decide(at=at, level=AccessLevel.OWNER), decide(at=at, vet_id=VET_ID)):
        assert access.call is state
        assert access.call_window.opens_at == START - timedelta(minutes=10)


@pytest.mark.parametrize(
    ("status", "state"),
    [
        (AppointmentStatus.HELD, CallState.NOT_ACTIVE),
        (AppointmentStatus.CANCELLED_BY_OWNER, CallState.NOT_ACTIVE),
        (AppointmentStatus.NO_SHOW_VET, CallState.NOT_ACTIVE),
        (AppointmentStatus.COMPLETED, CallState.CLOSED),
    ],
)
def test_no_call_unless_the_appointment_is_confirmed(
    status: AppointmentStatus, state: CallState
) -> None:
    assert decide(at=START, level=AccessLevel.OWNER, status=status).call is state


@pytest.mark.parametrize(
    ("at", "reads"),
    [
        (START - timedelta(minutes=31), False),
        (START - timedelta(minutes=30), True),
        (END, True),
        (END + timedelta(hours=24) - timedelta(seconds=1), True),
        (END + timedelta(hours=24), False),
        (END + timedelta(days=30), False),
    ],
)
def test_the_booked_vet_reads_the_brief_and_card_only_around_the_appointment(
    at: datetime, reads: bool
) -> None:
    access = decide(at=at, vet_id=VET_ID)
    assert access.role is ConsultationRole.VET
    assert access.may_read_brief is reads
    assert access.may_read_records is reads
    # After the start the vet may write the report, inside the window or not.
    assert access.may_write_report is (at >= START)


@pytest.mark.parametrize(
    "status",
    [
        AppointmentStatus.HELD,
        AppointmentStatus.CANCELLED_BY_OWNER,
        AppointmentStatus.CANCELLED_BY_VET,
        AppointmentStatus.EXPIRED,
        AppointmentStatus.NO_SHOW_VET,
    ],
)
def test_a_vet_reads_nothing_of_an_appointment_that_is_not_going_ahead(
    status: AppointmentStatus,
) -> None:
    access = decide(at=START, vet_id=VET_ID, status=status)
    assert not access.may_read_brief
    assert not access.may_read_records
    assert not access.may_write_report


def test_a_completed_appointment_stays_readable_for_its_vet_inside_the_window() -> None:
    access = decide(at=END + timedelta(hours=1), vet_id=VET_ID, status=AppointmentStatus.COMPLETED)
    assert access.may_read_brief
    assert access.may_write_report


def test_an_admin_reads_everything_at_any_time_but_joins_no_call() -> None:
    access = decide(at=END + timedelta(days=300), roles=(Role.ADMIN,))
    assert access.role is ConsultationRole.ADMIN
    assert access.may_read_brief and access.may_read_records
    assert access.call is CallState.NOT_A_PARTICIPANT


def test_an_admin_who_is_the_booked_vet_acts_as_the_vet_and_still_reads_as_admin() -> None:
    access = decide(at=END + timedelta(days=3), vet_id=VET_ID, roles=(Role.VET, Role.ADMIN))
    assert access.role is ConsultationRole.VET
    assert access.may_read_brief  # outside the vet's window: as an admin


@pytest.mark.parametrize("vet_id", [None, VET_ID + 1], ids=["stranger", "another-vet"])
def test_anyone_else_is_refused(vet_id: int | None) -> None:
    with pytest.raises(ConsultationAccessDeniedError):
        decide(at=START, vet_id=vet_id, roles=(Role.OWNER, Role.VET))


def test_windows_follow_the_settings() -> None:
    windows = ConsultationWindows(
        brief_opens_before=timedelta(hours=2), brief_closes_after=timedelta(hours=1)
    )
    brief = windows.brief(APPOINTMENT)
    assert (brief.opens_at, brief.closes_at) == (
        START - timedelta(hours=2),
        END + timedelta(hours=1),
    )
    assert brief.contains(START - timedelta(hours=2))
    assert not brief.contains(END + timedelta(hours=1))


# --- the card as the Mini App shows it ----------------------------------------------------------

PET = Pet(
    id=3,
    name="Murka",
    species=Species.CAT,
    breed=None,
    sex=Sex.FEMALE,
    neutered=True,
    birth_date=date(2023, 1, 15),
    birth_date_is_approximate=False,
    weight_grams=4200,
    photo_file_id=None,
    photo_key=None,
    allergies=None,
    chronic_conditions=None,
    archived_at=None,
    created_at=START,
)


def record(
    record_id: int,
    kind: RecordKind,
    title: str,
    day: date,
    *,
    data: dict[str, object] | None = None,
    next_due: date | None = None,
    attachment: str | None = None,
) -> MedicalRecord:
    return MedicalRecord(
        id=record_id,
        pet_id=PET.id,
        kind=kind,
        title=title,
        occurred_at=datetime(day.year, day.month, day.day, 12, tzinfo=UTC),
        details=None,
        data={"date": day.isoformat(), **(data or {})},
        next_due_at=(
            datetime(next_due.year, next_due.month, next_due.day, 12, tzinfo=UTC)
            if next_due
            else None
        ),
        author_user_id=None,
        attachment_key=attachment,
        attachment_content_type="application/pdf" if attachment else None,
        created_at=START,
    )


def test_the_card_marks_only_the_latest_dose_of_a_product_overdue() -> None:
    today = date(2025, 6, 2)
    card = summarize_card(
        PET,
        [
            record(
                1, RecordKind.VACCINATION, "Nobivac", date(2023, 5, 1), next_due=date(2024, 5, 1)
            ),
            record(
                2, RecordKind.VACCINATION, "Nobivac", date(2024, 5, 2), next_due=date(2025, 5, 2)
            ),
            record(
                3, RecordKind.VACCINATION, "Rabies", date(2025, 1, 2), next_due=date(2026, 1, 2)
            ),
        ],
        today,
    )
    by_id = {line.record_id: line for line in card.vaccinations}
    assert [line.record_id for line in card.vaccinations] == [3, 2, 1]  # newest first
    assert by_id[2].overdue and not by_id[1].overdue  # the older Nobivac was given again
    assert not by_id[3].overdue
    assert [item.record_id for item in card.due] == [2, 3]  # soonest first
    assert card.age_months == 28


def test_the_card_keeps_current_medications_weights_over_time_and_documents() -> None:
    today = date(2025, 6, 2)
    card = summarize_card(
        PET,
        [
            record(1, RecordKind.MEDICATION, "Old", date(2025, 1, 1), data={"end": "2025-02-01"}),
            record(2, RecordKind.MEDICATION, "Ongoing", date(2025, 5, 1), data={"dose": "1 tab"}),
            record(
                3,
                RecordKind.MEDICATION,
                "Ends today",
                date(2025, 5, 1),
                data={"end": "2025-06-02"},
            ),
            record(4, RecordKind.WEIGHT, "", date(2025, 3, 1), data={"grams": 4100}),
            record(5, RecordKind.WEIGHT, "", date(2025, 1, 1), data={"grams": 4000}),
            record(
                6, RecordKind.DOCUMENT, "Blood test", date(2025, 4, 1), attachment="pets/3/x.pdf"
            ),
            record(7, RecordKind.ALLERGY, "Chicken", date(2024, 1, 1)),
        ],
        today,
    )
    assert {line.drug for line in card.current_medications} == {"Ongoing", "Ends today"}
    assert next(line for line in card.medications if line.drug == "Ongoing").dose == "1 tab"
    assert [(line.measured_on, line.grams) for line in card.weights] == [
        (date(2025, 1, 1), 4000),
        (date(2025, 3, 1), 4100),
    ]
    assert [(line.record_id, line.content_type) for line in card.documents] == [
        (6, "application/pdf")
    ]
    assert [line.title for line in card.allergies] == ["Chicken"]
