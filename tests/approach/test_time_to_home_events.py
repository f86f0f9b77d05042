"""The engine's own time-to-home events: once per crossing of each watched minutes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    ApproachEvent,
    Direction,
    EventType,
    Fix,
    Home,
)
from custom_components.car_bridge.approach.geo import destination_point

HOME = Home(52.3676, 4.9041, 100.0)
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def fix_at(km: float, speed: float | None = None, heading: float | None = None) -> Fix:
    lat, lon = destination_point(HOME.latitude, HOME.longitude, 90.0, km * 1000)
    return Fix(latitude=lat, longitude=lon, accuracy=5.0, speed=speed, heading=heading)


class Drive:
    """Feeds one fix a second; keeps the time-to-home events and the shown estimates."""

    def __init__(self, engine: ApproachEngine) -> None:
        self.engine = engine
        self.now = T0
        self.km = 0.0
        self.events: list[ApproachEvent] = []
        self.etas: list[int | None] = []

    def feed(self, fix: Fix) -> None:
        self.now += timedelta(seconds=1)
        events = self.engine.update(fix, self.now)
        self.events += [e for e in events if e.type is EventType.TIME_TO_HOME_BELOW]
        assert self.engine.state is not None
        self.etas.append(self.engine.state.time_to_home_min)

    def to(self, km: float, kmh: float = 50.0) -> None:
        step = kmh / 3.6 / 1000
        sign = 1 if km > self.km else -1
        while abs(km - self.km) > step:
            self.km += sign * step
            self.feed(fix_at(self.km))
        self.km = km
        self.feed(fix_at(km))

    def wait(self, seconds: int) -> None:
        for _ in range(seconds):
            self.feed(fix_at(self.km))

    @property
    def minutes(self) -> list[float | None]:
        return [e.minutes for e in self.events]


def start(km: float, *minutes: float, extra: tuple[float, ...] = ()) -> Drive:
    engine = ApproachEngine(ApproachConfig(time_to_home_minutes=minutes), HOME)
    engine.set_extra_minutes(extra)
    drive = Drive(engine)
    drive.km = km
    drive.feed(fix_at(km))
    return drive


def test_each_minutes_fires_once_as_time_to_home_drops_through_it() -> None:
    drive = start(20.0, 10.0, extra=(5.0, 5.5))
    drive.to(0.0)
    assert drive.minutes == [10.0, 5.5, 5.0]
    for event in drive.events:
        assert event.distance_km > 0
    # Each fired the first time the shown estimate was within its minutes.
    etas = [e for e in drive.etas if e is not None]
    assert etas[0] > 10
    assert drive.engine.time_to_home_minutes == [5.0, 5.5, 10.0]


def test_the_event_carries_the_distance_where_it_fired() -> None:
    drive = start(12.0, 5.0)
    drive.to(0.0)
    (event,) = drive.events
    # 5 minutes at 50 km/h is about 4.2 km.
    assert 3.5 < event.distance_km + HOME.radius / 1000 < 5.0


def test_a_stop_at_a_light_does_not_fire_again() -> None:
    drive = start(10.0, 5.0)
    drive.to(3.0)
    assert drive.minutes == [5.0]
    drive.wait(300)  # stationary: no estimate for a while
    assert drive.engine.state is not None
    assert drive.engine.state.direction is Direction.STATIONARY
    drive.to(0.0)
    assert drive.minutes == [5.0]


def test_turning_away_re_arms_and_the_next_approach_fires_again() -> None:
    drive = start(10.0, 5.0)
    drive.to(3.0)
    drive.to(4.0)  # turned back for a moment
    drive.to(2.0)
    assert drive.minutes == [5.0, 5.0]


def test_arriving_home_re_arms() -> None:
    drive = start(10.0, 5.0)
    drive.to(0.0)
    drive.wait(60)
    drive.to(10.0)
    drive.to(0.0)
    assert drive.minutes == [5.0, 5.0]


def test_no_event_while_driving_away() -> None:
    drive = start(0.0, 5.0, 10.0)
    drive.to(15.0)
    assert drive.events == []


def test_a_minutes_already_crossed_when_added_waits_for_the_next_approach() -> None:
    drive = start(10.0)
    drive.to(3.0)
    drive.engine.set_extra_minutes([5.0])
    drive.to(0.0)
    assert drive.events == []


def test_a_restart_mid_approach_fires_nothing_extra() -> None:
    drive = start(20.0, 10.0, extra=(5.0,))
    drive.to(6.0)
    assert drive.minutes == [10.0]
    saved = drive.engine.as_dict()
    assert saved is not None
    assert saved["time_to_home"] == {"10.0": False, "5.0": True}
    # The triggers ask again only after the restore: their arms are the saved ones.
    restored = ApproachEngine(ApproachConfig(time_to_home_minutes=(10.0,)), HOME)
    restored.restore(saved)
    restored.set_extra_minutes([5.0])
    drive.engine = restored
    drive.to(0.0)
    assert drive.minutes == [10.0, 5.0]


def test_minutes_asked_for_before_the_restore_take_the_saved_arms() -> None:
    drive = start(20.0, extra=(10.0,))
    drive.to(6.0)
    saved = drive.engine.as_dict()
    restored = ApproachEngine(ApproachConfig(), HOME)
    restored.set_extra_minutes([10.0])
    restored.restore(saved)
    drive.engine = restored
    drive.to(0.0)
    assert drive.minutes == [10.0]


def test_a_save_without_minute_arms_still_restores() -> None:
    drive = start(20.0, 5.0)
    drive.to(10.0)
    saved = drive.engine.as_dict()
    assert saved is not None
    del saved["time_to_home"]
    restored = ApproachEngine(ApproachConfig(time_to_home_minutes=(5.0,)), HOME)
    restored.restore(saved)
    drive.engine = restored
    drive.to(0.0)
    assert drive.minutes == [5.0]


def test_removing_a_minutes_stops_its_events() -> None:
    drive = start(20.0, extra=(5.0,))
    drive.to(8.0)
    drive.engine.set_extra_minutes([])
    drive.to(0.0)
    assert drive.events == []
    assert drive.engine.time_to_home_minutes == []


def test_dense_thresholds_and_minutes_each_fire_once_with_reported_speed() -> None:
    """Defect 13: events every 50 m re-anchored the direction, so it stayed 'stationary'."""
    engine = ApproachEngine(
        ApproachConfig(
            thresholds_km=tuple(round(0.05 * k, 2) for k in range(1, 200)),
            time_to_home_minutes=(5.0, 5.01, 5.5, 8.0),
        ),
        HOME,
    )
    crossed: list[float | None] = []
    minutes: list[float | None] = []
    now, km = T0, 10.0
    while km > 0.3:
        km -= 50 / 3.6 / 1000
        now += timedelta(seconds=1)
        for event in engine.update(fix_at(km, speed=50.0, heading=270.0), now):
            if event.type is EventType.APPROACHING:
                crossed.append(event.threshold_km)
            elif event.type is EventType.TIME_TO_HOME_BELOW:
                minutes.append(event.minutes)
    assert minutes == [8.0, 5.5, 5.01, 5.0]
    # Every threshold the car started beyond, once, in order.
    # Every threshold between the start (9.9 km from the edge) and the end
    # (0.2 km), once, in order.
    assert crossed == [round(0.05 * k, 2) for k in range(198, 3, -1)]
    assert engine.state is not None
    assert engine.state.direction is Direction.TOWARDS
