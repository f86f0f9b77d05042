"""What a parsed webhook request yields: one partial telemetry update, or a typed error."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Literal

#: The charge states a format can report; the same strings as the vehicle model's ChargeState.
type ReportedChargeState = Literal["disconnected", "plugged_in", "charging", "complete"]

CHARGE_STATES: frozenset[str] = frozenset({"disconnected", "plugged_in", "charging", "complete"})


class PayloadFormat(StrEnum):
    """Which sender's format a request was recognised as."""

    ABRP = "abrp"
    OSMAND = "osmand"
    TRACCAR_JSON = "traccar_json"
    CAR_BRIDGE = "car_bridge"


class PayloadEncoding(StrEnum):
    """How the values travelled in the request."""

    JSON = "json"  # a JSON body
    FORM = "form"  # an application/x-www-form-urlencoded body (possibly plus query parameters)
    QUERY = "query"  # query parameters only
    TLM_PARAMETER = "tlm_parameter"  # ABRP: a `tlm` query parameter or form field holding JSON


class ErrorCode(StrEnum):
    """Stable, machine-readable kinds of bad input (one warning per kind per vehicle)."""

    BODY_TOO_LARGE = "body_too_large"
    BAD_ENCODING = "bad_encoding"
    MALFORMED_JSON = "malformed_json"
    UNSUPPORTED_FORMAT = "unsupported_format"
    WRONG_SHAPE = "wrong_shape"
    WRONG_TYPE = "wrong_type"
    NOT_FINITE = "not_finite"
    OUT_OF_RANGE = "out_of_range"
    INVALID_VALUE = "invalid_value"
    MISSING_FIELD = "missing_field"
    FUTURE_TIMESTAMP = "future_timestamp"
    NO_VALUES = "no_values"


@dataclass(frozen=True, slots=True)
class FormatError:
    """Why a request was refused.

    ``reason`` names the field and the rule, never the value, so it is safe to
    log and to return to the sender (no coordinates, no tokens).
    """

    code: ErrorCode
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class TelemetryUpdate:
    """The values one request carried, in the vehicle's units; ``None`` means not reported.

    Units: speed km/h, heading degrees clockwise from north in [0, 360),
    accuracy and altitude metres, temperatures °C, distances km, percentages %,
    power kW (``charging_power`` is the power flowing into the battery).
    ``timestamp`` is an aware UTC datetime, or ``None`` when the sender did
    not stamp the values (use the time of receipt).
    """

    format: PayloadFormat
    encoding: PayloadEncoding
    timestamp: datetime | None = None
    latitude: float | None = None
    longitude: float | None = None
    accuracy: float | None = None
    speed: float | None = None
    heading: float | None = None
    altitude: float | None = None
    battery_level: float | None = None
    range_km: float | None = None
    charge_state: ReportedChargeState | None = None
    #: The sender says no energy flows without saying whether a cable is in
    #: (ABRP: not charging while parked): a "charging" state no longer holds.
    not_charging: bool = False
    charging_power: float | None = None
    #: The sender's energy-added counter, kWh (ABRP ``kwh_charged``); it may restart per session.
    energy_added: float | None = None
    cabin_temperature: float | None = None
    outside_temperature: float | None = None
    battery_temperature: float | None = None
    odometer: float | None = None
    locked: bool | None = None
    climate_on: bool | None = None
    #: The sender's own identifier (OsmAnd ``id``, Traccar ``device_id``), if any.
    device_id: str | None = None
    #: The sending phone's battery (Traccar ``batt``), never the car's.
    sender_battery: float | None = None

    @property
    def has_position(self) -> bool:
        """Return whether the update carries a position fix."""
        return self.latitude is not None and self.longitude is not None


type ParseResult = TelemetryUpdate | FormatError
