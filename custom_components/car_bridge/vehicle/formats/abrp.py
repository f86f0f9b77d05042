"""ABRP (A Better Route Planner) live telemetry, the ``tlm`` object.

Senders and how they encode it (read from their public code):
- OVMS ``ovms-link`` ``abrp.js``: GET with query ``api_key``, ``token`` and ``tlm``
  = JSON; flags are JSON booleans; nil values omitted.
- TeslaMate-ABRP: POST JSON body ``{"tlm": {...}}``, token in the query; 1.x
  quoted most numbers as strings and used "" for unknown; 2.x sends numbers
  and booleans, starting from zeros (lat/lon 0) before MQTT has delivered.
- WiCAN firmware (ABRP API destination): POST form body ``utc=…&soc=…&lat=…``
  with ``is_charging`` 0/1 and ``car_model``.

Charge state: ABRP has no cable field. ``is_charging`` (or ``is_dcfc``) true
means charging; a driving car (``is_parked`` false, or speed of 5 km/h or
more) has no cable: disconnected. Anything else (parked, not charging) is
unknown: the car may or may not be plugged in, and we do not claim a cable
without evidence; an explicit ``is_charging`` false turns a "charging" state
kept from an earlier post into unknown (the cable may have been pulled).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

from . import values as v
from .model import ErrorCode, PayloadEncoding, PayloadFormat, ReportedChargeState, TelemetryUpdate

#: Keys that mark a flat parameter set as ABRP rather than OsmAnd.
MARKERS: Final = frozenset({"utc", "soc", "is_charging", "is_parked", "est_battery_range"})
#: Documented numeric fields we read or only check.
_CHECKED_NUMBERS: Final = {
    "soh": (0.0, 200.0),
    "capacity": (0.0, 1000.0),
    "voltage": (-2000.0, 2000.0),
    "current": (-5000.0, 5000.0),
}
#: Every field ABRP's telemetry API documents (a tlm object with none of them is not telemetry).
FIELDS: Final = frozenset(
    {
        *MARKERS,
        *_CHECKED_NUMBERS,
        "power", "speed", "lat", "lon", "is_dcfc", "heading", "elevation", "ext_temp",
        "batt_temp", "cabin_temp", "odometer", "hvac_power", "hvac_setpoint",
        "tire_pressure_fl", "tire_pressure_fr", "tire_pressure_rl", "tire_pressure_rr",
        "car_model", "ideal_battery_range", "battery_range",
        "kwh_charged",  # read below: a tlm of it alone is telemetry too
    }
)  # fmt: skip
#: A car this fast is driving, so no cable is connected.
DRIVING_SPEED: Final = 5.0


def parse(tlm: Mapping[str, object], encoding: PayloadEncoding, now: datetime) -> TelemetryUpdate:
    """Return the update an ABRP ``tlm`` mapping carries; raises ``values.Invalid``."""
    if not tlm.keys() & FIELDS:
        raise v.Invalid(ErrorCode.NO_VALUES, "the tlm object has none of ABRP's telemetry fields")
    fix = v.position("lat", tlm.get("lat"), "lon", tlm.get("lon"))
    speed = v.number("speed", tlm.get("speed"), low=-500, high=500)
    if speed is not None:
        speed = abs(speed)  # some cars report reversing as a negative speed
    charging = v.flag("is_charging", tlm.get("is_charging"))
    dcfc = v.flag("is_dcfc", tlm.get("is_dcfc"))
    parked = v.flag("is_parked", tlm.get("is_parked"))
    power = v.number("power", tlm.get("power"), low=-2000, high=2000)
    charged = v.number("kwh_charged", tlm.get("kwh_charged"), low=-10_000, high=10_000)
    for name, (low, high) in _CHECKED_NUMBERS.items():
        v.number(name, tlm.get(name), low=low, high=high)

    state: ReportedChargeState | None = None
    if charging or dcfc:
        state = "charging"
    elif parked is False or (speed is not None and speed >= DRIVING_SPEED):
        state = "disconnected"

    charging_power: float | None = None
    if state == "charging" and power is not None:
        # ABRP's power is negative while charging; some senders send it positive.
        charging_power = abs(power)
    elif charging is False or state == "disconnected":
        charging_power = 0.0

    return TelemetryUpdate(
        format=PayloadFormat.ABRP,
        encoding=encoding,
        timestamp=v.epoch("utc", tlm.get("utc"), now),
        latitude=fix[0] if fix else None,
        longitude=fix[1] if fix else None,
        speed=speed,
        heading=v.heading("heading", tlm.get("heading")),
        altitude=v.number("elevation", tlm.get("elevation"), low=-1000, high=10_000),
        battery_level=v.number("soc", tlm.get("soc"), low=0, high=100),
        range_km=v.number("est_battery_range", tlm.get("est_battery_range"), low=0, high=5000),
        charge_state=state,
        not_charging=state is None and charging is False,
        charging_power=charging_power,
        # A counter never goes below zero; a negative one is a sender's sign convention.
        energy_added=None if charged is None else abs(charged),
        cabin_temperature=v.number("cabin_temp", tlm.get("cabin_temp"), low=-80, high=120),
        outside_temperature=v.number("ext_temp", tlm.get("ext_temp"), low=-80, high=120),
        battery_temperature=v.number("batt_temp", tlm.get("batt_temp"), low=-80, high=120),
        odometer=v.number("odometer", tlm.get("odometer"), low=0, high=10_000_000),
    )
