"""The simulator bounds the work of one tick and trusts no saved value blindly."""

from __future__ import annotations

from datetime import timedelta
import math
from typing import Any

import pytest

from custom_components.car_bridge.vehicle.simulator import (
    BATTERY_CAPACITY_WH,
    MAX_CATCH_UP_S,
    MAX_STEPS_PER_TICK,
    SimulatedVehicle,
    SimulatorOptions,
)

from .test_simulator import HOME, T0, make_car


def _driving_car(**options: Any) -> SimulatedVehicle:
    car = make_car(400.0, **options)
    car.navigate_to(HOME[0], HOME[1])
    return car


def test_a_long_stall_is_capped_and_spread_over_ticks() -> None:
    car = _driving_car(time_factor=3600.0)
    now = T0 + timedelta(hours=1)  # the host was suspended for an hour
    per_tick: list[int] = []
    simulated: list[float] = []
    for n in range(40):
        car.tick(now + timedelta(seconds=n))
        per_tick.append(car.last_tick.steps)
        simulated.append(car.last_tick.simulated_s)
    assert max(per_tick) <= MAX_STEPS_PER_TICK
    # the hour of stall is not driven at once: it is capped and spread
    assert simulated[0] < MAX_CATCH_UP_S + 2 * 3600
    assert sum(simulated) <= MAX_CATCH_UP_S + 2 * 3600 + 39 * 3600 + 1e-6
    # and the car keeps up with time factor 3600 once caught up
    assert simulated[-1] == pytest.approx(3600.0)
    assert car.state.odometer < 400 * 1.1


def test_time_factor_1_still_catches_up_a_late_tick_exactly() -> None:
    fast = _driving_car()
    late = _driving_car()
    for n in range(1, 121):
        fast.tick(T0 + timedelta(seconds=n))
    late.tick(T0 + timedelta(seconds=120))
    assert late.state.odometer == pytest.approx(fast.state.odometer, abs=0.05)


def _restored(**changes: Any) -> SimulatedVehicle:
    saved = {**make_car(3.0, battery=55.0).as_dict(), "odometer_m": 12_000.0, **changes}
    return SimulatedVehicle(
        now=T0, home=HOME, options=SimulatorOptions(), seed=1, start_distance_km=8, saved=saved
    )


@pytest.mark.parametrize(
    ("changes", "discarded"),
    [
        ({}, []),
        ({"energy_wh": "nan"}, ["battery"]),
        ({"energy_wh": -1.0}, ["battery"]),
        ({"energy_wh": BATTERY_CAPACITY_WH * 10}, ["battery"]),
        ({"energy_wh": True}, ["battery"]),
        ({"odometer_m": -5.0}, ["odometer"]),
        ({"charge_limit": 49}, ["charge_limit"]),
        ({"charge_limit": 5000}, ["charge_limit"]),
        ({"speed": 1000.0}, ["speed"]),  # parked
        ({"consumption_wh_per_km": 0}, ["consumption"]),
        ({"latitude": float("nan")}, ["position"]),
        ({"longitude": 200.0}, ["position"]),
        ({"destination": [95.0, 4.0]}, ["destination"]),
        ({"heading": float("inf")}, ["heading"]),
        ({"plugged_in": "yes"}, ["plugged_in"]),
        ({"cabin": 1000.0, "climate_target": 99.0}, ["cabin", "climate_target"]),
    ],
)
def test_restore_keeps_what_is_sound(changes: dict[str, Any], discarded: list[str]) -> None:
    car = _restored(**changes)
    assert car.discarded == discarded
    state = car.state
    assert 0 <= state.battery_level <= 100
    assert math.isfinite(state.range_km)
    assert state.range_km >= 0
    assert state.odometer >= 0
    assert 50 <= state.charge_limit <= 100
    assert state.position.speed == 0
    assert -90 <= state.position.latitude <= 90
    if "battery" not in discarded:
        assert state.battery_level == 55.0
    if "odometer" not in discarded:
        assert state.odometer == 12.0


def test_restore_of_a_driving_car_keeps_its_trip() -> None:
    car = make_car(3.0)
    car.navigate_to(HOME[0], HOME[1])
    for n in range(1, 60):
        car.tick(T0 + timedelta(seconds=n))
    restored = SimulatedVehicle(
        now=T0, home=HOME, options=SimulatorOptions(), seed=1, saved=car.as_dict()
    )
    assert restored.discarded == []
    assert restored.state.destination == (HOME[0], HOME[1])
    assert restored.state.position.speed == car.state.position.speed


@pytest.mark.parametrize("saved", [[1, 2], "car", 3, True])
def test_restore_of_something_else_starts_afresh(saved: Any) -> None:
    car = SimulatedVehicle(now=T0, home=HOME, options=SimulatorOptions(), seed=1, saved=saved)
    assert car.discarded == ["vehicle"]
    assert car.state.odometer == 0
