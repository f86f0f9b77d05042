"""Location of a Car Bridge vehicle.

The tracker reports the approach engine's filtered position, so its own
home/not_home state does not flap at the zone border however noisy the GPS.
"""

from __future__ import annotations

from homeassistant.components.device_tracker import SourceType, TrackerEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity
from .vehicle.model import Value

PARALLEL_UPDATES = 0

LOCATION = EntityDescription(key="location", name=None)
LOCATION_VALUES = (Value.POSITION,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's tracker."""
    # Every source gives positions: approach is what Car Bridge is for.
    async_add_entities(
        [CarBridgeTracker(entry.runtime_data.coordinator, LOCATION, LOCATION_VALUES)]
    )


class CarBridgeTracker(CarBridgeEntity, TrackerEntity):
    """The vehicle's filtered GPS position."""

    _attr_source_type = SourceType.GPS

    def shown(self) -> tuple[float, float, float] | None:
        """Return the filtered fix."""
        a = self.snapshot.approach
        return None if a is None else (a.latitude, a.longitude, a.accuracy)

    @property
    def latitude(self) -> float | None:
        """Return the filtered latitude."""
        a = self.snapshot.approach
        return None if a is None else a.latitude

    @property
    def longitude(self) -> float | None:
        """Return the filtered longitude."""
        a = self.snapshot.approach
        return None if a is None else a.longitude

    @property
    def location_accuracy(self) -> float:
        """Return the accuracy of the accepted fix in metres."""
        a = self.snapshot.approach
        return 0.0 if a is None else a.accuracy
