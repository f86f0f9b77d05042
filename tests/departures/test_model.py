"""The pure departure model: learns routines, follows changes, abstains when unsure."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from pathlib import Path
import random
from zoneinfo import ZoneInfo

from custom_components.car_bridge.departures.model import (
    MAX_AGE_DAYS,
    Departure,
    DepartureModel,
)

TZ = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 9, 7)


def at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ)


def learn(model: DepartureModel, first: date, days: int, minutes_of) -> None:  # type: ignore[no-untyped-def]
    """Learn ``days`` days from ``first``; ``minutes_of(day)`` lists its departures."""
    model.start(first)
    for i in range(days):
        day = first + timedelta(days=i)
        for minute in minutes_of(day):
            model.add(Departure(at=at(day, minute), trip_min=35.0, trip_km=18.0))


def commuter(rng: random.Random, minute: int = 450):  # type: ignore[no-untyped-def]
    return lambda day: [minute + rng.randint(-10, 10)] if day.weekday() < 5 else []


def test_a_weekday_commute_is_predicted_with_its_trip() -> None:
    model = DepartureModel(TZ)
    learn(model, MONDAY, 28, commuter(random.Random(1)))
    (prediction,) = model.predictions(MONDAY + timedelta(days=28))
    assert abs(prediction.minute - 450) <= 10
    assert prediction.confidence >= 0.75
    assert prediction.departures >= 4
    assert prediction.usual_trip_min == 35.0
    assert prediction.usual_trip_km == 18.0
    assert prediction.at.tzinfo is TZ
    assert model.predictions(MONDAY + timedelta(days=33)) == ()  # a Saturday


def test_weak_evidence_abstains() -> None:
    model = DepartureModel(TZ)
    learn(model, MONDAY, 3, commuter(random.Random(2)))
    assert model.predictions(MONDAY + timedelta(days=3)) == ()
    assert DepartureModel(TZ).predictions(MONDAY) == ()


def test_irregular_trips_predict_almost_nothing() -> None:
    rng = random.Random(3)
    model = DepartureModel(TZ)
    learn(model, MONDAY, 84, lambda _d: [rng.randint(420, 1260) for _ in range(rng.randint(0, 3))])
    predicted = sum(len(model.predictions(MONDAY + timedelta(days=i))) for i in range(84))
    assert predicted / 84 <= 0.2


def test_local_time_survives_the_dst_change() -> None:
    # Europe/Amsterdam leaves summer time on 25 October 2026.
    model = DepartureModel(TZ)
    first = date(2026, 10, 5)
    learn(model, first, 28, lambda day: [450] if day.weekday() < 5 else [])
    (before,) = model.predictions(date(2026, 10, 23))
    (after,) = model.predictions(date(2026, 11, 2))
    assert before.minute == after.minute == 450
    assert before.at.utcoffset() == timedelta(hours=2)
    assert after.at.utcoffset() == timedelta(hours=1)


def test_a_new_routine_is_followed_within_a_week() -> None:
    rng = random.Random(4)
    change = MONDAY + timedelta(weeks=7)
    model = DepartureModel(TZ)

    def minutes(day: date) -> list[int]:
        if day.weekday() >= 5:
            return []
        return [(525 if day >= change else 450) + rng.randint(-10, 10)]

    learn(model, MONDAY, 7 * 7 + 4, minutes)  # through Thursday of the new routine
    day = change + timedelta(days=4)
    (prediction,) = model.predictions(day)
    assert abs(prediction.minute - 525) <= 15
    for later in range(1, 8):
        assert all(abs(p.minute - 450) > 20 for p in model.predictions(day + timedelta(later)))


def test_a_part_time_routine_is_predicted_from_its_third_week() -> None:
    rng = random.Random(8)
    model = DepartureModel(TZ)

    def workdays(day: date) -> list[int]:
        """Monday, Wednesday and Thursday at 08:15; the other days nothing."""
        return [495 + rng.randint(-10, 10)] if day.weekday() in (0, 2, 3) else []

    learn(model, MONDAY, 14, workdays)
    third_monday = MONDAY + timedelta(days=14)
    (prediction,) = model.predictions(third_monday)
    assert abs(prediction.minute - 495) <= 10
    # Two weeks are less sure than three.
    assert 0.4 <= prediction.confidence < 0.75
    assert prediction.departures >= 4  # the two Mondays and the other days at that time
    assert model.predictions(third_monday + timedelta(days=1)) == ()  # a Tuesday off
    # One Monday at that time is not enough, however busy the other days.
    early = DepartureModel(TZ)
    learn(early, MONDAY, 7, workdays)
    assert early.predictions(MONDAY + timedelta(days=7)) == ()


def test_alternating_shift_weeks() -> None:
    model = DepartureModel(TZ)

    def shifts(day: date) -> list[int]:
        early = ((day - MONDAY).days // 7) % 2 == 0
        return [(360 if early else 840)] if day.weekday() < 5 else []

    learn(model, MONDAY, 5 * 7, shifts)  # weeks 1, 3, 5 early; 2, 4 late
    week6 = MONDAY + timedelta(weeks=5)
    assert [p.minute for p in model.predictions(week6)] == [840]
    learn(model, week6, 7, shifts)
    assert [p.minute for p in model.predictions(week6 + timedelta(weeks=1))] == [360]


def test_a_holiday_predicts_nothing_and_teaches_nothing() -> None:
    model = DepartureModel(TZ)
    learn(model, MONDAY, 28, commuter(random.Random(5)))
    holiday = MONDAY + timedelta(days=28)
    model.exclude(holiday)
    assert model.predictions(holiday) == ()
    model.exclude(holiday, False)
    assert len(model.predictions(holiday)) == 1
    model.exclude(holiday)
    # A departure on the holiday is not learned; the following Monday rests
    # on the weeks before it (its missing commute is no evidence).
    model.add(Departure(at=at(holiday, 700)))
    learn(model, holiday + timedelta(days=1), 6, commuter(random.Random(8)))
    (monday,) = model.predictions(holiday + timedelta(weeks=1))
    assert abs(monday.minute - 450) <= 10


def test_an_unused_car_falls_silent_until_it_leaves_again() -> None:
    model = DepartureModel(TZ)
    learn(model, MONDAY, 28, commuter(random.Random(6)))
    week5 = MONDAY + timedelta(days=28)
    assert model.predictions(week5)
    assert model.predictions(week5 + timedelta(days=1))
    # Two expected departures did not happen: it stops guessing.
    assert model.predictions(week5 + timedelta(days=2)) == ()
    assert model.predictions(week5 + timedelta(days=3)) == ()
    model.add(Departure(at=at(week5 + timedelta(days=3), 455)))
    assert model.predictions(week5 + timedelta(days=4))


def test_skip_withdraws_one_prediction() -> None:
    model = DepartureModel(TZ)
    learn(model, MONDAY, 28, commuter(random.Random(7)))
    day = MONDAY + timedelta(days=28)
    (prediction,) = model.predictions(day)
    model.skip(prediction)
    assert model.predictions(day) == ()
    assert model.predictions(day + timedelta(days=1))


def test_memory_is_bounded_to_a_year() -> None:
    model = DepartureModel(TZ)
    learn(model, MONDAY, 500, lambda _d: [450, 1000])
    kept = model.departures
    assert (kept[-1].at - kept[0].at).days <= MAX_AGE_DAYS
    assert model.first_day is not None
    assert (MONDAY + timedelta(days=499) - model.first_day).days <= MAX_AGE_DAYS
    assert len(model.predictions(MONDAY + timedelta(days=500))) == 2


def test_a_repeated_departure_is_learned_once() -> None:
    model = DepartureModel(TZ)
    model.add(Departure(at=at(MONDAY, 450)))
    model.add(Departure(at=at(MONDAY, 450)))
    assert len(model.departures) == 1


def test_the_pure_rooms_import_no_home_assistant() -> None:
    root = Path(__file__).parents[2] / "custom_components" / "car_bridge" / "departures"
    for source in root.glob("*.py"):
        assert "homeassistant" not in source.read_text(encoding="utf-8"), source.name
