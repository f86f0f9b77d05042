"""Runtime data of a Car Bridge config entry."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .coordinator import CarBridgeCoordinator
    from .departure_watch import DepartureHolidays
    from .departures.types import Departure
    from .destination import DestinationHolder
    from .engines import VehicleEngines
    from .zone import HomeZone


@dataclass(kw_only=True)
class CarBridgeData:
    """What a loaded entry holds."""

    coordinator: CarBridgeCoordinator
    engines: VehicleEngines
    home_zone: HomeZone
    holidays: DepartureHolidays
    #: The destination sent now or held for the next trip (sources that navigate).
    destination: DestinationHolder | None = None
    #: The departures the source says it made before (a simulated routine's), if any.
    past_departures: Callable[[datetime], list[Departure]] | None = None


type CarBridgeConfigEntry = ConfigEntry[CarBridgeData]
