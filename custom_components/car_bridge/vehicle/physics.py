"""The simulated car's true state, its constants, and how it is saved and restored.

Pure Python. :class:`Physics` is what the simulator integrates; what is saved
is checked value by value on restore, so a damaged file costs only what is
wrong in it (see :func:`restore`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import trust

BATTERY_CAPACITY_WH = 101_000.0
AC_CHARGE_POWER_KW = 11.0
TAPER_START_PERCENT = 80.0
ACCELERATION = 1.5  # m/s², also used for braking
AUX_POWER_W = 250.0  # lights, electronics while driving
# Traction energy per km: ROLLING + AERO * v² (v in km/h); 145 Wh/km at 50 km/h.
ROLLING_WH_PER_KM = 131.0
AERO_WH_PER_KM = 0.00556
CABIN_TIME_CONSTANT_S = 20 * 60.0
CLIMATE_RATE_C_PER_S = 1.0 / 60.0
CONSUMPTION_WINDOW_KM = 50.0
DEFAULT_CONSUMPTION_WH_PER_KM = 160.0
MIN_REPORTED_ACCURACY_M = 5.0
#: Simulation steps one tick may run (1–4 µs each): 400 keep up with time
#: factor 3600 (360 ten-second steps per tick) and stay far below 10 ms.
MAX_STEPS_PER_TICK = 400
#: Simulated seconds a late tick may catch up, beyond two ticks' worth of the
#: time factor; anything more (a host suspended for hours) is dropped.
MAX_CATCH_UP_S = 3600.0
MAX_SPEED_MS = 250 / 3.6
CHARGE_LIMIT_RANGE = (50, 100)
#: The wallbox: power = current × voltage × phases, capped by the on-board charger.
CHARGING_CURRENT_RANGE = (6, 16)  # A (IEC 61851 needs at least 6 A)
CHARGING_VOLTAGE = 230.0
CHARGING_PHASES = 3
CLIMATE_TARGET_RANGE = (15.0, 28.0)
CABIN_RANGE = (-60.0, 90.0)
CONSUMPTION_RANGE = (50.0, 1000.0)  # Wh/km


@dataclass(kw_only=True)
class Physics:
    """The true, mutable state of the simulated car."""

    latitude: float
    longitude: float
    speed: float = 0.0  # m/s
    heading: float = 0.0
    destination: tuple[float, float] | None = None
    energy_wh: float = 0.8 * BATTERY_CAPACITY_WH
    odometer_m: float = 0.0
    cabin: float = 15.0
    climate_on: bool = False
    climate_target: float = 21.0
    charging_enabled: bool = True
    plugged_in: bool = False
    charge_limit: int = 80
    charging_current: int = CHARGING_CURRENT_RANGE[1]
    #: Energy added this charging session (a new one starts at each plug-in).
    energy_added_wh: float = 0.0
    locked: bool = True
    consumption_wh_per_km: float = DEFAULT_CONSUMPTION_WH_PER_KM
    charging_power_kw: float = 0.0
    climate_power_kw: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TickWork:
    """What one tick did: the simulation steps it ran and the simulated seconds they covered."""

    steps: int = 0
    simulated_s: float = 0.0


def charge(p: Physics, dt: float) -> None:
    """Charge for ``dt`` seconds: at the wallbox's current, capped by the charger and its taper."""
    soc = 100 * p.energy_wh / BATTERY_CAPACITY_WH
    if not (p.plugged_in and p.charging_enabled and soc < p.charge_limit):
        p.charging_power_kw = 0.0
        return
    taper = 1.0
    if soc > TAPER_START_PERCENT:
        taper = max(0.1, (100 - soc) / (100 - TAPER_START_PERCENT))
    wallbox_kw = p.charging_current * CHARGING_VOLTAGE * CHARGING_PHASES / 1000
    p.charging_power_kw = min(AC_CHARGE_POWER_KW * taper, wallbox_kw)
    limit_wh = BATTERY_CAPACITY_WH * p.charge_limit / 100
    before = p.energy_wh
    p.energy_wh = min(limit_wh, p.energy_wh + p.charging_power_kw * 1000 * dt / 3600)
    p.energy_added_wh += max(0.0, p.energy_wh - before)


def saved(p: Physics) -> dict[str, Any]:
    """Return what must be saved of ``p`` to resume after a restart."""
    return {
        "latitude": p.latitude,
        "longitude": p.longitude,
        "speed": p.speed,
        "heading": p.heading,
        "destination": list(p.destination) if p.destination else None,
        "energy_wh": p.energy_wh,
        "odometer_m": p.odometer_m,
        "cabin": p.cabin,
        "climate_on": p.climate_on,
        "climate_target": p.climate_target,
        "charging_enabled": p.charging_enabled,
        "plugged_in": p.plugged_in,
        "charge_limit": p.charge_limit,
        "charging_current": p.charging_current,
        "energy_added_wh": p.energy_added_wh,
        "locked": p.locked,
        "consumption_wh_per_km": p.consumption_wh_per_km,
    }


#: Saved numbers: (key, name in the warning, lowest, highest).
SAVED_NUMBERS: tuple[tuple[str, str, float, float], ...] = (
    ("energy_wh", "battery", 0.0, BATTERY_CAPACITY_WH),
    ("odometer_m", "odometer", 0.0, trust.LIMITS["odometer"][1] * 1000),
    ("cabin", "cabin", *CABIN_RANGE),
    ("climate_target", "climate_target", *CLIMATE_TARGET_RANGE),
    ("charge_limit", "charge_limit", *CHARGE_LIMIT_RANGE),
    ("charging_current", "charging_current", *CHARGING_CURRENT_RANGE),
    ("energy_added_wh", "energy_added", 0.0, BATTERY_CAPACITY_WH * 10),
    ("consumption_wh_per_km", "consumption", *CONSUMPTION_RANGE),
)
SAVED_FLAGS = ("climate_on", "charging_enabled", "plugged_in", "locked")


def restore(p: Physics, data: dict[str, Any]) -> list[str]:
    """Overlay the sound values of ``data`` on a new car's ``p``.

    A missing key keeps the new car's value (an older file); a value that is
    present but wrong is discarded and named in the returned list.
    """
    discarded: list[str] = []
    position = trust.coordinates(data.get("latitude"), data.get("longitude"))
    if position is None:
        discarded.append("position")
    else:
        p.latitude, p.longitude = position
        p.destination = trust.point(data.get("destination"))
        if p.destination is None and data.get("destination") is not None:
            discarded.append("destination")
    # A parked car does not move; a driving one within reason.
    top_speed = MAX_SPEED_MS if p.destination is not None else 0.0
    numbers = (("speed", "speed", 0.0, top_speed), ("heading", "heading", 0.0, 360.0))
    for key, name, low, high in (*numbers, *SAVED_NUMBERS):
        if key in data:
            if (value := trust.number(data[key], low, high)) is None:
                discarded.append(name)
            else:
                whole = key in {"charge_limit", "charging_current"}
                setattr(p, key, int(value) if whole else value)
    for key in SAVED_FLAGS:
        if key in data:
            if (flag := trust.boolean(data[key])) is None:
                discarded.append(key)
            else:
                setattr(p, key, flag)
    if p.destination is not None:
        p.plugged_in = False  # a car on its way is not on a cable
    return discarded
