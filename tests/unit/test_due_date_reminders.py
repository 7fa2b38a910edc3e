"""Reminder rows follow the card (issue #12): created for the owner and co-owners when a
vaccination or treatment with a next due date is added, handed over to a newer entry of the
product, cancelled with the entry; and the Done / Snooze / Stop buttons on in-memory fakes."""

# The `card` fixture is imported from the card's own tests and named by each test: F811.
# ruff: noqa: F811

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest

from core.enums import ReminderKind
from core.interactors.records import (
    DeleteRecord,
    MedicationDraft,
    ParasiteTreatmentDraft,
    VaccinationDraft,
)
from core.interactors.reminders import (
    MarkReminderDone,
    ReminderClosedError,
    ReminderNotFoundError,
    SnoozeReminder,
    StopReminderItem,
)
from core.ports.reminders import CancelReason
from core.reminder_schedule import STEP_DAYS
from tests.unit.test_pet_interactors import COOWNER_TG, OWNER_TG, VIEWER_TG
from tests.unit.test_record_interactors import Card, card  # noqa: F401 (the fixture)

ALL_STEPS = [step.value for step in STEP_DAYS]


def _repo(card: Card) -> Any:
    """The in-memory rows, as the interactors' repository (a partial fake: no claims)."""
    return card.reminders


async def _user_id(card: Card, telegram_id: int) -> int:
    user = await card.users.get_by_telegram_id(telegram_id)
    assert user is not None
    return user.id


async def test_a_vaccination_with_a_next_due_date_reminds_the_owner_and_the_co_owner(
    card: Card,
) -> None:
    record = await card.add(VaccinationDraft("Nobivac", date(2025, 6, 1), date(2025, 7, 1)))

    rows = card.reminders.pending()
    owner, co_owner = await _user_id(card, OWNER_TG), await _user_id(card, COOWNER_TG)
    assert {r.user_id for r in rows} == {owner, co_owner}  # the viewer hears nothing
    assert await _user_id(card, VIEWER_TG) not in {r.user_id for r in rows}
    for user_id in (owner, co_owner):
        mine = sorted((r for r in rows if r.user_id == user_id), key=lambda r: r.due_at)
        assert [r.step for r in mine] == ALL_STEPS
        assert {(r.record_id, r.pet_id, r.kind) for r in mine} == {
            (record.id, 1, ReminderKind.VACCINATION)
        }
        # 10:00 in Moscow on 24 June: a week before the due date.
        assert mine[0].due_at == datetime(2025, 6, 24, 7, tzinfo=UTC)


async def test_entries_without_a_due_date_or_of_other_kinds_make_no_reminders(card: Card) -> None:
    await card.add(ParasiteTreatmentDraft("Bravecto", date(2025, 5, 1)))
    await card.add(MedicationDraft("Synulox", "50 mg", "2×/day", date(2025, 6, 1)))
    assert card.reminders.rows == {}


async def test_a_due_date_days_ago_gets_only_the_overdue_steps(card: Card) -> None:
    await card.add(ParasiteTreatmentDraft("Bravecto", date(2025, 3, 1), date(2025, 6, 12)))
    steps = sorted({str(r.step) for r in card.reminders.pending()})
    assert steps == ["overdue_1", "overdue_2", "overdue_3"]


async def test_a_newer_dose_of_the_product_takes_over_its_reminders(card: Card) -> None:
    old = await card.add(VaccinationDraft("Nobivac", date(2024, 6, 1), date(2025, 6, 20)))
    new = await card.add(VaccinationDraft(" nobivac ", date(2025, 6, 14), date(2026, 6, 14)))

    assert {r.record_id for r in card.reminders.pending()} == {new.id}
    replaced = [r for r in card.reminders.rows.values() if r.record_id == old.id]
    assert replaced and {r.cancel_reason for r in replaced} == {CancelReason.REPLACED.value}

    # An older dose typed in afterwards is history: no reminders, nothing cancelled.
    await card.add(VaccinationDraft("Nobivac", date(2023, 6, 1), date(2024, 6, 1)))
    assert {r.record_id for r in card.reminders.pending()} == {new.id}


async def test_deleting_the_entry_cancels_its_reminders(card: Card) -> None:
    record = await card.add(VaccinationDraft("Nobivac", date(2025, 6, 1), date(2025, 7, 1)))
    await card.make(DeleteRecord)(OWNER_TG, record.id)
    assert card.reminders.pending() == []
    assert {r.cancel_reason for r in card.reminders.rows.values()} == {"deleted"}


async def test_stop_is_for_the_presser_and_done_clears_the_item_for_everyone(
    card: Card,
) -> None:
    await card.add(VaccinationDraft("Nobivac", date(2025, 6, 1), date(2025, 7, 1)))
    owner, co_owner = await _user_id(card, OWNER_TG), await _user_id(card, COOWNER_TG)
    owners_first = min(r.id for r in card.reminders.pending() if r.user_id == owner)
    co_owners_first = min(r.id for r in card.reminders.pending() if r.user_id == co_owner)

    # Someone else's reminder id reads as missing.
    with pytest.raises(ReminderNotFoundError):
        await StopReminderItem(card.uow, _repo(card), card.users, card.clock)(
            COOWNER_TG, owners_first
        )
    await StopReminderItem(card.uow, _repo(card), card.users, card.clock)(OWNER_TG, owners_first)
    assert {r.user_id for r in card.reminders.pending()} == {co_owner}
    with pytest.raises(ReminderClosedError):  # the owner's old buttons are stale now
        await SnoozeReminder(card.uow, _repo(card), card.users, card.clock)(OWNER_TG, owners_first)

    done = await MarkReminderDone(card.uow, _repo(card), card.users, card.clock)(
        COOWNER_TG, co_owners_first
    )
    assert (done.pet_id, done.kind) == (1, ReminderKind.VACCINATION)
    assert card.reminders.pending() == []
    with pytest.raises(ReminderClosedError) as closed:
        await MarkReminderDone(card.uow, _repo(card), card.users, card.clock)(
            COOWNER_TG, co_owners_first
        )
    assert closed.value.reason is CancelReason.DONE


async def test_snooze_adds_one_reminder_a_day_later(card: Card) -> None:
    record = await card.add(VaccinationDraft("Nobivac", date(2025, 6, 1), date(2025, 7, 1)))
    owner = await _user_id(card, OWNER_TG)
    first = min(r.id for r in card.reminders.pending() if r.user_id == owner)
    before = len(card.reminders.rows)

    snoozed = await SnoozeReminder(card.uow, _repo(card), card.users, card.clock)(OWNER_TG, first)

    # NOW is 12:00 UTC (15:00 in Moscow): 15:00 tomorrow, outside the quiet hours.
    assert snoozed.due_at == datetime(2025, 6, 16, 12, tzinfo=UTC)
    assert snoozed.day == date(2025, 6, 16)
    [added] = list(card.reminders.rows.values())[before:]
    assert (added.user_id, added.record_id, added.step) == (owner, record.id, "snoozed")


async def test_deleting_a_mistaken_newer_dose_brings_the_earlier_reminders_back(
    card: Card,
) -> None:
    first = await card.add(VaccinationDraft("Nobivac", date(2025, 6, 1), date(2025, 7, 1)))
    owner, co_owner = await _user_id(card, OWNER_TG), await _user_id(card, COOWNER_TG)
    # The co-owner stops the item; then someone types the same dose in twice.
    co_owners = min(r.id for r in card.reminders.pending() if r.user_id == co_owner)
    await StopReminderItem(card.uow, _repo(card), card.users, card.clock)(COOWNER_TG, co_owners)
    duplicate = await card.add(VaccinationDraft("Nobivac", date(2025, 6, 1), date(2025, 7, 1)))
    assert {r.record_id for r in card.reminders.pending()} == {duplicate.id}

    await card.make(DeleteRecord)(OWNER_TG, duplicate.id)

    back = card.reminders.pending()
    assert {(r.record_id, r.user_id) for r in back} == {(first.id, owner)}  # not the co-owner
    assert sorted(str(r.step) for r in back) == sorted(ALL_STEPS)
    # The owner's buttons under the earlier messages work again.
    snoozed = await SnoozeReminder(card.uow, _repo(card), card.users, card.clock)(
        OWNER_TG,
        min(
            r.id
            for r in card.reminders.rows.values()
            if (r.record_id, r.user_id) == (first.id, owner)
        ),
    )
    assert snoozed.day == date(2025, 6, 16)


async def test_deleting_an_older_dose_leaves_the_latest_ones_reminders_alone(
    card: Card,
) -> None:
    old = await card.add(VaccinationDraft("Nobivac", date(2024, 6, 1), date(2025, 6, 20)))
    new = await card.add(VaccinationDraft("Nobivac", date(2025, 6, 14), date(2026, 6, 14)))
    before = {r.id for r in card.reminders.pending()}
    await card.make(DeleteRecord)(OWNER_TG, old.id)
    assert {r.id for r in card.reminders.pending()} == before
    assert {r.record_id for r in card.reminders.pending()} == {new.id}
