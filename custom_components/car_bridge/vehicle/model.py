"""The vehicle state every source reports, what a source can do, and its errors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ChargeState(StrEnum):
    """Charge state of the traction battery."""

    DISCONNECTED = "disconnected"
    PLUGGED_IN = "plugged_in"
    CHARGING = "charging"
    COMPLETE = "complete"


class Value(StrEnum):
    """A value a source can provide."""

    POSITION = "position"
    SPEED = "speed"
    BATTERY_LEVEL = "battery_level"
    RANGE = "range"
    CHARGE_STATE = "charge_state"
    CHARGING_POWER = "charging_power"
    #: The source's own "energy added" counter (kWh, usually per charging session).
    ENERGY_ADDED = "energy_added"
    CHARGING_CURRENT = "charging_current"
    CHARGE_LIMIT = "charge_limit"
    CHARGING_ENABLED = "charging_enabled"
    CABIN_TEMPERATURE = "cabin_temperature"
    OUTSIDE_TEMPERATURE = "outside_temperature"
    CLIMATE = "climate"
    LOCKED = "locked"
    ODOMETER = "odometer"
    #: Whether a push source has heard from the vehicle recently.
    CONNECTED = "connected"


class Command(StrEnum):
    """A command a source can accept."""

    NAVIGATE = "navigate"
    CLIMATE = "climate"
    CHARGING = "charging"
    CHARGE_LIMIT = "charge_limit"
    CHARGING_CURRENT = "charging_current"
    LOCK = "lock"


@dataclass(frozen=True, slots=True, kw_only=True)
class Range:
    """The values a setting accepts, as the source says (None: the source does not say)."""

    low: float
    high: float
    step: float | None = None

    def __post_init__(self) -> None:
        """Refuse an empty or reversed range."""
        if not self.low < self.high:
            raise ValueError(f"empty range {self.low}..{self.high}")


@dataclass(frozen=True, slots=True, kw_only=True)
class Capabilities:
    """What a source provides and accepts; entities exist only for these.

    The ranges are the source's own (a mirrored car's entity's minimum and
    maximum); None where the source does not say, and the entity then offers
    Home Assistant's default range.
    """

    values: frozenset[Value]
    commands: frozenset[Command] = frozenset()
    #: Climate target temperatures the car accepts, in °C.
    climate_range: Range | None = None
    #: Charge limits the car accepts, in %.
    charge_limit_range: Range | None = None

    def has(self, *values: Value) -> bool:
        """Return whether every one of ``values`` is provided."""
        return all(value in self.values for value in values)

    def accepts(self, command: Command) -> bool:
        """Return whether ``command`` is accepted."""
        return command in self.commands


#: Everything a car can report; connectivity belongs to push sources only.
ALL_VALUES: frozenset[Value] = frozenset(Value) - {Value.CONNECTED}


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A GPS fix as the source reports it; unknown parts are None."""

    latitude: float
    longitude: float
    accuracy: float | None = None  # metres
    heading: float | None = None
    speed: float | None = None  # km/h


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleState:
    """One immutable snapshot of a vehicle; a value not known now is None."""

    timestamp: datetime
    position: Position | None = None
    #: When ``position`` was taken, if not at ``timestamp``: a source that also
    #: reports other values (a battery sensor, a battery-only post) keeps the
    #: fix's own time, so the engine never sees an old place at a new time.
    fix_time: datetime | None = None
    battery_level: float | None = None  # %
    range_km: float | None = None
    charge_state: ChargeState | None = None
    charging_power: float | None = None  # kW
    #: The source's "energy added" counter; it may drop when a session starts.
    energy_added: float | None = None  # kWh
    charging_current: float | None = None  # A, what the car is set to draw
    #: The lowest and highest current it can be set to (None: not known).
    charging_current_range: tuple[float, float] | None = None
    charge_limit: int | None = None  # %
    charging_enabled: bool | None = None
    cabin_temperature: float | None = None  # °C
    outside_temperature: float | None = None  # °C
    climate_on: bool | None = None
    climate_target: float | None = None  # °C
    locked: bool | None = None
    odometer: float | None = None  # km
    destination: tuple[float, float] | None = None
    #: Push sources: whether the vehicle posted within its timeout (None: never yet).
    connected: bool | None = None
    #: Values whose origin is unavailable right now (not merely unknown).
    unavailable: frozenset[Value] = frozenset()

    @property
    def plugged_in(self) -> bool | None:
        """Return whether a charge cable is connected."""
        if self.charge_state is None:
            return None
        return self.charge_state is not ChargeState.DISCONNECTED

    @property
    def charging(self) -> bool | None:
        """Return whether energy flows into the battery."""
        if self.charge_state is None:
            return None
        return self.charge_state is ChargeState.CHARGING

    @property
    def speed(self) -> float | None:
        """Return the speed in km/h."""
        return None if self.position is None else self.position.speed

    @property
    def moving(self) -> bool | None:
        """Return whether the vehicle is moving."""
        speed = self.speed
        return None if speed is None else speed > 0.5


class VehicleError(Exception):
    """Base for errors a source raises; ``key`` names a translated message."""

    key = "command_failed"
    #: True when the request itself was wrong (the user can fix it).
    user_error = False


class CommandNotSupportedError(VehicleError):
    """The source cannot carry out this command."""

    key = "command_not_supported"
    user_error = True


class NotPluggedInError(VehicleError):
    """Charging was requested while no cable is connected."""

    key = "not_plugged_in"
    user_error = True
