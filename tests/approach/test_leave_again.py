"""A car that drove home must be able to leave again (found by issue 19's acceptance test).

Since the plausibility gate's glitch and confirmation changes, the first
departure is seen but, once the car has arrived home by driving, every fix of
the next morning's departure is held back for ever: ``at_home`` stays true,
no ``left_home`` fires, and learned departures stop after the first.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    EventType,
    Fix,
    Home,
)
from custom_components.car_bridge.approach.geo import offset_point

HOME = Home(52.3676, 4.9041, 100.0)


def fix(engine: ApproachEngine, km: float, at: datetime, east_m: float = 0.0) -> list[str]:
    lat, lon = offset_point(HOME.latitude, HOME.longitude, km * 1000, east_m)
    return [
        e.type.value for e in engine.update(Fix(latitude=lat, longitude=lon, accuracy=10.0), at)
    ]


@pytest.mark.xfail(strict=True, reason="the gate holds back every fix of the second departure")
def test_a_car_that_drove_home_leaves_again_the_next_morning() -> None:
    engine = ApproachEngine(ApproachConfig(), HOME)
    start = datetime(2026, 9, 7, 4, 50, tzinfo=UTC)
    fix(engine, 0.0, start)
    events: list[str] = []
    for day in range(2):
        leave = start + timedelta(days=day, minutes=40)
        for i, km in enumerate((0.5, 1.0, 2.0, 3.0)):
            events += fix(engine, km, leave + timedelta(minutes=i))
        back = leave + timedelta(hours=9)
        for i, km in enumerate((3.0, 2.0, 1.0, 0.5, 0.2, 0.05, 0.0)):
            events += fix(engine, km, back + timedelta(minutes=i), 5.0 * (i % 2))
    assert events.count(EventType.LEFT_HOME.value) == 2
    assert events.count(EventType.ARRIVED_HOME.value) == 2
