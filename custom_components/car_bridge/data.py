"""Runtime data of a Car Bridge config entry."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from homeassistant.config_entries import ConfigEntry

if TYPE_CHECKING:
    from .coordinator import CarBridgeCoordinator
    from .departure_watch import DepartureWatch


@dataclass(kw_only=True)
class CarBridgeData:
    """What a loaded entry holds."""

    coordinator: CarBridgeCoordinator
    #: The learned departures (None only for entries set up before it existed in a test).
    departures: DepartureWatch | None = None


type CarBridgeConfigEntry = ConfigEntry[CarBridgeData]
