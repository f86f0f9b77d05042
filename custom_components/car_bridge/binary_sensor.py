"""Binary sensors of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, provided
from .snapshot import CarSnapshot
from .vehicle.model import Value

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CarBridgeBinarySensorEntityDescription(BinarySensorEntityDescription):
    """Describes a Car Bridge binary sensor."""

    is_on_fn: Callable[[CarSnapshot], bool | None]
    #: What the sensor rests on: it exists only if the source provides all of it.
    values: tuple[Value, ...]


BINARY_SENSORS: tuple[CarBridgeBinarySensorEntityDescription, ...] = (
    CarBridgeBinarySensorEntityDescription(
        key="charging",
        values=(Value.CHARGE_STATE,),
        translation_key="charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        is_on_fn=lambda s: s.vehicle.charging,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="plugged_in",
        values=(Value.CHARGE_STATE,),
        translation_key="plugged_in",
        device_class=BinarySensorDeviceClass.PLUG,
        is_on_fn=lambda s: s.vehicle.plugged_in,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="moving",
        values=(Value.SPEED,),
        translation_key="moving",
        device_class=BinarySensorDeviceClass.MOVING,
        is_on_fn=lambda s: s.vehicle.moving,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="at_home",
        values=(Value.POSITION,),
        translation_key="at_home",
        device_class=BinarySensorDeviceClass.PRESENCE,
        is_on_fn=lambda s: None if s.approach is None else s.approach.at_home,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="connected",
        values=(Value.CONNECTED,),
        translation_key="connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        is_on_fn=lambda s: s.vehicle.connected,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's binary sensors."""
    coordinator = entry.runtime_data.coordinator
    capabilities = coordinator.source.capabilities
    async_add_entities(
        CarBridgeBinarySensor(coordinator, description, description.values)
        for description in BINARY_SENSORS
        if provided(capabilities, description.values)
    )


class CarBridgeBinarySensor(CarBridgeEntity, BinarySensorEntity):
    """A vehicle binary sensor."""

    entity_description: CarBridgeBinarySensorEntityDescription

    def shown(self) -> bool | None:
        """Return the state."""
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """Return the state."""
        return self.entity_description.is_on_fn(self.snapshot)
