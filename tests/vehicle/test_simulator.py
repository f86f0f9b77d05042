"""The simulated car on its own: physics, determinism, commands, persistence."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from custom_components.car_bridge.approach.geo import ellipsoid_distance
from custom_components.car_bridge.vehicle.model import (
    ChargeState,
    NotPluggedInError,
    VehicleState,
)
from custom_components.car_bridge.vehicle.simulator import (
    BATTERY_CAPACITY_WH,
    SimulatedVehicle,
    SimulatorOptions,
)

HOME = (52.3676, 4.9041, 100.0)
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


class Clock:
    """An injected clock that ticks one second at a time."""

    def __init__(self) -> None:
        self.now = T0

    def tick(self, car: SimulatedVehicle, seconds: int) -> None:
        for _ in range(seconds):
            self.now += timedelta(seconds=1)
            car.tick(self.now)


def make_car(start_km: float = 8.0, battery: float = 80.0, **options: float) -> SimulatedVehicle:
    return SimulatedVehicle(
        now=T0,
        home=HOME,
        options=SimulatorOptions(**options),  # type: ignore[arg-type]
        seed=7,
        start_distance_km=start_km,
        battery_percent=battery,
    )


def drive_home(car: SimulatedVehicle, clock: Clock, limit: int = 3600) -> int:
    car.navigate_to(HOME[0], HOME[1])
    for second in range(1, limit + 1):
        clock.tick(car, 1)
        if car.state.destination is None:
            return second
    raise AssertionError("the car never arrived")


def test_starts_parked_at_start_distance() -> None:
    car = make_car(8.0)
    pos = car.state.position
    assert ellipsoid_distance(pos.latitude, pos.longitude, HOME[0], HOME[1]) == pytest.approx(
        8000, rel=0.005
    )
    assert pos.speed == 0
    assert car.state.charge_state is ChargeState.DISCONNECTED
    assert car.state.battery_level == 80.0


def test_drive_home_8km_at_50() -> None:
    car, clock = make_car(8.0), Clock()
    energy_before = car.battery_percent * BATTERY_CAPACITY_WH / 100
    odometer_before = car.state.odometer
    seconds = drive_home(car, clock)
    used_kwh = (energy_before - car.battery_percent * BATTERY_CAPACITY_WH / 100) / 1000

    assert 9.5 * 60 <= seconds <= 10.5 * 60
    assert 1.0 <= used_kwh <= 1.6
    assert car.state.odometer - odometer_before == pytest.approx(8.0, rel=0.01)
    assert car.state.position.speed == 0
    assert car.state.position.latitude == HOME[0]


def test_cruises_at_configured_speed_and_reports_heading() -> None:
    car, clock = make_car(8.0, cruise_speed=80.0), Clock()
    car.navigate_to(HOME[0], HOME[1])
    clock.tick(car, 120)
    assert car.state.position.speed == pytest.approx(80.0, abs=0.1)
    assert car.state.moving
    assert 0 <= car.state.position.heading < 360


def test_consumption_rises_with_speed() -> None:
    used = {}
    for speed in (50.0, 120.0):
        car, clock = make_car(20.0, cruise_speed=speed), Clock()
        before = car.battery_percent
        drive_home(car, clock)
        used[speed] = before - car.battery_percent
    assert used[120.0] > used[50.0] * 1.2


def test_deterministic_for_a_seed() -> None:
    runs = []
    for _ in range(2):
        car, clock = make_car(3.0, gps_noise=25.0), Clock()
        seen: list[VehicleState] = []
        car.start(seen.append)
        drive_home(car, clock)
        runs.append(seen)
    assert runs[0] == runs[1]
    assert len(runs[0]) > 100


def test_gps_noise_touches_reported_fix_only() -> None:
    quiet, noisy = make_car(3.0), make_car(3.0, gps_noise=30.0)
    clock_a, clock_b = Clock(), Clock()
    assert drive_home(quiet, clock_a) == drive_home(noisy, clock_b)
    assert quiet.state.odometer == noisy.state.odometer
    offsets = []
    for _ in range(200):
        clock_b.tick(noisy, 1)
        pos = noisy.state.position
        offsets.append(ellipsoid_distance(pos.latitude, pos.longitude, HOME[0], HOME[1]))
    assert noisy.state.position.accuracy == pytest.approx(45.0)
    assert 20 < sum(offsets) / len(offsets) < 60
    assert max(offsets) < 150


def test_charges_at_home_at_11kw() -> None:
    car, clock = make_car(0.0, battery=50.0), Clock()
    clock.tick(car, 1)
    assert car.state.charge_state is ChargeState.CHARGING
    assert car.state.charging_power == pytest.approx(11.0)
    before = car.battery_percent
    clock.tick(car, 3600)
    assert car.battery_percent - before == pytest.approx(10.89, abs=0.05)


def test_charging_current_sets_the_power_with_a_6_amp_minimum() -> None:
    car, clock = make_car(0.0, battery=50.0), Clock()
    clock.tick(car, 1)
    assert car.state.charging_current == 16
    assert car.state.charging_current_range == (6, 16)
    car.set_charging_current(10)
    assert car.state.charging_power == pytest.approx(10 * 230 * 3 / 1000)
    car.set_charging_current(2)
    assert car.state.charging_current == 6
    assert car.state.charging_power == pytest.approx(6 * 230 * 3 / 1000)
    car.set_charging_current(32)
    assert car.state.charging_current == 16
    assert car.state.charging_power == pytest.approx(11.0)  # the on-board charger's limit


def test_energy_added_counts_the_session_and_restarts_at_plug_in() -> None:
    car, clock = make_car(0.0, battery=50.0), Clock()
    before = car.battery_percent
    clock.tick(car, 3600)
    added = car.state.energy_added
    assert added == pytest.approx((car.battery_percent - before) * 1010 / 1000, abs=0.01)
    assert added == pytest.approx(11.0, abs=0.01)
    restored = SimulatedVehicle(
        now=clock.now, home=HOME, options=SimulatorOptions(), seed=7, saved=car.as_dict()
    )
    assert restored.state.energy_added == added
    assert restored.state.charging_current == 16
    car.navigate_to(HOME[0] + 0.01, HOME[1])
    clock.tick(car, 600)
    car.navigate_to(HOME[0], HOME[1])
    clock.tick(car, 600)
    assert car.state.charge_state is ChargeState.CHARGING
    assert car.state.energy_added is not None
    assert 0 < car.state.energy_added < 2.0  # a new session: minutes, not the hour before


def test_tapers_above_80_and_completes_at_limit() -> None:
    car, clock = make_car(0.0, battery=85.0), Clock()
    car.set_charge_limit(100)
    clock.tick(car, 1)
    assert car.state.charging_power == pytest.approx(11.0 * 15 / 20, rel=0.01)
    car.set_charge_limit(86)
    clock.tick(car, 3600)
    assert car.state.charge_state is ChargeState.COMPLETE
    assert car.state.charging_power == 0
    assert car.state.battery_level == pytest.approx(86.0, abs=0.05)


def test_charge_commands() -> None:
    away, home = make_car(2.0, battery=50.0), make_car(0.0, battery=50.0)
    with pytest.raises(NotPluggedInError):
        away.set_charging(True)
    home.set_charging(False)
    assert home.state.charge_state is ChargeState.PLUGGED_IN
    home.set_charging(True)
    assert home.state.charge_state is ChargeState.CHARGING


def test_no_auto_plug_when_disabled() -> None:
    car, clock = make_car(0.0, battery=50.0, auto_plug_in=False), Clock()
    clock.tick(car, 10)
    assert car.state.charge_state is ChargeState.DISCONNECTED


def test_unplugs_when_driving_away() -> None:
    car, clock = make_car(0.0, battery=50.0), Clock()
    clock.tick(car, 1)
    car.navigate_to(HOME[0] + 0.02, HOME[1])
    clock.tick(car, 5)
    assert car.state.charge_state is ChargeState.DISCONNECTED


def test_cabin_drifts_to_outside_with_20_min_time_constant() -> None:
    car, clock = make_car(3.0, outside_temperature=5.0), Clock()
    car.set_climate(True, 25.0)
    clock.tick(car, 30 * 60)
    assert car.state.cabin_temperature == pytest.approx(25.0)
    car.set_climate(False)
    clock.tick(car, 20 * 60)
    # one time constant: 63 % of the 20 °C gap closed
    assert car.state.cabin_temperature == pytest.approx(5.0 + 20 * 0.368, abs=0.2)


def test_climate_moves_cabin_1c_per_minute_and_draws_power() -> None:
    car, clock = make_car(3.0, outside_temperature=10.0), Clock()
    car.set_climate(True, 22.0)
    before = car.battery_percent
    clock.tick(car, 5 * 60)
    assert car.state.cabin_temperature == pytest.approx(15.0, abs=0.1)
    kw = (before - car.battery_percent) / 100 * BATTERY_CAPACITY_WH / 1000 * 12
    assert 1.0 <= kw <= 3.0


def test_lock_and_no_state_when_nothing_changes() -> None:
    car, clock = make_car(3.0), Clock()
    seen: list[VehicleState] = []
    car.start(seen.append)
    clock.tick(car, 600)
    assert seen == []
    car.set_locked(False)
    assert len(seen) == 1
    assert seen[0].locked is False


def test_persistence_round_trip_continues_a_drive() -> None:
    car, clock = make_car(8.0), Clock()
    car.navigate_to(HOME[0], HOME[1])
    clock.tick(car, 120)
    saved = car.as_dict()
    restored = SimulatedVehicle(
        now=clock.now, home=HOME, options=SimulatorOptions(), seed=7, saved=saved
    )
    assert restored.state.odometer == car.state.odometer
    assert restored.state.battery_level == car.state.battery_level
    assert restored.state.destination == (HOME[0], HOME[1])
    remaining = drive_home(restored, clock)
    assert remaining < 10 * 60 - 100
    assert restored.state.odometer == pytest.approx(8.0, rel=0.01)


def test_empty_battery_stops_the_car() -> None:
    car, clock = make_car(8.0, battery=0.5), Clock()
    car.navigate_to(HOME[0], HOME[1])
    clock.tick(car, 900)
    assert car.state.battery_level == 0
    assert car.state.position.speed == 0
    assert car.state.destination is None


def test_a_late_tick_loses_no_time() -> None:
    stepwise, late = make_car(0.0, battery=50.0), make_car(0.0, battery=50.0)
    Clock().tick(stepwise, 600)
    late.tick(T0 + timedelta(seconds=600))
    assert late.state.battery_level == stepwise.state.battery_level
    assert late.state.battery_level == pytest.approx(50 + 10.89 / 6, abs=0.05)
    assert late.state.timestamp == T0 + timedelta(seconds=600)


def test_time_factor_multiplies_each_tick() -> None:
    car, clock = make_car(8.0, time_factor=60.0), Clock()
    car.navigate_to(HOME[0], HOME[1])
    clock.tick(car, 10)
    assert car.state.destination is None
    assert car.state.odometer == pytest.approx(8.0, rel=0.01)
