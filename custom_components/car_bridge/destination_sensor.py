"""``sensor.<vehicle>_destination``: the place held for the next trip, or the last one sent."""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription
from homeassistant.const import ATTR_LATITUDE, ATTR_LONGITUDE

from .coordinator import CarBridgeCoordinator
from .destination import DestinationHolder
from .entity import CarBridgeEntity

DESCRIPTION = SensorEntityDescription(key="destination", translation_key="destination")


class DestinationSensor(CarBridgeEntity, SensorEntity):
    """The destination's name as state; where, from what and how far along as attributes."""

    _unrecorded_attributes = frozenset({"text"})

    def __init__(self, coordinator: CarBridgeCoordinator, holder: DestinationHolder) -> None:
        """Follow the vehicle's destination holder."""
        super().__init__(coordinator, DESCRIPTION, ())
        self._holder = holder

    async def async_added_to_hass(self) -> None:
        """Write the state whenever the destination changes."""
        await super().async_added_to_hass()
        self.async_on_remove(self._holder.async_add_listener(self._handle_coordinator_update))

    def shown(self) -> Hashable:
        """Return everything the sensor shows."""
        return (self.native_value, tuple(sorted(self.extra_state_attributes.items())))

    @property
    def native_value(self) -> str | None:
        """Return the destination's name."""
        destination = self._holder.engine.result
        if destination is None:
            return None
        place = destination.place
        return place.name or f"{place.latitude:.5f}, {place.longitude:.5f}"

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the coordinates, the source of the place and its status."""
        destination = self._holder.engine.result
        if destination is None:
            return {}
        place = destination.place
        return {
            ATTR_LATITUDE: round(place.latitude, 6),
            ATTR_LONGITUDE: round(place.longitude, 6),
            "address": place.address,
            "source": place.origin,
            "converted_from": place.converted_from.value if place.converted_from else None,
            "status": destination.status.value,
            "requested": destination.requested.isoformat(),
            "expires": destination.expires.isoformat() if destination.expires else None,
            "sent": destination.sent.isoformat() if destination.sent else None,
        }
