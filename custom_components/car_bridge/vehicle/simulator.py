"""A realistic simulated car: drives, drains and charges, warms and cools.

Pure Python with an injected clock: :meth:`SimulatedVehicle.tick` is called
once per tick (every second) with the current time and advances the physics
by the time since the previous tick times ``time_factor``, so a late or
skipped tick loses no simulated time. Driving is integrated in one-second
steps, a parked car in steps of up to ten. A tick runs at most
``MAX_STEPS_PER_TICK`` steps (a few milliseconds) and carries the rest over to
the next ticks; time owed beyond ``MAX_CATCH_UP_S`` (a long stall, a suspended
host) is dropped rather than driven. Given the same seed, options and tick
times it always does the same thing.

A saved state passed as ``saved`` is checked value by value: what is sound is
kept, the rest starts as a new car would, and :attr:`discarded` names it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
import math
import random
from typing import Any

from ..approach.geo import bearing_deg, destination_point, great_circle_distance, offset_point
from . import physics
from .model import (
    ALL_VALUES,
    Capabilities,
    ChargeState,
    Command,
    NotPluggedInError,
    Position,
    Range,
    VehicleState,
)
from .physics import (
    ACCELERATION,
    AERO_WH_PER_KM,
    AUX_POWER_W,
    BATTERY_CAPACITY_WH,
    CABIN_TIME_CONSTANT_S,
    CHARGE_LIMIT_RANGE,
    CHARGING_CURRENT_RANGE,
    CLIMATE_RATE_C_PER_S,
    CLIMATE_TARGET_RANGE,
    CONSUMPTION_WINDOW_KM,
    MAX_CATCH_UP_S,
    MAX_STEPS_PER_TICK,
    MIN_REPORTED_ACCURACY_M,
    ROLLING_WH_PER_KM,
    TickWork,
    charge,
)
from .source import VehicleSource


@dataclass(kw_only=True)
class SimulatorOptions:
    """Tunable behaviour of the simulated car."""

    cruise_speed: float = 50.0  # km/h
    time_factor: float = 1.0
    gps_noise: float = 0.0  # σ in metres
    outside_temperature: float = 15.0  # °C
    auto_plug_in: bool = True


class SimulatedVehicle(VehicleSource):
    """The default vehicle source: a car simulated on Home Assistant's clock."""

    tick_interval = 1.0
    #: A simulated car knows everything about itself and obeys every command.
    CAPABILITIES = Capabilities(
        values=ALL_VALUES,
        commands=frozenset(Command),
        climate_range=Range(low=CLIMATE_TARGET_RANGE[0], high=CLIMATE_TARGET_RANGE[1], step=0.5),
        charge_limit_range=Range(low=CHARGE_LIMIT_RANGE[0], high=CHARGE_LIMIT_RANGE[1], step=1),
    )

    def __init__(
        self,
        *,
        now: datetime,
        home: tuple[float, float, float],
        options: SimulatorOptions,
        seed: int,
        start_distance_km: float = 8.0,
        battery_percent: float = 80.0,
        saved: Any = None,
    ) -> None:
        """Create a car parked ``start_distance_km`` from home, or restore one."""
        super().__init__()
        self.options = options
        self._rng = random.Random(seed)
        self._home = home
        lat, lon = home[0], home[1]
        if start_distance_km > 0:
            bearing = self._rng.uniform(0, 360)
            lat, lon = destination_point(lat, lon, bearing, start_distance_km * 1000)
        self._p = physics.Physics(
            latitude=lat,
            longitude=lon,
            energy_wh=BATTERY_CAPACITY_WH * max(0.0, min(100.0, battery_percent)) / 100,
            cabin=options.outside_temperature,
        )
        #: Saved values that could not be trusted and were started afresh.
        self.discarded: list[str] = []
        if isinstance(saved, dict):
            self.discarded = physics.restore(self._p, saved)
        else:
            if saved is not None:
                self.discarded = ["vehicle"]
            self._update_plug()
        self._backlog_s = 0.0
        #: What the latest tick did (bounded by ``MAX_STEPS_PER_TICK``).
        self.last_tick = TickWork()
        self._fix = self._make_fix()
        self._last_tick = now
        self._state = self._snapshot(now)

    # -- reporting ---------------------------------------------------------

    @property
    def capabilities(self) -> Capabilities:
        """Return what the simulated car provides and accepts: everything."""
        return self.CAPABILITIES

    @property
    def state(self) -> VehicleState:
        """Return the latest state."""
        return self._state

    @property
    def battery_percent(self) -> float:
        """Return the unrounded state of charge."""
        return 100 * self._p.energy_wh / BATTERY_CAPACITY_WH

    @property
    def true_position(self) -> tuple[float, float]:
        """Return where the car really is; its fixes carry the simulated GPS noise."""
        return (self._p.latitude, self._p.longitude)

    def as_dict(self) -> dict[str, Any]:
        """Return what must be saved to resume after a restart."""
        return physics.saved(self._p)

    def _make_fix(self) -> Position:
        p = self._p
        sigma = self.options.gps_noise
        lat, lon = p.latitude, p.longitude
        if sigma > 0:
            lat, lon = offset_point(lat, lon, self._rng.gauss(0, sigma), self._rng.gauss(0, sigma))
        return Position(
            latitude=lat,
            longitude=lon,
            # A 2-D Gaussian with σ per axis lies within 1.5 σ about 68 % of the time.
            accuracy=round(max(MIN_REPORTED_ACCURACY_M, 1.5 * sigma), 1),
            heading=round(p.heading, 0),
            speed=round(p.speed * 3.6, 1),
        )

    def _snapshot(self, now: datetime) -> VehicleState:
        p = self._p
        if p.plugged_in:
            if p.charging_power_kw > 0:
                charge_state = ChargeState.CHARGING
            elif self.battery_percent >= p.charge_limit - 0.05:
                charge_state = ChargeState.COMPLETE
            else:
                charge_state = ChargeState.PLUGGED_IN
        else:
            charge_state = ChargeState.DISCONNECTED
        return VehicleState(
            timestamp=now,
            position=self._fix,
            battery_level=round(self.battery_percent, 1),
            range_km=round(p.energy_wh / p.consumption_wh_per_km, 0),
            charge_state=charge_state,
            charging_power=round(p.charging_power_kw, 2),
            energy_added=round(p.energy_added_wh / 1000, 2),
            charging_current=p.charging_current,
            charging_current_range=CHARGING_CURRENT_RANGE,
            charge_limit=p.charge_limit,
            charging_enabled=p.charging_enabled,
            cabin_temperature=round(p.cabin, 1),
            outside_temperature=round(self.options.outside_temperature, 1),
            climate_on=p.climate_on,
            climate_target=p.climate_target,
            locked=p.locked,
            odometer=round(p.odometer_m / 1000, 1),
            destination=p.destination,
        )

    def _publish(self, now: datetime) -> None:
        """Emit a new state if anything but the timestamp changed."""
        new = self._snapshot(now)
        if replace(new, timestamp=self._state.timestamp) == self._state:
            return
        self._state = new
        self._emit(new)

    # -- time --------------------------------------------------------------

    def tick(self, now: datetime) -> None:
        """Advance by the time since the last tick, times the time factor."""
        elapsed = max(0.0, (now - self._last_tick).total_seconds())
        self._last_tick = now
        factor = self.options.time_factor
        owed = self._backlog_s + elapsed * factor
        remaining = min(owed, MAX_CATCH_UP_S + 2 * factor)
        steps, simulated = 0, 0.0
        for _ in range(MAX_STEPS_PER_TICK):
            if remaining <= 1e-9:
                break
            dt = min(self._step_size(), remaining)
            self._step(dt)
            remaining -= dt
            steps, simulated = steps + 1, simulated + dt
        self._backlog_s = max(0.0, remaining)
        self.last_tick = TickWork(steps=steps, simulated_s=simulated)
        if self.options.gps_noise > 0 or self._p.speed > 0 or self._fix_is_stale():
            self._fix = self._make_fix()
        self._publish(now)

    def _step_size(self) -> float:
        """Ten seconds parked or cruising far from the destination, else one."""
        p = self._p
        if p.destination is None:
            return 10.0
        cruise = self.options.cruise_speed / 3.6
        if p.speed < cruise - 1e-9:
            return 1.0
        remaining = great_circle_distance(p.latitude, p.longitude, *p.destination)
        # Braking takes v²/2a; keep a margin of two long steps before it.
        return 10.0 if remaining > cruise * cruise / (2 * ACCELERATION) + 20 * cruise else 1.0

    def _fix_is_stale(self) -> bool:
        return (self._fix.latitude, self._fix.longitude) != (
            self._p.latitude,
            self._p.longitude,
        ) or self._fix.speed != 0

    def _step(self, dt: float) -> None:
        p = self._p
        if p.destination is not None:
            self._drive(dt)
        self._climate(dt)
        self._update_plug()
        self._charge(dt)

    def _drive(self, dt: float) -> None:
        p = self._p
        assert p.destination is not None
        if p.energy_wh <= 0:
            p.destination, p.speed = None, 0.0
            return
        if p.plugged_in:
            p.plugged_in = False
            p.charging_enabled = True
        dest_lat, dest_lon = p.destination
        remaining = great_circle_distance(p.latitude, p.longitude, dest_lat, dest_lon)
        cruise = self.options.cruise_speed / 3.6
        target = min(cruise, math.sqrt(2 * ACCELERATION * remaining))
        if p.speed < target:
            p.speed = min(target, p.speed + ACCELERATION * dt)
        else:
            p.speed = max(target, p.speed - ACCELERATION * dt)
        p.speed = max(p.speed, 0.5)  # creep so that braking always ends the trip
        step = p.speed * dt
        if step >= remaining:
            step = remaining
            p.latitude, p.longitude = dest_lat, dest_lon
            p.destination, p.speed = None, 0.0
        else:
            p.heading = bearing_deg(p.latitude, p.longitude, dest_lat, dest_lon)
            p.latitude, p.longitude = destination_point(p.latitude, p.longitude, p.heading, step)
        km = step / 1000
        kmh = (step / dt) * 3.6
        traction = km * (ROLLING_WH_PER_KM + AERO_WH_PER_KM * kmh * kmh)
        aux = AUX_POWER_W * dt / 3600
        p.energy_wh = max(0.0, p.energy_wh - traction - aux)
        p.odometer_m += step
        if km > 0:
            used = (traction + aux + p.climate_power_kw * 1000 * dt / 3600) / km
            weight = min(1.0, km / CONSUMPTION_WINDOW_KM)
            p.consumption_wh_per_km += (used - p.consumption_wh_per_km) * weight

    def _climate(self, dt: float) -> None:
        p = self._p
        outside = self.options.outside_temperature
        if p.climate_on and p.energy_wh > 0:
            gap = p.climate_target - p.cabin
            move = min(abs(gap), CLIMATE_RATE_C_PER_S * dt)
            p.cabin += math.copysign(move, gap)
            p.climate_power_kw = min(
                3.0,
                1.0 + abs(p.climate_target - p.cabin) / 5 + abs(p.climate_target - outside) / 30,
            )
            p.energy_wh = max(0.0, p.energy_wh - p.climate_power_kw * 1000 * dt / 3600)
        else:
            p.climate_power_kw = 0.0
            p.cabin += (outside - p.cabin) * (1 - math.exp(-dt / CABIN_TIME_CONSTANT_S))

    def _at_home(self) -> bool:
        lat, lon, radius = self._home
        return great_circle_distance(self._p.latitude, self._p.longitude, lat, lon) <= radius

    def _update_plug(self) -> None:
        p = self._p
        if (
            not p.plugged_in
            and p.destination is None
            and self.options.auto_plug_in
            and self._at_home()
        ):
            p.plugged_in = True
            p.energy_added_wh = 0.0

    def _charge(self, dt: float) -> None:
        charge(self._p, dt)

    # -- commands ----------------------------------------------------------

    def navigate_to(self, latitude: float, longitude: float) -> None:
        """Drive to a point along a great circle."""
        self._p.destination = (latitude, longitude)
        self._publish(self._state.timestamp)

    def set_climate(self, on: bool, target: float | None = None) -> None:
        """Switch cabin climate, optionally with a new target temperature."""
        self._p.climate_on = on
        if target is not None:
            self._p.climate_target = target
        self._publish(self._state.timestamp)

    def set_charging(self, on: bool) -> None:
        """Start or stop charging; starting needs a connected cable."""
        if on and not self._p.plugged_in:
            raise NotPluggedInError
        self._p.charging_enabled = on
        self._charge(0.0)
        self._publish(self._state.timestamp)

    def set_charge_limit(self, percent: int) -> None:
        """Set the charge limit."""
        self._p.charge_limit = int(percent)
        self._charge(0.0)
        self._publish(self._state.timestamp)

    def set_charging_current(self, amps: int) -> None:
        """Set the current the car draws (clamped to the wallbox's range)."""
        low, high = CHARGING_CURRENT_RANGE
        self._p.charging_current = max(low, min(high, int(amps)))
        self._charge(0.0)
        self._publish(self._state.timestamp)

    def set_locked(self, locked: bool) -> None:
        """Lock or unlock the doors."""
        self._p.locked = locked
        self._publish(self._state.timestamp)

    async def async_navigate_to(
        self, latitude: float, longitude: float, name: str, **_shared: str | None
    ) -> None:
        """Drive to a point (the shared address and text mean nothing to it)."""
        self.navigate_to(latitude, longitude)

    async def async_set_climate(self, on: bool, target: float | None = None) -> None:
        """Switch cabin climate."""
        self.set_climate(on, target)

    async def async_set_charging(self, on: bool) -> None:
        """Start or stop charging."""
        self.set_charging(on)

    async def async_set_charge_limit(self, percent: int) -> None:
        """Set the charge limit."""
        self.set_charge_limit(percent)

    async def async_set_charging_current(self, amps: int) -> None:
        """Set the charging current."""
        self.set_charging_current(amps)

    async def async_set_locked(self, locked: bool) -> None:
        """Lock or unlock the doors."""
        self.set_locked(locked)

    def set_home(self, latitude: float, longitude: float, radius: float) -> None:
        """Move home (the home zone changed)."""
        self._home = (latitude, longitude, radius)

    def set_battery(self, percent: float) -> None:
        """Set the state of charge (the ``battery_start`` option)."""
        self._p.energy_wh = BATTERY_CAPACITY_WH * max(0.0, min(100.0, percent)) / 100
        self._publish(self._state.timestamp)
