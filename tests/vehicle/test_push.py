"""The pushed vehicle's pure core: merging partial updates, ordering, persistence."""

from __future__ import annotations

from datetime import timedelta

import pytest

from custom_components.car_bridge.vehicle.formats import (
    PayloadEncoding,
    PayloadFormat,
    TelemetryUpdate,
)
from custom_components.car_bridge.vehicle.model import ChargeState, Position
from custom_components.car_bridge.vehicle.push import PushVehicle

from .payloads import NOW


def update(**values: object) -> TelemetryUpdate:
    return TelemetryUpdate(
        format=PayloadFormat.CAR_BRIDGE,
        encoding=PayloadEncoding.JSON,
        **values,  # type: ignore[arg-type]
    )


def test_starts_unknown() -> None:
    car = PushVehicle(NOW)
    assert car.state.position is None
    assert car.state.battery_level is None
    assert car.state.connected is None
    assert car.last_received is None


def test_partial_updates_merge() -> None:
    car = PushVehicle(NOW)
    assert car.apply(update(latitude=52.0, longitude=4.0, speed=30.0, heading=90.0), NOW)
    assert car.apply(
        update(battery_level=70.0, charge_state="charging"), NOW + timedelta(seconds=1)
    )
    state = car.state
    assert state.position == Position(latitude=52.0, longitude=4.0, speed=30.0, heading=90.0)
    assert state.battery_level == 70
    assert state.charge_state is ChargeState.CHARGING
    assert state.connected is True
    # Speed without a fix moves nothing but updates the speed.
    assert car.apply(update(speed=0.0), NOW + timedelta(seconds=2))
    assert car.state.position == Position(latitude=52.0, longitude=4.0, speed=0.0, heading=90.0)
    assert car.state.timestamp == NOW + timedelta(seconds=2)


def test_an_update_stamped_before_the_last_is_ignored() -> None:
    car = PushVehicle(NOW)
    assert car.apply(update(battery_level=50.0, timestamp=NOW), NOW)
    assert not car.apply(update(battery_level=40.0, timestamp=NOW - timedelta(seconds=1)), NOW)
    assert car.state.battery_level == 50
    # The same second is not older (ABRP stamps whole seconds).
    assert car.apply(update(battery_level=49.0, timestamp=NOW), NOW)
    assert car.state.battery_level == 49


def test_disconnect_keeps_values() -> None:
    car = PushVehicle(NOW)
    car.apply(update(battery_level=50.0), NOW)
    car.set_connected(False)
    assert car.state.connected is False
    assert car.state.battery_level == 50


def test_saved_and_restored() -> None:
    car = PushVehicle(NOW)
    car.apply(
        update(
            latitude=52.0,
            longitude=4.0,
            accuracy=5.0,
            battery_level=61.0,
            locked=True,
            charge_state="complete",
        ),
        NOW,
    )
    again = PushVehicle(NOW + timedelta(hours=1), car.as_dict())
    assert again.state.position == car.state.position
    assert again.state.battery_level == 61
    assert again.state.locked is True
    assert again.state.charge_state is ChargeState.COMPLETE
    assert again.state.timestamp == car.state.timestamp
    assert again.last_received == NOW
    empty = PushVehicle(NOW, PushVehicle(NOW).as_dict())
    assert empty.state.position is None


@pytest.mark.parametrize(
    ("saved", "discarded"),
    [
        ({"position": None}, ["timestamp"]),
        ({"timestamp": "yesterday"}, ["timestamp"]),
        ({"timestamp": NOW.isoformat(), "locked": "yes"}, ["locked"]),
        ({"timestamp": NOW.isoformat(), "battery_level": "x"}, ["battery_level"]),
        ({"timestamp": NOW.isoformat(), "battery_level": 990.0}, ["battery_level"]),
        ({"timestamp": NOW.isoformat(), "odometer": -5.0}, ["odometer"]),
        ({"timestamp": NOW.isoformat(), "charge_state": "sideways"}, ["charge_state"]),
        ({"timestamp": NOW.isoformat(), "position": {"latitude": 1}}, ["position"]),
        (
            {
                "timestamp": NOW.isoformat(),
                "position": {"latitude": 1.0, "longitude": 2.0, "accuracy": -5.0},
            },
            ["position.accuracy"],
        ),
        ({"timestamp": "2099-01-01T00:00:00+00:00"}, ["timestamp"]),
        ({"timestamp": NOW.isoformat(), "odometer": 1e308}, ["odometer"]),
        ({"timestamp": NOW.isoformat(), "battery_level": True}, ["battery_level"]),
        ({"timestamp": NOW.isoformat(), "range_km": float("nan")}, ["range_km"]),
        (
            {
                "timestamp": NOW.isoformat(),
                "position": {"latitude": 1.0, "longitude": 2.0, "speed": 1e308, "heading": "n"},
            },
            ["position.heading", "position.speed"],
        ),
    ],
)
def test_malformed_saved_values_are_discarded(
    saved: dict[str, object], discarded: list[str]
) -> None:
    car = PushVehicle(NOW, saved)
    assert car.discarded == discarded
    for name in discarded:
        if name.startswith("position."):
            # A bad part of the position discards only itself.
            assert car.state.position is not None
            assert getattr(car.state.position, name.removeprefix("position.")) is None
        elif name != "timestamp":
            assert getattr(car.state, name) is None
    # Nothing that was discarded holds back the next update.
    assert car.apply(update(timestamp=NOW, battery_level=50.0), NOW)


def test_a_post_stamped_ahead_does_not_hold_back_the_next_ones() -> None:
    car = PushVehicle(NOW)
    assert car.apply(update(timestamp=NOW + timedelta(minutes=4), battery_level=50.0), NOW)
    assert car.state.timestamp == NOW
    later = NOW + timedelta(seconds=1)
    assert car.apply(update(timestamp=later, battery_level=51.0), later)
    assert car.state.battery_level == 51.0


def test_a_saved_time_slightly_ahead_holds_back_nothing() -> None:
    """Saved 2 minutes ahead of the clock (set back since): the next post counts."""
    ahead = (NOW + timedelta(minutes=2)).isoformat()
    car = PushVehicle(NOW, {"timestamp": ahead, "last_received": ahead, "battery_level": 50.0})
    assert car.discarded == []
    assert car.state.timestamp == NOW
    later = NOW + timedelta(seconds=1)
    assert car.apply(update(timestamp=later, battery_level=51.0), later)
