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

from typing import Any, Final

from homeassistant.const import (
    ATTR_LATITUDE,
    ATTR_LONGITUDE,
    ATTR_UNIT_OF_MEASUREMENT,
    PERCENTAGE,
    UnitOfElectricCurrent,
    UnitOfEnergy,
    UnitOfLength,
    UnitOfPower,
    UnitOfTemperature,
)
from homeassistant.core import State
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
from ..vehicle.model import Position

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
