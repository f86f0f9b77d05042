"""The approach engine as one Engine: vehicle states in, conclusions out."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
from typing import Any

from custom_components.car_bridge.approach.as_engine import ApproachAsEngine
from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    ApproachEvent,
    FixLike,
    Home,
)
from custom_components.car_bridge.vehicle.engines import Engine
from custom_components.car_bridge.vehicle.model import Position, Value, VehicleState

from .traces import HOME, T0, Drive, drive_home


class CountingEngine(ApproachEngine):
    """The real engine, counting the fixes it is given."""

    def __init__(self, config: ApproachConfig, home: Home) -> None:
        super().__init__(config, home)
        self.fed: list[datetime] = []

    def update(self, fix: FixLike, now: datetime) -> list[ApproachEvent]:
        self.fed.append(now)
        return super().update(fix, now)


def _states(**drive: Any) -> list[VehicleState]:
    return [
        VehicleState(
            timestamp=now,
            fix_time=now,
            position=Position(
                latitude=fix.latitude,
                longitude=fix.longitude,
                accuracy=fix.accuracy,
                speed=fix.speed,
                heading=fix.heading,
            ),
        )
        for now, fix, _ in drive_home(Drive(**drive))
    ]


def test_is_an_engine_and_a_drive_concludes_each_crossing_once() -> None:
    approach = ApproachAsEngine(ApproachEngine(ApproachConfig(), HOME))
    engine: Engine = approach  # the protocol the coordinator feeds
    assert engine.key == "approach"
    assert engine.result is None
    approach.set_requests([3.0], [2.0])
    conclusions = [c for s in _states() for c in engine.update(s, s.timestamp)]
    assert [(c.type, c.data.get("threshold_km"), c.data.get("minutes")) for c in conclusions] == [
        ("approaching", 5.0, None),
        ("approaching", 3.0, None),
        ("time_to_home_below", None, 2.0),
        ("approaching", 1.0, None),
        ("arrived_home", None, None),
    ]
    eta = conclusions[2].data
    assert eta["time_to_home"] <= 2
    assert eta["distance_km"] > 1
    assert engine.result is not None
    assert engine.result.at_home
    assert engine.tick(T0) == []


def test_a_non_position_update_does_not_re_feed_the_old_fix() -> None:
    counting = CountingEngine(ApproachConfig(), HOME)
    approach = ApproachAsEngine(counting)
    states = _states()[:60]
    for state in states:
        approach.update(state, state.timestamp)
    assert len(counting.fed) == 60
    last = states[-1]
    # a battery reading 5 s later: the same fix, a later state
    battery = replace(last, timestamp=last.timestamp + timedelta(seconds=5), battery_level=70.0)
    assert approach.update(battery, battery.timestamp) == []
    assert len(counting.fed) == 60
    # a new fix is fed again
    moved = replace(states[0], timestamp=battery.timestamp, fix_time=battery.timestamp)
    approach.update(moved, moved.timestamp)
    assert len(counting.fed) == 61


def test_first_fix_and_a_fix_back_from_unavailable_conclude_nothing() -> None:
    approach = ApproachAsEngine(ApproachEngine(ApproachConfig(), HOME))
    states = _states()
    start = next(i for i, s in enumerate(states) if s.position and s.position.latitude)
    assert approach.update(states[start], states[start].timestamp) == []
    # the position goes unavailable, then comes back already past two thresholds
    gone = replace(states[start + 1], position=None, unavailable=frozenset({Value.POSITION}))
    assert approach.update(gone, gone.timestamp) == []
    near = next(s for s in states if approach_distance(s) < 900)
    assert approach.update(near, near.timestamp) == []
    assert approach.result is not None
    assert approach.result.distance_m < 1000


def approach_distance(state: VehicleState) -> float:
    from custom_components.car_bridge.approach.geo import ellipsoid_distance  # noqa: PLC0415

    assert state.position is not None
    return ellipsoid_distance(
        state.position.latitude, state.position.longitude, HOME.latitude, HOME.longitude
    )


def test_restore_keeps_what_is_sound_and_names_the_rest() -> None:
    source = ApproachAsEngine(ApproachEngine(ApproachConfig(), HOME))
    for state in _states()[:100]:
        source.update(state, state.timestamp)
    saved = source.as_dict()
    assert saved is not None

    restored = ApproachAsEngine(ApproachEngine(ApproachConfig(), HOME))
    assert restored.restore(saved) == []
    assert restored.result == source.result
    assert restored.restore({**saved, "speed": "fast"}) == ["approach speed"]
    assert restored.restore([1]) == ["approach"]
    assert restored.restore(None) == ["approach"]
    fresh = ApproachAsEngine(ApproachEngine(ApproachConfig(), HOME))
    assert fresh.as_dict() is None


def test_a_deleted_home_is_never_reached() -> None:
    approach = ApproachAsEngine(ApproachEngine(ApproachConfig(), HOME))
    approach.set_home(None)
    conclusions = [c for s in _states() for c in approach.update(s, s.timestamp)]
    assert "arrived_home" not in [c.type for c in conclusions]
    assert approach.result is not None
    assert not approach.result.at_home
