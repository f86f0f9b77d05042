"""``sensor.<vehicle>_destination``: the place held for the next trip, or the last one sent."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.sensor import SensorEntity, SensorEntityDescription
from homeassistant.const import ATTR_LATITUDE, ATTR_LONGITUDE, MAX_LENGTH_STATE_STATE

from .coordinator import CarBridgeCoordinator
from .entity import CarBridgeEntity, CarBridgeEntityDescription
from .vehicle.model import Capabilities, Command


@dataclass(frozen=True, kw_only=True)
class DestinationSensorEntityDescription(SensorEntityDescription, CarBridgeEntityDescription):
    """Describes the destination sensor."""


def _navigates(capabilities: Capabilities) -> bool:
    return capabilities.accepts(Command.NAVIGATE)


DESTINATION_SENSORS: tuple[DestinationSensorEntityDescription, ...] = (
    # Only a source that can be sent a destination has one to show.
    DestinationSensorEntityDescription(
        key="destination", translation_key="destination", exists_fn=_navigates
    ),
)


class DestinationSensor(CarBridgeEntity, SensorEntity):
    """The destination's name as state; where, from what and how far along as attributes."""

    _unrecorded_attributes = frozenset({"text"})

    entity_description: DestinationSensorEntityDescription

    def __init__(
        self, coordinator: CarBridgeCoordinator, description: DestinationSensorEntityDescription
    ) -> None:
        """Show the vehicle's destination."""
        super().__init__(coordinator, description)

    def shown(self) -> Hashable:
        """Return everything the sensor shows."""
        return (self.native_value, tuple(sorted(self.extra_state_attributes.items())))

    @property
    def native_value(self) -> str | None:
        """Return the destination's name."""
        destination = self.snapshot.destination
        if destination is None:
            return None
        place = destination.place
        # A shared text's name can be any length; a state holds 255 characters.
        name = place.name or f"{place.latitude:.5f}, {place.longitude:.5f}"
        return name[:MAX_LENGTH_STATE_STATE]

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return the coordinates, the source of the place and its status."""
        destination = self.snapshot.destination
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
