"""The ``next_departure`` sensor: the next departure the vehicle is expected to make."""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
)

from .coordinator import CarBridgeCoordinator
from .entity import CarBridgeEntity, CarBridgeEntityDescription
from .vehicle.model import Value


@dataclass(frozen=True, kw_only=True)
class DepartureSensorEntityDescription(SensorEntityDescription, CarBridgeEntityDescription):
    """Describes the next-departure sensor."""


DEPARTURE_SENSORS: tuple[DepartureSensorEntityDescription, ...] = (
    DepartureSensorEntityDescription(
        key="next_departure",
        translation_key="next_departure",
        device_class=SensorDeviceClass.TIMESTAMP,
        # Departures are learned from where the car is.
        values=(Value.POSITION,),
    ),
)


class NextDepartureSensor(CarBridgeEntity, SensorEntity):
    """Unknown while the model abstains; attributes say how sure it is and what trip follows."""

    entity_description: DepartureSensorEntityDescription

    def __init__(
        self, coordinator: CarBridgeCoordinator, description: DepartureSensorEntityDescription
    ) -> None:
        """Attach the sensor to the vehicle."""
        super().__init__(coordinator, description)

    def shown(self) -> Hashable:
        """Return the time and its attributes."""
        return (self.native_value, tuple(sorted(self.extra_state_attributes.items())))

    @property
    def native_value(self) -> datetime | None:
        """Return when the car is expected to leave."""
        result = self.snapshot.departures
        return None if result is None else result.at

    @property
    def extra_state_attributes(self) -> dict[str, Any]:
        """Return how sure it is, how many departures it rests on, and the usual trip."""
        result = self.snapshot.departures
        if result is None:
            # The same attributes as a prediction has, all unknown.
            return dict.fromkeys(("confidence", "departures", "usual_trip", "usual_trip_km"))
        return {
            "confidence": result.confidence,
            "departures": result.departures,
            "usual_trip": result.usual_trip_min,
            "usual_trip_km": result.usual_trip_km,
        }
