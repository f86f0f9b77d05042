"""Location of a Car Bridge vehicle.

The tracker reports the approach engine's filtered position, and its zones
follow the engine's one decision about home: the home zone is listed exactly
when the engine says the vehicle is home, so ``home``/``not_home``,
``binary_sensor.<name>_at_home``, direction ``arrived`` and a distance of 0
always agree. Other zones come from Home Assistant's zone logic.
"""

from __future__ import annotations

from dataclasses import dataclass

from homeassistant.components.device_tracker import (
    SourceType,
    TrackerEntity,
    TrackerEntityDescription,
)
from homeassistant.components.zone import async_in_zones
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, CarBridgeEntityDescription, async_add_described
from .vehicle.model import Value
from .zone import zone_home

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CarBridgeTrackerEntityDescription(TrackerEntityDescription, CarBridgeEntityDescription):
    """Describes a Car Bridge tracker."""


TRACKERS: tuple[CarBridgeTrackerEntityDescription, ...] = (
    # Named like the vehicle (name=None) with a car icon; the translation key
    # only carries the icon. Every source gives positions: approach is what
    # Car Bridge is for.
    CarBridgeTrackerEntityDescription(
        key="location", name=None, translation_key="location", values=(Value.POSITION,)
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's tracker."""
    async_add_described(
        hass,
        entry,
        async_add_entities,
        TRACKERS,
        CarBridgeTracker,
        platform=Platform.DEVICE_TRACKER,
    )


class CarBridgeTracker(CarBridgeEntity, TrackerEntity):
    """The vehicle's filtered GPS position."""

    entity_description: CarBridgeTrackerEntityDescription
    _attr_source_type = SourceType.GPS
    # Core files trackers under "Diagnostic"; a car's location is what it is about.
    _attr_entity_category = None  # type: ignore[assignment]  # core types it as always set

    def shown(self) -> tuple[float, float, float, bool] | None:
        """Return the filtered fix and the at-home decision the zones follow."""
        a = self.snapshot.approach
        return None if a is None else (a.latitude, a.longitude, a.accuracy, a.at_home)

    @property
    def in_zones(self) -> list[str] | None:
        """Return the zones the vehicle is in, with home as the engine decides."""
        snapshot = self.snapshot
        approach = snapshot.approach
        if approach is None:
            return None
        home = snapshot.home_zone
        _, found = async_in_zones(
            self.hass, approach.latitude, approach.longitude, approach.accuracy
        )
        # Zones larger than home may contain it; smaller ones would outrank it.
        home_radius = 0.0 if snapshot.home is None else snapshot.home.radius
        others = [z for z in found if z != home]
        if approach.at_home:
            return [home, *(z for z in others if self._radius(z) >= home_radius)]
        return others

    def _radius(self, zone_entity_id: str) -> float:
        zone = zone_home(self.hass, zone_entity_id)
        return 0.0 if zone is None else zone.radius

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
