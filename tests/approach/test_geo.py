"""Geodesy agrees with Home Assistant's own distance."""

from __future__ import annotations

import math
import random

import pytest

from custom_components.car_bridge.approach.geo import (
    bearing_deg,
    destination_point,
    ellipsoid_distance,
    great_circle_distance,
    local_offset_m,
    offset_point,
)
from homeassistant.util.location import distance as ha_distance


def test_agrees_with_home_assistant_within_a_metre() -> None:
    rng = random.Random(1)
    for _ in range(500):
        lat1, lon1 = rng.uniform(-80, 80), rng.uniform(-180, 180)
        lat2 = lat1 + rng.uniform(-1, 1)
        lon2 = lon1 + rng.uniform(-1, 1)
        expected = ha_distance(lat1, lon1, lat2, lon2)
        assert expected is not None
        assert ellipsoid_distance(lat1, lon1, lat2, lon2) == pytest.approx(expected, abs=1.0)


def test_coincident_and_antipodal() -> None:
    assert ellipsoid_distance(10, 20, 10, 20) == 0
    far = ellipsoid_distance(0, 0, 0.5, 179.7)
    assert far == pytest.approx(great_circle_distance(0, 0, 0.5, 179.7), rel=0.01)


def test_local_offset_and_offset_point_invert() -> None:
    lat, lon = offset_point(52.0, 5.0, 120.0, -80.0)
    north, east = local_offset_m(52.0, 5.0, lat, lon)
    assert north == pytest.approx(120.0, abs=0.05)
    assert east == pytest.approx(-80.0, abs=0.05)
    assert math.hypot(north, east) == pytest.approx(ellipsoid_distance(52, 5, lat, lon), abs=0.5)


def test_destination_point_and_bearing() -> None:
    lat, lon = destination_point(52.0, 5.0, 45.0, 8000.0)
    assert great_circle_distance(52.0, 5.0, lat, lon) == pytest.approx(8000.0, abs=0.01)
    assert bearing_deg(52.0, 5.0, lat, lon) == pytest.approx(45.0, abs=0.01)
