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

PARALLEL_UPDATES = 0

LOCATION = EntityDescription(key="location", name=None)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's tracker."""
    async_add_entities([CarBridgeTracker(entry.runtime_data.coordinator, LOCATION)])


class CarBridgeTracker(CarBridgeEntity, TrackerEntity):
    """The vehicle's filtered GPS position."""

    _attr_source_type = SourceType.GPS

    def shown(self) -> tuple[float, float, float]:
        """Return the filtered fix."""
        a = self.snapshot.approach
        return (a.latitude, a.longitude, a.accuracy)

    @property
    def latitude(self) -> float:
        """Return the filtered latitude."""
        return self.snapshot.approach.latitude

    @property
    def longitude(self) -> float:
        """Return the filtered longitude."""
        return self.snapshot.approach.longitude

    @property
    def location_accuracy(self) -> float:
        """Return the accuracy of the accepted fix in metres."""
        return self.snapshot.approach.accuracy
