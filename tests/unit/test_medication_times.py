"""Dose times typed in the medication form (core.medication_times)."""

from __future__ import annotations

import pytest

from core.medication_times import parse_dose_times
from core.record_input import RecordInputError, RecordInputErrorReason


@pytest.mark.parametrize(
    ("typed", "times"),
    [
        ("8:00 20:00", ("08:00", "20:00")),
        ("20.00, 8.00", ("08:00", "20:00")),
        ("9 21", ("09:00", "21:00")),
        ("в 8:30 и 14:00 и 20:00", ("08:30", "14:00", "20:00")),
        ("09:00 + 21:00", ("09:00", "21:00")),
        ("at 7:15 and 7:15", ("07:15",)),
        ("0:00", ("00:00",)),
    ],
)
def test_dose_times_are_read_leniently_sorted_and_without_repeats(
    typed: str, times: tuple[str, ...]
) -> None:
    assert parse_dose_times(typed) == times


@pytest.mark.parametrize(
    "typed", ["", "twice a day", "25:00", "9:75", "8:00 after food", "10.06.2025", "8-20", "🙂"]
)
def test_what_is_not_a_list_of_times_is_refused(typed: str) -> None:
    with pytest.raises(RecordInputError) as refused:
        parse_dose_times(typed)
    assert refused.value.reason is RecordInputErrorReason.TIMES_UNREADABLE


def test_more_than_six_doses_a_day_are_refused() -> None:
    with pytest.raises(RecordInputError) as refused:
        parse_dose_times("1 3 5 7 9 11 13")
    assert refused.value.reason is RecordInputErrorReason.TIMES_TOO_MANY
    assert refused.value.max_length == 6
