"""Reading a mirrored entity's state or attribute as a number Car Bridge can use.

Every number passes the one gate (``vehicle.trust``): ``NaN``, ``inf``,
``1e400``, ``"nan"``, booleans and values outside their physical range are
unknown, never a crash and never an old value kept. Units are converted when
Home Assistant knows them; a unit it does not know (``miles``, ``KM``) makes
the value unknown, because guessing km would be wrong by a factor. Each kind
of problem is logged once per entity (memory bounded); the value shows
``unknown`` meanwhile.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
import math
from typing import Any, Final

from homeassistant.const import (
    ATTR_LATITUDE,
    ATTR_LONGITUDE,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfElectricCurrent,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import State
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import (
    BaseUnitConverter,
    DistanceConverter,
    ElectricCurrentConverter,
    EnergyConverter,
    PowerConverter,
    TemperatureConverter,
)

from ..const import LOGGER
from ..vehicle import trust
from ..vehicle.model import Position, Range

#: km/h per unit of a tracker's ``speed`` attribute, by the integration that
#: makes the tracker: the attribute has no unit of its own. Phones report m/s,
#: Traccar's OsmAnd protocol knots, Tesla's API (Tessie) mph; others km/h.
SPEED_KMH_PER_UNIT: dict[str, float] = {
    "mobile_app": 3.6,
    "gpslogger": 3.6,
    "traccar": 1.852,
    "tessie": 1.609344,
}

#: The unit Car Bridge keeps each quantity in, and the converter for others.
_UNITS: Final[dict[str, tuple[str, type[BaseUnitConverter] | None]]] = {
    "range_km": (UnitOfLength.KILOMETERS, DistanceConverter),
    "odometer": (UnitOfLength.KILOMETERS, DistanceConverter),
    "cabin_temperature": (UnitOfTemperature.CELSIUS, TemperatureConverter),
    "outside_temperature": (UnitOfTemperature.CELSIUS, TemperatureConverter),
    "climate_target": (UnitOfTemperature.CELSIUS, TemperatureConverter),
    "battery_level": (PERCENTAGE, None),
    "charge_limit": (PERCENTAGE, None),
    "energy_added": (UnitOfEnergy.KILO_WATT_HOUR, EnergyConverter),
    "charging_power": (UnitOfPower.KILO_WATT, PowerConverter),
    "charging_current": (UnitOfElectricCurrent.AMPERE, ElectricCurrentConverter),
}


class Reader:
    """Reads one vehicle's mirrored numbers, logging each problem once per entity."""

    def __init__(self, title: str) -> None:
        """Log under the vehicle's ``title``."""
        self._title = title
        self.logged = trust.Once()

    def _bad(self, entity_id: str, what: str, problem: str) -> None:
        # Once per entity and kind of problem: a source that keeps sending NaN
        # must not flood the log, and the memory of what was said is bounded.
        if self.logged.first((entity_id, what, problem)):
            LOGGER.warning(
                "%s: %s of %s is %s; shown as unknown (logged once)",
                self._title,
                what,
                entity_id,
                problem,
            )

    def state(self, state: State, name: str) -> float | None:
        """Return the state of ``state`` as the quantity ``name``, in Car Bridge's unit."""
        value = trust.judge(state.state, strings=True)
        if isinstance(value, trust.Bad):
            self._bad(state.entity_id, "the state", str(value))
            return None
        unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
        return self.convert(state.entity_id, "the state", value, unit, name)

    def convert(
        self, entity_id: str, what: str, value: float, unit: Any, name: str
    ) -> float | None:
        """Convert ``value`` from ``unit`` and check it against ``name``'s range."""
        to_unit, converter = _UNITS.get(name, (None, None))
        if unit is not None and unit != to_unit and to_unit is not None:
            # A unit that is no string (a list, a dict) is no unit HA knows.
            if converter is None or not isinstance(unit, str) or unit not in converter.VALID_UNITS:
                self._bad(entity_id, what, f"in a unit Car Bridge does not know ({unit!r})")
                return None
            value = converter.convert(value, unit, to_unit)
        checked = trust.judge(value, *trust.LIMITS[name])
        if isinstance(checked, trust.Bad):
            self._bad(entity_id, what, str(checked))
            return None
        return checked

    def attribute(
        self,
        state: State,
        key: str,
        name: str,
        *,
        unit: str | None = None,
        factor: float = 1.0,
        sentinel: float | None = None,
    ) -> float | None:
        """Return the attribute ``key`` as the quantity ``name``.

        Attributes carry no unit of their own: ``unit`` (or ``factor``) says
        what the source uses. ``sentinel`` is the source's own "invalid" value
        (iOS reports -1 for an unknown speed or course): unknown, and not a
        problem worth a log line.
        """
        if (raw := state.attributes.get(key)) is None:
            return None
        what = f"attribute {key}"
        value = trust.judge(raw, strings=True)
        if isinstance(value, trust.Bad):
            self._bad(state.entity_id, what, str(value))
            return None
        if sentinel is not None and value == sentinel:
            return None
        return self.convert(state.entity_id, what, value * factor, unit, name)

    def range(self, state: State, name: str) -> tuple[float, float] | None:
        """Return a number entity's ``min`` and ``max`` as the quantity ``name``."""
        unit = state.attributes.get(ATTR_UNIT_OF_MEASUREMENT)
        low = self.attribute(state, "min", name, unit=unit)
        high = self.attribute(state, "max", name, unit=unit)
        if low is None or high is None or low > high:
            return None
        return (low, high)

    def position(self, state: State, speed_factor: float = 1.0) -> Position | None:
        """Return the fix a tracker's state holds, or None if it has no usable coordinates.

        ``speed_factor`` turns the tracker's ``speed`` attribute into km/h.
        """
        latitude = self.attribute(state, ATTR_LATITUDE, "latitude")
        longitude = self.attribute(state, ATTR_LONGITUDE, "longitude")
        if latitude is None or longitude is None:
            return None
        heading: float | None = None
        for key in ("course", "heading"):
            if key in state.attributes:
                heading = self.attribute(state, key, "heading", sentinel=-1.0)
                break
        return Position(
            latitude=latitude,
            longitude=longitude,
            # 0 is what integrations report when they do not know.
            accuracy=self.attribute(state, "gps_accuracy", "accuracy") or None,
            heading=None if heading is None else heading % 360,
            speed=self.attribute(state, "speed", "speed", factor=speed_factor, sentinel=-1.0),
        )

    def limits(
        self,
        entity_id: str,
        attributes: Mapping[str, Any],
        keys: tuple[str, str, str],
        name: str,
        *,
        unit: str | None = None,
    ) -> Range | None:
        """Return the range a mirrored entity's ``keys`` (minimum, maximum, step) say.

        ``attributes`` are the entity's state attributes, or its registry
        capabilities while it has no state yet. None if it says no sound range.
        """
        low_key, high_key, step_key = keys
        bounds: list[float] = []
        for key in (low_key, high_key):
            if (value := trust.number(attributes.get(key))) is None:
                return None
            converted = self.convert(entity_id, f"attribute {key}", value, unit, name)
            if converted is None:
                return None
            bounds.append(converted)
        low, high = bounds
        if not low < high:
            return None
        step = trust.number(attributes.get(step_key), 0.0, high - low)
        if unit is not None and unit != _UNITS[name][0]:
            step = None  # a step in °F is no round step in °C
        return Range(low=low, high=high, step=step or None)


#: A tracker's own time of its fix, where its integration gives one (Traccar
#: Server's ``fix_time``, GPSLogger's and OwnTracks' times, iCloud's
#: ``last_seen``...). It beats ``last_updated``, the time Home Assistant got the
#: state: a phone or cloud service that delivers an old position late is then
#: seen to be late.
FIX_TIME_ATTRIBUTES: Final = ("fix_time", "gps_time", "timestamp", "last_seen", "tst")
#: A fix time this far ahead of Home Assistant's clock is not trusted (s).
MAX_FIX_TIME_AHEAD_S: Final = 60.0


def fix_time(state: State) -> datetime:
    """Return the time of the fix a tracker's state holds: its own, else ``last_updated``."""
    received = state.last_updated
    for key in FIX_TIME_ATTRIBUTES:
        if (raw := state.attributes.get(key)) is None:
            continue
        parsed: datetime | None = None
        if isinstance(raw, datetime):
            parsed = raw
        elif isinstance(raw, str):
            parsed = dt_util.parse_datetime(raw)
        elif (
            isinstance(raw, int | float)
            and not isinstance(raw, bool)
            and math.isfinite(raw)
            and 0 < raw < 1e11
        ):
            parsed = datetime.fromtimestamp(raw, UTC)
        if parsed is None:
            continue
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        if (parsed - received).total_seconds() > MAX_FIX_TIME_AHEAD_S:
            continue  # a clock ahead: not a time to compare with others
        return min(parsed, received)
    return received


def reports_no_speed(state: State | None) -> bool:
    """Return whether a tracker positively has no speed: it has a fix and no ``speed``.

    A tracker that is not there yet (Home Assistant starting) or has no fix
    says nothing either way, so its speed is kept.
    """
    if state is None or state.state in (STATE_UNAVAILABLE, STATE_UNKNOWN):
        return False
    attributes = state.attributes
    has_fix = ATTR_LATITUDE in attributes and ATTR_LONGITUDE in attributes
    return has_fix and "speed" not in attributes
