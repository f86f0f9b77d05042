"""The simulated car's weekday commute, pure: when it leaves, from where, and its past."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from custom_components.car_bridge.approach.geo import great_circle_distance
from custom_components.car_bridge.vehicle.routine import Commute, Routine

TZ = ZoneInfo("Europe/Amsterdam")
HOME = (52.3676, 4.9041, 100.0)
MONDAY = date(2026, 9, 7)


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ)


def test_leaves_home_for_work_on_weekdays_only_within_the_window() -> None:
    routine = Routine(TZ, seed=7)
    home = HOME[:2]
    work = routine.work(home)
    assert great_circle_distance(*home, *work) == pytest.approx(12_000, rel=1e-3)
    out = routine.minute(MONDAY, "out")
    assert abs(out - (7 * 60 + 45)) <= Commute().jitter_min
    assert routine.due(at(MONDAY, out - 1), position=home, home=HOME) is None
    assert routine.due(at(MONDAY, out), position=home, home=HOME) == work
    assert routine.due(at(MONDAY, out + 89), position=home, home=HOME) == work
    # A restart at noon does not start the morning commute.
    assert routine.due(at(MONDAY, 12 * 60), position=home, home=HOME) is None
    saturday = MONDAY + timedelta(days=5)
    assert (
        routine.due(at(saturday, routine.minute(saturday, "out")), position=home, home=HOME) is None
    )


def test_comes_back_only_from_work() -> None:
    routine = Routine(TZ, seed=7)
    home = HOME[:2]
    work = routine.work(home)
    back = routine.minute(MONDAY, "back")
    assert routine.due(at(MONDAY, back), position=work, home=HOME) == home
    # Driven elsewhere by its user: left alone.
    elsewhere = (home[0] + 0.05, home[1])
    assert routine.due(at(MONDAY, back), position=elsewhere, home=HOME) is None
    # Already home: nothing to do.
    assert routine.due(at(MONDAY, back), position=home, home=HOME) is None


def test_days_differ_but_the_same_car_keeps_its_days() -> None:
    one, again, other = Routine(TZ, seed=7), Routine(TZ, seed=7), Routine(TZ, seed=8)
    week = [MONDAY + timedelta(days=i) for i in range(5)]
    minutes = [one.minute(d, "out") for d in week]
    assert len(set(minutes)) > 1
    assert minutes == [again.minute(d, "out") for d in week]
    assert one.work(HOME[:2]) == again.work(HOME[:2]) != other.work(HOME[:2])


def test_the_past_is_the_weekdays_before_today() -> None:
    routine = Routine(TZ, seed=7)
    now = at(MONDAY + timedelta(days=28), 6 * 60)
    past = routine.past(now, 28, cruise_kmh=50.0)
    assert len(past) == 20
    assert all(d.at.weekday() < 5 and d.at < now for d in past)
    assert [d.at for d in past] == sorted(d.at for d in past)
    assert all(d.at == at(d.at.date(), routine.minute(d.at.date(), "out")) for d in past)
    # The whole time away, as the departures engine records a trip: out, the
    # day at work, and back (12 km at 50 km/h, and two minutes to get going).
    first = past[0].at.date()
    day_at_work = routine.minute(first, "back") - routine.minute(first, "out")
    assert past[0].trip_min == pytest.approx(day_at_work + 16.4, abs=0.05)
    assert past[0].trip_km == 24.0
