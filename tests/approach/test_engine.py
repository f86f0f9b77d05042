"""The approach engine on its own: filter, direction, time to home, crossings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import random

import pytest

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    Direction,
    EventType,
    Fix,
    Home,
)
from custom_components.car_bridge.approach.geo import destination_point, offset_point
from homeassistant.util.location import distance as ha_distance

HOME = Home(52.3676, 4.9041, 100.0)
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def fix_at(km_from_centre: float, bearing: float = 90.0, accuracy: float = 5.0) -> Fix:
    lat, lon = destination_point(HOME.latitude, HOME.longitude, bearing, km_from_centre * 1000)
    return Fix(latitude=lat, longitude=lon, accuracy=accuracy)


def noisy(fix: Fix, rng: random.Random, sigma: float) -> Fix:
    lat, lon = offset_point(fix.latitude, fix.longitude, rng.gauss(0, sigma), rng.gauss(0, sigma))
    return Fix(latitude=lat, longitude=lon, accuracy=1.5 * sigma)


class Feed:
    """Feeds fixes one second apart and collects events."""

    def __init__(self, engine: ApproachEngine) -> None:
        self.engine = engine
        self.now = T0
        self.events: list[tuple[EventType, float | None]] = []
        self.directions: list[Direction] = []

    def __call__(self, fix: Fix) -> None:
        self.now += timedelta(seconds=1)
        for event in self.engine.update(fix, self.now):
            self.events.append((event.type, event.threshold_km))
        state = self.engine.state
        assert state is not None
        if not self.directions or self.directions[-1] is not state.direction:
            self.directions.append(state.direction)

    def drive(self, start_km: float, end_km: float, kmh: float = 50.0, sigma: float = 0.0) -> None:
        rng = random.Random(3)
        step = kmh / 3.6 / 1000
        n = int(abs(end_km - start_km) / step)
        sign = 1 if end_km > start_km else -1
        for i in range(n + 1):
            fix = fix_at(start_km + sign * i * step)
            self(noisy(fix, rng, sigma) if sigma else fix)
        self(fix_at(end_km))


def engine(**config: object) -> ApproachEngine:
    return ApproachEngine(ApproachConfig(**config), HOME)  # type: ignore[arg-type]


def test_distance_matches_proximity_definition() -> None:
    eng = engine()
    fix = fix_at(3.0, bearing=33)
    eng.update(fix, T0)
    assert eng.state is not None
    expected = ha_distance(fix.latitude, fix.longitude, HOME.latitude, HOME.longitude)
    assert expected is not None
    assert eng.state.distance_m == pytest.approx(expected - HOME.radius, abs=1.0)
    inside = engine()
    inside.update(fix_at(0.05), T0)
    assert inside.state is not None
    assert inside.state.distance_m == 0
    assert inside.state.at_home


def test_first_fix_initialises_silently() -> None:
    feed = Feed(engine())
    feed(fix_at(0.0))
    assert feed.events == []
    assert feed.directions == [Direction.ARRIVED]


def test_drive_home_fires_each_crossing_once_and_arrives() -> None:
    feed = Feed(engine())
    feed.drive(8.0, 0.0, sigma=25.0)
    assert sorted(feed.events, key=str) == sorted(
        [
            (EventType.APPROACHING, 5.0),
            (EventType.APPROACHING, 1.0),
            (EventType.ARRIVED_HOME, None),
        ],
        key=str,
    )
    assert feed.directions == [Direction.STATIONARY, Direction.TOWARDS, Direction.ARRIVED]


def test_drive_away_fires_left_home_and_leaving() -> None:
    feed = Feed(engine())
    feed(fix_at(0.0))
    feed.drive(0.0, 8.0)
    assert sorted(feed.events, key=str) == sorted(
        [(EventType.LEFT_HOME, None), (EventType.LEAVING, 1.0), (EventType.LEAVING, 5.0)],
        key=str,
    )
    assert Direction.AWAY_FROM in feed.directions


def test_parked_on_the_ring_with_noise_is_still() -> None:
    feed = Feed(engine())
    ring = fix_at(5.1)
    rng = random.Random(9)
    for _ in range(1800):
        feed(noisy(ring, rng, 30.0))
    assert feed.events == []
    assert len(feed.directions) == 1


def test_crossing_rearms_only_beyond_hysteresis() -> None:
    feed = Feed(engine(thresholds_km=(5.0,), hysteresis_m=200.0))
    feed(fix_at(6.0))
    feed.drive(6.0, 4.8)
    feed.drive(4.8, 5.25)  # beyond 5 km but within threshold + hysteresis: no re-arm
    feed.drive(5.25, 4.8)
    assert feed.events.count((EventType.APPROACHING, 5.0)) == 1
    feed.drive(4.8, 5.5)  # beyond 5.2 km: re-armed
    feed.drive(5.5, 4.8)
    assert feed.events.count((EventType.APPROACHING, 5.0)) == 2


def test_time_to_home_only_towards_home() -> None:
    feed = Feed(engine())
    feed(fix_at(8.0))
    assert feed.engine.state is not None
    assert feed.engine.state.time_to_home_min is None
    feed.drive(8.0, 5.0)
    state = feed.engine.state
    assert state is not None
    assert state.direction is Direction.TOWARDS
    assert state.time_to_home_min == pytest.approx(4.9 / 50 * 60, abs=1)
    # parked: becomes stationary after a while, and the estimate goes away
    for _ in range(200):
        feed(fix_at(5.0))
    state = feed.engine.state
    assert state is not None
    assert state.direction is Direction.STATIONARY
    assert state.time_to_home_min is None


@pytest.mark.parametrize("report_speed", [True, False])
def test_time_to_home_after_an_hour_parked_is_the_drives_own(report_speed: bool) -> None:
    """The first interval of a trip reaches back to where the car stood: it says no speed.

    The last fix an hour ago, 9 km out (the tracker slept through the start
    of the trip), then one fix a second home at 50 km/h: the time to home at
    5 km is about 6 minutes, not the hour's near-zero closing speed (which
    showed hours and fired a 3-minute trigger under 1 km out).
    """
    eng = engine()
    eng.update(fix_at(9.0), T0)
    start = T0 + timedelta(hours=1)
    step = 50 / 3.6
    for i in range(int(3000 / step) + 1):
        km = 8.0 - i * step / 1000
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 90.0, km * 1000)
        fix = Fix(
            latitude=lat,
            longitude=lon,
            accuracy=5.0,
            speed=50.0 if report_speed else None,
            heading=270.0 if report_speed else None,
        )
        eng.update(fix, start + timedelta(seconds=i))
    state = eng.state
    assert state is not None
    assert state.direction is Direction.TOWARDS
    assert state.time_to_home_min == pytest.approx(4.9 / 50 * 60, abs=1)


def test_time_to_home_at_slow_sampling_counts_the_stops_between_fixes() -> None:
    """Fixes two minutes apart, each saying 50 km/h, on a road with lights.

    The car covers 1.2 km every two minutes (a minute at a red light each
    time): the time between fixes says so, the speed of one instant does not.
    """
    eng = engine()
    eng.update(fix_at(10.0), T0)
    for i in range(1, 6):
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 90.0, (10.0 - 1.2 * i) * 1000)
        fix = Fix(latitude=lat, longitude=lon, accuracy=5.0, speed=50.0, heading=270.0)
        eng.update(fix, T0 + timedelta(seconds=5 + 120 * i))
    state = eng.state
    assert state is not None
    assert state.direction is Direction.TOWARDS
    # 3.9 km from the edge at 1.2 km per 2 min: 6.5 minutes (at 50 km/h: 4.7).
    assert state.time_to_home_min in (6, 7)


def test_time_to_home_ignores_the_same_position_delivered_again() -> None:
    """A phone re-delivers its last fix with a new time: no news, not a standstill."""
    eng, twin = engine(), engine()  # the twin gets no re-delivery
    for e in (eng, twin):
        e.update(fix_at(12.0), T0)
    at = T0
    for i in range(1, 6):
        at = T0 + timedelta(seconds=60 * i)
        for e in (eng, twin):
            e.update(fix_at(12.0 - 0.8 * i), at)
    before = eng.state
    assert before is not None
    assert before.time_to_home_min is not None
    eng.update(fix_at(12.0 - 0.8 * 5), at + timedelta(seconds=30))
    after = eng.state
    assert after is not None
    assert after.direction is Direction.TOWARDS
    assert after.time_to_home_min == before.time_to_home_min
    # The next fix's move took the whole minute since the position was new.
    # (The gate takes the repeat for a standstill and waits for a second fix
    # after the move: it then takes both.)
    for e in (eng, twin):
        e.update(fix_at(12.0 - 0.8 * 6), at + timedelta(seconds=60))
        e.update(fix_at(12.0 - 0.8 * 7), at + timedelta(seconds=120))
    assert eng.state is not None
    assert twin.state is not None
    assert eng.state.time_to_home_min == twin.state.time_to_home_min


def test_a_glitch_right_after_a_parked_position_repeats_is_held() -> None:
    """A cloud API repeats a parked car's position exactly: that is a standstill.

    The car drives in at 15 m/s, stops at 5.3 km (one exact repeat), then a
    glitch 700 m closer arrives: it must not fire `approaching` 5 km.
    """
    eng = engine()
    at = T0
    for i in range(7):
        at = T0 + timedelta(seconds=30 * i)
        eng.update(fix_at(8.0 - i * 0.45, bearing=90.0, accuracy=20.0), at)
    parked = fix_at(8.0 - 6 * 0.45, bearing=90.0, accuracy=20.0)
    fired = eng.update(parked, at + timedelta(seconds=30))
    fired += eng.update(fix_at(4.6, bearing=95.0, accuracy=20.0), at + timedelta(seconds=60))
    fired += eng.update(parked, at + timedelta(seconds=90))
    assert [e.type for e in fired] == []
    assert eng.state is not None
    assert eng.state.distance_m > 5000


def test_at_home_edge_with_noise_never_changes() -> None:
    feed = Feed(engine())
    edge = fix_at(0.1)
    rng = random.Random(4)
    homes = []
    for _ in range(1800):
        feed(noisy(edge, rng, 30.0))
        assert feed.engine.state is not None
        if not homes or homes[-1] != feed.engine.state.at_home:
            homes.append(feed.engine.state.at_home)
    assert len(homes) == 1
    assert feed.events == []


def test_inaccurate_fixes_never_move_it() -> None:
    feed = Feed(engine(max_accuracy_m=100.0))
    feed(fix_at(3.0))
    feed(fix_at(0.0, accuracy=500.0))
    assert feed.engine.state is not None
    assert feed.engine.state.distance_m > 2800
    assert feed.events == []


def test_restore_is_not_an_arrival() -> None:
    first = engine()
    first.update(fix_at(0.0), T0)
    saved = first.as_dict()
    assert saved is not None
    second = engine()
    second.restore(saved)
    assert second.update(fix_at(0.02), T0) == []
    assert second.state is not None
    assert second.state.at_home


def test_extra_thresholds_and_new_home() -> None:
    feed = Feed(engine(thresholds_km=(5.0,)))
    assert feed.engine.as_dict() is None
    feed(fix_at(4.0))
    feed.engine.set_extra_thresholds([3.0])
    assert feed.engine.thresholds_km == [3.0, 5.0]
    feed.drive(4.0, 2.5)
    assert feed.events == [(EventType.APPROACHING, 3.0)]
    feed.engine.set_extra_thresholds([])
    assert feed.engine.thresholds_km == [5.0]
    feed.engine.set_home(HOME)  # unchanged: nothing happens
    moved = Home(HOME.latitude + 0.1, HOME.longitude, 100.0)
    feed.engine.set_home(moved)
    assert feed.engine.state is not None
    assert feed.engine.state.distance_m > 8000
    assert feed.engine.home == moved


def _slow_arrival(engine: ApproachEngine) -> datetime:
    """A phone's fixes of a car coming home at 17 m/s, the last one slowed to a stop.

    Return the time of the last fix: 95 m from the centre, its accuracy circle
    not yet inside the 100 m zone, after 112 s of silence.
    """
    now = T0
    for km in (3.0, 2.5, 2.0, 1.5, 1.0, 0.5, 0.38):
        now += timedelta(seconds=30)
        engine.update(fix_at(km, accuracy=20.0), now)
    now += timedelta(seconds=112)
    engine.update(fix_at(0.095, bearing=60.0, accuracy=20.0), now)
    return now


def test_a_lone_glitch_after_a_slow_arrival_and_a_long_silence_moves_nothing() -> None:
    engine = ApproachEngine(ApproachConfig(thresholds_km=(5.0, 1.0)), HOME)
    now = _slow_arrival(engine)
    # Six silent minutes, then one fix 2.2 km away (possible for a car, at 6 m/s),
    # then the phone is back at home.
    events = engine.update(fix_at(2.2, bearing=200.0, accuracy=20.0), now + timedelta(seconds=350))
    assert events == []
    assert engine.state is not None
    assert engine.state.distance_m < 100
    later = [
        e.type
        for s in (377, 400, 430, 460)
        for e in engine.update(fix_at(0.01, accuracy=10.0), now + timedelta(seconds=s))
    ]
    assert EventType.LEAVING not in later
    assert EventType.LEFT_HOME not in later


def test_a_real_drive_after_a_slow_arrival_and_a_long_silence_leaves_one_fix_later() -> None:
    engine = ApproachEngine(ApproachConfig(thresholds_km=(5.0, 1.0)), HOME)
    now = _slow_arrival(engine)
    assert engine.update(fix_at(2.2, bearing=200.0), now + timedelta(seconds=350)) == []
    events = engine.update(fix_at(2.6, bearing=200.0), now + timedelta(seconds=380))
    assert [(e.type, e.threshold_km) for e in events] == [(EventType.LEAVING, 1.0)]


def test_a_car_crawling_in_traffic_reported_each_minute_is_not_held_back() -> None:
    """3 m/s (stop-and-go), a fix a minute, no speed: each fix is taken as it comes."""
    engine = ApproachEngine(ApproachConfig(thresholds_km=(5.0, 1.0)), HOME)
    now, fired_at = T0, None
    for i in range(12):
        now += timedelta(seconds=60)
        km = 5.6 - i * 0.18
        if engine.update(fix_at(km, accuracy=10.0), now) and fired_at is None:
            fired_at = km
    # The first fix inside the ring (5.06 km from the centre: 4.96 km from the
    # 100 m zone's edge) fires it, not the one after.
    assert fired_at == pytest.approx(5.06)
    assert engine.state is not None
    # ... and the distance shown keeps up, within one move of the last fix.
    last_edge = (5.6 - 11 * 0.18) * 1000 - HOME.radius
    assert last_edge <= engine.state.distance_m <= last_edge + 200
