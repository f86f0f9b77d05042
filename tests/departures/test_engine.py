"""The departures engine: departures from the fixes, announcements, the save file."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
import json
from zoneinfo import ZoneInfo

from custom_components.car_bridge.approach.geo import offset_point
from custom_components.car_bridge.approach.model import Home
from custom_components.car_bridge.departures.engine import (
    EVENT_DEPARTURE_EXPECTED,
    DepartureEngine,
)
from custom_components.car_bridge.vehicle.engines import Conclusion, Engine
from custom_components.car_bridge.vehicle.model import Position, VehicleState

TZ = ZoneInfo("Europe/Amsterdam")
HOME = Home(52.3676, 4.9041, 100.0)
MONDAY = date(2026, 9, 7)


def local(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ)


def state(when: datetime, km_out: float, odometer: float | None = None) -> VehicleState:
    lat, lon = offset_point(HOME.latitude, HOME.longitude, km_out * 1000, 0.0)
    return VehicleState(
        timestamp=when,
        position=Position(latitude=lat, longitude=lon, accuracy=10.0),
        odometer=odometer,
    )


def trip(engine: DepartureEngine, day: date, minute: int) -> list[Conclusion]:
    """Leave at ``minute``, come back 9 hours later, 39 km after leaving the zone."""
    out: list[Conclusion] = []
    leave = local(day, minute)
    out += engine.update(state(leave - timedelta(minutes=1), 0.0, 1000.0), leave)
    out += engine.update(state(leave, 1.0, 1001.0), leave)
    back = leave + timedelta(hours=9)
    out += engine.update(state(back, 0.0, 1040.0), back)
    return out


def commuting_engine(weeks: int = 4) -> DepartureEngine:
    engine = DepartureEngine(TZ)
    engine.set_home(HOME)
    engine.update(state(local(MONDAY, 0), 0.0), local(MONDAY, 0))
    for i in range(weeks * 7):
        day = MONDAY + timedelta(days=i)
        if day.weekday() < 5:
            trip(engine, day, 450)
    return engine


def expected(conclusions: list[Conclusion]) -> list[Conclusion]:
    return [c for c in conclusions if c.type == EVENT_DEPARTURE_EXPECTED]


def test_it_is_an_engine() -> None:
    engine: Engine = DepartureEngine(TZ)
    assert engine.key == "departures"
    assert engine.result is None


def test_departures_are_learned_from_the_fixes_with_their_trip() -> None:
    engine = commuting_engine()
    monday = MONDAY + timedelta(weeks=4)
    engine.tick(local(monday, 60))
    prediction = engine.result
    assert prediction is not None
    assert prediction.at == local(monday, 450)
    assert prediction.usual_trip_min == 540.0
    assert prediction.usual_trip_km == 39.0  # odometer from the fix that left the zone


def test_departure_expected_fires_once_n_minutes_before() -> None:
    engine = commuting_engine()
    engine.set_minutes([60, 500, 2])  # out-of-range minutes are ignored
    monday = MONDAY + timedelta(weeks=4)
    assert expected(list(engine.tick(local(monday, 450 - 61)))) == []
    (sixty,) = expected(list(engine.tick(local(monday, 450 - 60))))
    assert sixty.data["minutes_before"] == 60
    assert sixty.data["departure"] == local(monday, 450).isoformat()
    assert expected(list(engine.tick(local(monday, 450 - 45)))) == []
    (thirty,) = expected(list(engine.tick(local(monday, 450 - 29))))
    assert thirty.data["minutes_before"] == 30
    assert expected(list(engine.tick(local(monday, 450 - 10)))) == []
    # Leaving fulfils the prediction: the next one is Tuesday's.
    trip(engine, monday, 452)
    engine.tick(local(monday, 600))
    assert engine.result is not None
    assert engine.result.day == monday + timedelta(days=1)


def test_nothing_is_announced_when_the_car_already_left() -> None:
    engine = commuting_engine()
    monday = MONDAY + timedelta(weeks=4)
    leave = local(monday, 380)
    engine.update(state(leave, 2.0), leave)  # left early, still out
    assert expected(list(engine.tick(local(monday, 425)))) == []


def test_a_skipped_departure_is_not_announced() -> None:
    engine = commuting_engine()
    monday = MONDAY + timedelta(weeks=4)
    engine.tick(local(monday, 60))
    skipped = engine.skip_next()
    assert skipped is not None
    assert skipped.day == monday
    assert expected(list(engine.tick(local(monday, 425)))) == []
    assert engine.result is not None
    assert engine.result.day == monday + timedelta(days=1)


def test_a_day_marked_not_leaving_is_not_announced() -> None:
    engine = commuting_engine()
    monday = MONDAY + timedelta(weeks=4)
    engine.tick(local(monday, 60))
    engine.set_not_leaving(monday, True)
    assert engine.result is not None
    assert engine.result.day == monday + timedelta(days=1)
    assert expected(list(engine.tick(local(monday, 425)))) == []


def test_learning_off_learns_and_predicts_nothing() -> None:
    engine = commuting_engine()
    engine.learning = False
    count = len(engine.model.departures)
    trip(engine, MONDAY + timedelta(weeks=4), 450)
    assert len(engine.model.departures) == count
    assert engine.result is None


def test_a_zone_change_is_not_a_departure() -> None:
    engine = commuting_engine(1)
    count = len(engine.model.departures)
    moved = Home(HOME.latitude + 0.1, HOME.longitude, 100.0)
    engine.set_home(moved)
    when = local(MONDAY + timedelta(weeks=1), 600)
    engine.update(state(when, 0.0), when)
    assert len(engine.model.departures) == count


def test_history_from_elsewhere_is_learned() -> None:
    source = commuting_engine()
    engine = DepartureEngine(TZ)
    engine.learn_history(source.model.departures, MONDAY)
    engine.tick(local(MONDAY + timedelta(weeks=4), 60))
    assert engine.result is not None
    assert len(engine.upcoming()) == 5


def test_save_and_restore_lose_nothing() -> None:
    engine = commuting_engine()
    monday = MONDAY + timedelta(weeks=4)
    engine.tick(local(monday, 60))
    engine.set_not_leaving(monday + timedelta(days=3), True)
    engine.tick(local(monday, 450 - 30))
    saved = json.loads(json.dumps(engine.as_dict()))
    again = DepartureEngine(TZ)
    assert again.restore(saved) == []
    assert again.as_dict() == saved
    # What was announced before the restart is not announced again.
    assert expected(list(again.tick(local(monday, 450 - 25)))) == []
    assert again.result == engine.result


def test_a_corrupt_part_is_dropped_alone() -> None:
    engine = commuting_engine()
    saved = engine.as_dict()
    saved["departures"][3] = ["not a time", None, None]
    saved["departures"][4] = [saved["departures"][4][0], float("nan"), None]
    saved["excluded"] = ["2026-13-01"]
    saved["fired"] = "everything"
    saved["at_home"] = "yes"
    saved["left_at"] = "yesterday"
    again = DepartureEngine(TZ)
    discarded = again.restore(saved)
    assert discarded == [
        "departures.departures",
        "departures.excluded",
        "departures.fired",
        "departures.at_home",
        "departures.trip",
    ]
    assert len(again.model.departures) == len(engine.model.departures) - 2
    assert again.model.first_day == MONDAY


def test_a_corrupt_model_relearns() -> None:
    for bad in ("garbage", [1, 2], {"version": 99}):
        engine = DepartureEngine(TZ)
        assert engine.restore(bad) == ["departures"]
        assert engine.model.departures == []
    assert DepartureEngine(TZ).restore(None) == []
    saved = commuting_engine(1).as_dict()
    saved["first_day"] = 5
    saved["departures"] = {"a": 1}
    engine = DepartureEngine(TZ)
    assert engine.restore(saved) == ["departures.first_day", "departures.departures"]


def test_a_state_with_an_old_time_does_not_turn_the_clock_back() -> None:
    engine = commuting_engine()
    monday = MONDAY + timedelta(weeks=4)
    engine.tick(local(monday, 60))
    expected_before = engine.result
    # A push source marked disconnected re-sends its last state, stamped on Friday.
    friday = monday - timedelta(days=3)
    engine.update(state(local(friday, 1000), 0.0), local(friday, 1000))
    assert engine.result == expected_before


def test_unusable_fixes_are_no_departure() -> None:
    engine = commuting_engine(1)
    count = len(engine.model.departures)
    when = local(MONDAY + timedelta(weeks=1), 600)
    engine.update(state(when, 0.0), when)
    bad = [
        Position(latitude=float("nan"), longitude=HOME.longitude, accuracy=10.0),
        Position(latitude=HOME.latitude, longitude=float("inf"), accuracy=10.0),
        Position(latitude=95.0, longitude=HOME.longitude, accuracy=10.0),
        Position(latitude=0.0, longitude=0.0, accuracy=10.0),
        Position(latitude=HOME.latitude + 0.1, longitude=HOME.longitude, accuracy=5000.0),
    ]
    for i, position in enumerate(bad, start=1):
        at = when + timedelta(minutes=i)
        engine.update(VehicleState(timestamp=at, position=position), at)
    # A far fix delivered late (older than the last one) is no departure either.
    engine.update(state(when - timedelta(minutes=5), 3.0), when + timedelta(minutes=9))
    assert len(engine.model.departures) == count
    assert engine.at_home is True


def test_it_follows_the_home_decision_it_is_given() -> None:
    decision: list[bool | None] = [None]
    engine = DepartureEngine(TZ, at_home=lambda: decision[0])
    engine.set_home(HOME)
    day = MONDAY
    for minute, home in ((400, True), (450, False), (1000, True)):
        decision[0] = home
        engine.update(state(local(day, minute), 0.0), local(day, minute))
    (departure,) = engine.model.departures
    assert departure.at == local(day, 450)
    assert departure.trip_min == 550.0
