"""Car Bridge JSON: a flat object with any subset of the vehicle's values.

For scripts and home-made dongles; documented by ``docs/car_bridge_payload.schema.json``.
Strictly typed (numbers are JSON numbers, flags JSON booleans), in the
vehicle's units. Unknown keys are ignored so newer senders work with older
versions, but at least one known key must be present.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final, cast

from .. import trust
from . import values as v
from .model import (
    CHARGE_STATES,
    ErrorCode,
    PayloadEncoding,
    PayloadFormat,
    ReportedChargeState,
    TelemetryUpdate,
)

#: Every key the format defines, as documented in the JSON schema.
FIELDS: Final = (
    "latitude",
    "longitude",
    "accuracy",
    "speed",
    "heading",
    "timestamp",
    "battery_level",
    "range_km",
    "charge_state",
    "charging_power",
    "energy_added",
    "cabin_temperature",
    "outside_temperature",
    "odometer",
    "locked",
    "climate_on",
)

#: The physical range of each number the format carries; a pushed vehicle's
#: save file is checked against the same ranges when it is read back.
RANGES: Final[dict[str, tuple[float, float]]] = {
    name: trust.LIMITS[name]
    for name in (
        "speed",
        "battery_level",
        "range_km",
        "charging_power",
        "energy_added",
        "cabin_temperature",
        "outside_temperature",
        "odometer",
    )
}


def parse(body: Mapping[str, object], now: datetime) -> TelemetryUpdate:
    """Return the update a Car Bridge JSON object carries; raises ``values.Invalid``."""
    if not any(key in body for key in FIELDS):
        raise v.Invalid(
            ErrorCode.UNSUPPORTED_FORMAT,
            "the JSON object has none of the Car Bridge fields (" + ", ".join(FIELDS) + ")",
        )
    fix = v.position(
        "latitude", body.get("latitude"), "longitude", body.get("longitude"), strings=False
    )
    state = body.get("charge_state")
    if state is not None and not isinstance(state, str):
        raise v.Invalid(ErrorCode.WRONG_TYPE, "charge_state must be a string")
    if state is not None and state not in CHARGE_STATES:
        raise v.Invalid(
            ErrorCode.INVALID_VALUE,
            "charge_state must be one of " + ", ".join(sorted(CHARGE_STATES)),
        )

    def num(name: str) -> float | None:
        low, high = RANGES[name]
        return v.number(name, body.get(name), low=low, high=high, strings=False)

    return TelemetryUpdate(
        format=PayloadFormat.CAR_BRIDGE,
        encoding=PayloadEncoding.JSON,
        timestamp=v.timestamp("timestamp", body.get("timestamp"), now),
        latitude=fix[0] if fix else None,
        longitude=fix[1] if fix else None,
        accuracy=v.accuracy("accuracy", body.get("accuracy"), strings=False),
        speed=num("speed"),
        heading=v.heading("heading", body.get("heading"), strings=False),
        battery_level=num("battery_level"),
        range_km=num("range_km"),
        charge_state=cast(ReportedChargeState | None, state),
        charging_power=num("charging_power"),
        energy_added=num("energy_added"),
        cabin_temperature=num("cabin_temperature"),
        outside_temperature=num("outside_temperature"),
        odometer=num("odometer"),
        locked=v.flag("locked", body.get("locked"), lenient=False),
        climate_on=v.flag("climate_on", body.get("climate_on"), lenient=False),
    )
