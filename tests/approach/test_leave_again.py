"""A car that drove home leaves again the next morning (issue 19 learns from every departure).

Real fixes never repeat an earlier position to the last digit; the gate takes
such an exact repeat for a stale fix delivered again. Day after day the
commute's fixes here differ by a few metres, as real ones do.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    EventType,
    Fix,
    Home,
)
from custom_components.car_bridge.approach.geo import offset_point

HOME = Home(52.3676, 4.9041, 100.0)


def fix(engine: ApproachEngine, km: float, at: datetime, east_m: float) -> list[str]:
    lat, lon = offset_point(HOME.latitude, HOME.longitude, km * 1000, east_m)
    return [
        e.type.value for e in engine.update(Fix(latitude=lat, longitude=lon, accuracy=10.0), at)
    ]


def test_a_car_that_drove_home_leaves_again_every_morning() -> None:
    engine = ApproachEngine(ApproachConfig(), HOME)
    start = datetime(2026, 9, 7, 4, 50, tzinfo=UTC)
    fix(engine, 0.0, start, 0.0)
    events: list[str] = []
    for day in range(3):
        leave = start + timedelta(days=day, minutes=40)
        for i, km in enumerate((0.5, 1.0, 2.0, 3.0)):
            events += fix(engine, km, leave + timedelta(minutes=i), 3.0 * day + 1)
        back = leave + timedelta(hours=9)
        for i, km in enumerate((3.0, 2.0, 1.0, 0.5, 0.2, 0.05, 0.0)):
            events += fix(engine, km, back + timedelta(minutes=i), 3.0 * day + 2 + i % 2)
    assert events.count(EventType.LEFT_HOME.value) == 3
    assert events.count(EventType.ARRIVED_HOME.value) == 3
