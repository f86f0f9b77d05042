"""The vehicle state every source reports, and the errors commands raise."""

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


@dataclass(frozen=True, slots=True, kw_only=True)
class Position:
    """A GPS fix as the source reports it."""

    latitude: float
    longitude: float
    accuracy: float
    heading: float
    speed: float  # km/h


@dataclass(frozen=True, slots=True, kw_only=True)
class VehicleState:
    """One immutable snapshot of a vehicle."""

    timestamp: datetime
    position: Position
    battery_level: float  # %
    range_km: float
    charge_state: ChargeState
    charging_power: float  # kW
    charge_limit: int  # %
    charging_enabled: bool
    cabin_temperature: float  # °C
    outside_temperature: float  # °C
    climate_on: bool
    climate_target: float  # °C
    locked: bool
    odometer: float  # km
    destination: tuple[float, float] | None = None

    @property
    def plugged_in(self) -> bool:
        """Return whether a charge cable is connected."""
        return self.charge_state is not ChargeState.DISCONNECTED

    @property
    def charging(self) -> bool:
        """Return whether energy flows into the battery."""
        return self.charge_state is ChargeState.CHARGING

    @property
    def moving(self) -> bool:
        """Return whether the vehicle is moving."""
        return self.position.speed > 0.5


class VehicleError(Exception):
    """Base for errors a source raises; ``key`` names a translated message."""

    key = "command_failed"
    #: True when the request itself was wrong (the user can fix it).
    user_error = False


class CommandNotSupportedError(VehicleError):
    """The source cannot carry out this command."""

    key = "command_not_supported"


class NotPluggedInError(VehicleError):
    """Charging was requested while no cable is connected."""

    key = "not_plugged_in"
    user_error = True
