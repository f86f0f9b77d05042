"""The mirror's fix time: the tracker's own where it says, else when Home Assistant got it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from custom_components.car_bridge.sources.mirror_read import fix_time
from homeassistant.core import State

RECEIVED = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def _state(**attributes: Any) -> State:
    return State("device_tracker.phone", "not_home", attributes, last_updated=RECEIVED)


@pytest.mark.parametrize(
    ("attributes", "expected"),
    [
        ({}, RECEIVED),
        (
            {"fix_time": (RECEIVED - timedelta(minutes=3)).isoformat()},
            RECEIVED - timedelta(minutes=3),
        ),
        ({"gps_time": RECEIVED - timedelta(seconds=20)}, RECEIVED - timedelta(seconds=20)),
        ({"tst": (RECEIVED - timedelta(seconds=90)).timestamp()}, RECEIVED - timedelta(seconds=90)),
        ({"timestamp": "2026-11-25T07:59:00"}, RECEIVED - timedelta(minutes=1)),  # naive: UTC
        ({"last_seen": (RECEIVED + timedelta(minutes=5)).isoformat()}, RECEIVED),  # clock ahead
        ({"fix_time": "yesterday", "gps_time": True, "tst": float("nan")}, RECEIVED),
        ({"timestamp": (RECEIVED + timedelta(seconds=30)).isoformat()}, RECEIVED),  # a little ahead
    ],
)
def test_fix_time(attributes: dict[str, Any], expected: datetime) -> None:
    assert fix_time(_state(**attributes)) == expected
