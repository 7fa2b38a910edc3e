"""Slot generation from a weekly template and exceptions, in the vet's zone, across DST."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from core.schedule import (
    ExceptionWindow,
    SlotTime,
    WeeklyWindow,
    generate_slots,
    local_day_bounds,
    to_local,
)

MON, TUE, WED, THU, FRI, SAT, SUN = range(7)
BERLIN = "Europe/Berlin"
NEW_YORK = "America/New_York"
MOSCOW = "Europe/Moscow"


def _utc(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def _local_starts(slots: list[SlotTime], zone: str) -> list[str]:
    return [to_local(slot.starts_at, zone).strftime("%Y-%m-%d %H:%M%z") for slot in slots]


def _assert_never_overlap(slots: list[SlotTime], buffer_minutes: int = 0) -> None:
    for before, after in itertools.pairwise(slots):
        assert after.starts_at >= before.ends_at + timedelta(minutes=buffer_minutes)


def test_weekly_window_is_cut_into_consultations_in_the_vets_zone() -> None:
    # 2025-06-02 is a Monday; Moscow is UTC+3 all year.
    slots = generate_slots(
        [WeeklyWindow(MON, time(9), time(11))],
        [],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 8),
        consultation_minutes=30,
    )
    assert [slot.starts_at for slot in slots] == [
        _utc(2025, 6, 2, 6, 0),
        _utc(2025, 6, 2, 6, 30),
        _utc(2025, 6, 2, 7, 0),
        _utc(2025, 6, 2, 7, 30),
    ]
    assert all(slot.ends_at - slot.starts_at == timedelta(minutes=30) for slot in slots)
    assert all(slot.starts_at.tzinfo is UTC for slot in slots)


def test_buffer_separates_consultations_and_the_last_must_end_inside_the_window() -> None:
    slots = generate_slots(
        [WeeklyWindow(MON, time(9), time(11))],
        [],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 2),
        consultation_minutes=30,
        buffer_minutes=10,
    )
    # 09:00, 09:40, 10:20 (ends 10:50); 11:00 would end after the window.
    assert _local_starts(slots, MOSCOW) == [
        "2025-06-02 09:00+0300",
        "2025-06-02 09:40+0300",
        "2025-06-02 10:20+0300",
    ]
    _assert_never_overlap(slots, 10)


def test_every_matching_weekday_of_the_range_gets_slots() -> None:
    slots = generate_slots(
        [WeeklyWindow(TUE, time(10), time(11)), WeeklyWindow(THU, time(15), time(16))],
        [],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 15),
        consultation_minutes=60,
    )
    assert _local_starts(slots, MOSCOW) == [
        "2025-06-03 10:00+0300",
        "2025-06-05 15:00+0300",
        "2025-06-10 10:00+0300",
        "2025-06-12 15:00+0300",
    ]


def test_time_off_removes_every_slot_it_touches() -> None:
    slots = generate_slots(
        [WeeklyWindow(MON, time(9), time(12))],
        # 09:45–10:15 Moscow: touches the 09:30 and 10:00 consultations.
        [ExceptionWindow(_utc(2025, 6, 2, 6, 45), _utc(2025, 6, 2, 7, 15), is_available=False)],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 2),
        consultation_minutes=30,
    )
    assert [s[11:16] for s in _local_starts(slots, MOSCOW)] == [
        "09:00",
        "10:30",
        "11:00",
        "11:30",
    ]


def test_a_whole_day_off_removes_the_day() -> None:
    start, end = local_day_bounds(date(2025, 6, 2), MOSCOW)
    slots = generate_slots(
        [WeeklyWindow(MON, time(9), time(12)), WeeklyWindow(TUE, time(9), time(10))],
        [ExceptionWindow(start, end, is_available=False)],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 3),
        consultation_minutes=60,
    )
    assert _local_starts(slots, MOSCOW) == ["2025-06-03 09:00+0300"]


def test_extra_hours_add_slots_and_never_overlap_the_template() -> None:
    slots = generate_slots(
        [WeeklyWindow(MON, time(9), time(11))],
        [
            # Saturday 12:00–13:00 Moscow: no template that day.
            ExceptionWindow(_utc(2025, 6, 7, 9), _utc(2025, 6, 7, 10), is_available=True),
            # Monday 10:15–12:00 overlaps the template's 10:00 and 10:30 consultations.
            ExceptionWindow(_utc(2025, 6, 2, 7, 15), _utc(2025, 6, 2, 9), is_available=True),
        ],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 8),
        consultation_minutes=30,
    )
    assert _local_starts(slots, MOSCOW) == [
        "2025-06-02 09:00+0300",
        "2025-06-02 09:30+0300",
        "2025-06-02 10:00+0300",
        "2025-06-02 10:30+0300",
        "2025-06-02 11:15+0300",  # extra hours resume after the template's last consultation
        "2025-06-07 12:00+0300",
        "2025-06-07 12:30+0300",
    ]
    _assert_never_overlap(slots)


def test_time_off_wins_over_extra_hours() -> None:
    slots = generate_slots(
        [],
        [
            ExceptionWindow(_utc(2025, 6, 7, 9), _utc(2025, 6, 7, 11), is_available=True),
            ExceptionWindow(_utc(2025, 6, 7, 10), _utc(2025, 6, 7, 12), is_available=False),
        ],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 7),
        last_day=date(2025, 6, 7),
        consultation_minutes=60,
    )
    assert [slot.starts_at for slot in slots] == [_utc(2025, 6, 7, 9)]


def test_extra_hours_outside_the_range_are_left_to_the_other_days() -> None:
    slots = generate_slots(
        [],
        [ExceptionWindow(_utc(2025, 6, 7, 9), _utc(2025, 6, 7, 10), is_available=True)],
        time_zone=MOSCOW,
        first_day=date(2025, 6, 2),
        last_day=date(2025, 6, 6),
        consultation_minutes=30,
    )
    assert slots == []


def test_local_nine_stays_nine_across_spring_forward() -> None:
    # Berlin moves from UTC+1 to UTC+2 on Sunday 2025-03-30.
    slots = generate_slots(
        [WeeklyWindow(day, time(9), time(10)) for day in (MON, TUE, WED, THU, FRI)],
        [],
        time_zone=BERLIN,
        first_day=date(2025, 3, 28),
        last_day=date(2025, 3, 31),
        consultation_minutes=60,
    )
    assert [slot.starts_at for slot in slots] == [_utc(2025, 3, 28, 8), _utc(2025, 3, 31, 7)]
    assert _local_starts(slots, BERLIN) == ["2025-03-28 09:00+0100", "2025-03-31 09:00+0200"]


def test_local_nine_stays_nine_across_fall_back() -> None:
    # Berlin moves from UTC+2 back to UTC+1 on Sunday 2025-10-26.
    slots = generate_slots(
        [WeeklyWindow(FRI, time(9), time(10)), WeeklyWindow(MON, time(9), time(10))],
        [],
        time_zone=BERLIN,
        first_day=date(2025, 10, 24),
        last_day=date(2025, 10, 27),
        consultation_minutes=60,
    )
    assert [slot.starts_at for slot in slots] == [_utc(2025, 10, 24, 7), _utc(2025, 10, 27, 8)]


def test_starts_inside_the_spring_forward_gap_are_skipped() -> None:
    # 02:00–03:00 does not exist in Berlin on 2025-03-30: the clock jumps from 02:00 to 03:00.
    slots = generate_slots(
        [WeeklyWindow(SUN, time(1), time(4))],
        [],
        time_zone=BERLIN,
        first_day=date(2025, 3, 30),
        last_day=date(2025, 3, 30),
        consultation_minutes=30,
    )
    assert _local_starts(slots, BERLIN) == [
        "2025-03-30 01:00+0100",
        "2025-03-30 01:30+0100",
        "2025-03-30 03:00+0200",
        "2025-03-30 03:30+0200",
    ]
    # The window is only two real hours long that night: four consultations, no overlap.
    _assert_never_overlap(slots)
    assert slots[-1].ends_at == _utc(2025, 3, 30, 2)


def test_ambiguous_fall_back_times_use_the_first_occurrence() -> None:
    # 02:00–03:00 happens twice in Berlin on 2025-10-26 (first at UTC+2, then at UTC+1).
    slots = generate_slots(
        [WeeklyWindow(SUN, time(1), time(4))],
        [],
        time_zone=BERLIN,
        first_day=date(2025, 10, 26),
        last_day=date(2025, 10, 26),
        consultation_minutes=30,
    )
    assert _local_starts(slots, BERLIN) == [
        "2025-10-26 01:00+0200",
        "2025-10-26 01:30+0200",
        "2025-10-26 02:00+0200",
        "2025-10-26 02:30+0200",
        "2025-10-26 03:00+0100",
        "2025-10-26 03:30+0100",
    ]
    _assert_never_overlap(slots)


@pytest.mark.parametrize("zone", [BERLIN, NEW_YORK])
@pytest.mark.parametrize(("length", "buffer"), [(30, 0), (25, 7), (45, 15), (60, 10)])
def test_slots_never_overlap_around_any_dst_change(zone: str, length: int, buffer: int) -> None:
    windows = [WeeklyWindow(day, time(0, 30), time(5)) for day in range(7)]
    windows += [WeeklyWindow(day, time(9), time(17, 30)) for day in range(7)]
    for first in (date(2025, 3, 7), date(2025, 3, 27), date(2025, 10, 24), date(2025, 10, 31)):
        slots = generate_slots(
            windows,
            [],
            time_zone=zone,
            first_day=first,
            last_day=first + timedelta(days=5),
            consultation_minutes=length,
            buffer_minutes=buffer,
        )
        assert slots
        _assert_never_overlap(slots, buffer)
        for slot in slots:
            assert slot.ends_at - slot.starts_at == timedelta(minutes=length)
            local = to_local(slot.starts_at, zone)
            in_morning = time(0, 30) <= local.time() < time(5)
            in_day = time(9) <= local.time() < time(17, 30)
            assert in_morning or in_day


def test_owner_in_another_zone_sees_the_vets_nine_in_their_own_time() -> None:
    # A New York vet's 09:00: EST (UTC-5) before 2025-03-09, EDT (UTC-4) after; Moscow is UTC+3.
    slots = generate_slots(
        [WeeklyWindow(FRI, time(9), time(10)), WeeklyWindow(MON, time(9), time(10))],
        [],
        time_zone=NEW_YORK,
        first_day=date(2025, 3, 7),
        last_day=date(2025, 3, 10),
        consultation_minutes=60,
    )
    assert _local_starts(slots, NEW_YORK) == ["2025-03-07 09:00-0500", "2025-03-10 09:00-0400"]
    assert _local_starts(slots, MOSCOW) == ["2025-03-07 17:00+0300", "2025-03-10 16:00+0300"]
    assert _local_starts(slots, BERLIN) == ["2025-03-07 15:00+0100", "2025-03-10 14:00+0100"]


def test_a_local_day_is_23_or_25_hours_on_dst_days() -> None:
    start, end = local_day_bounds(date(2025, 3, 30), BERLIN)
    assert (start, end) == (_utc(2025, 3, 29, 23), _utc(2025, 3, 30, 22))
    start, end = local_day_bounds(date(2025, 10, 26), BERLIN)
    assert end - start == timedelta(hours=25)
    start, end = local_day_bounds(date(2025, 6, 2), MOSCOW)
    assert (start, end) == (_utc(2025, 6, 1, 21), _utc(2025, 6, 2, 21))


def test_naive_times_and_unknown_zones_are_refused() -> None:
    with pytest.raises(ValueError, match="naive"):
        to_local(datetime(2025, 1, 1, 9), BERLIN)
    with pytest.raises(ValueError, match="time zone"):
        to_local(_utc(2025, 1, 1), "Mars/Olympus_Mons")
    with pytest.raises(ValueError, match="consultation"):
        generate_slots(
            [],
            [],
            time_zone=BERLIN,
            first_day=date(2025, 1, 1),
            last_day=date(2025, 1, 1),
            consultation_minutes=0,
        )
