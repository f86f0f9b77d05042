"""Binary sensors of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.binary_sensor import (
    BinarySensorDeviceClass,
    BinarySensorEntity,
    BinarySensorEntityDescription,
)
from homeassistant.const import EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, CarBridgeEntityDescription, async_add_described
from .snapshot import CarSnapshot
from .vehicle.model import Value

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CarBridgeBinarySensorEntityDescription(
    BinarySensorEntityDescription, CarBridgeEntityDescription
):
    """Describes a Car Bridge binary sensor."""

    value_fn: Callable[[CarSnapshot], bool | None]


BINARY_SENSORS: tuple[CarBridgeBinarySensorEntityDescription, ...] = (
    CarBridgeBinarySensorEntityDescription(
        key="charging",
        values=(Value.CHARGE_STATE,),
        translation_key="charging",
        device_class=BinarySensorDeviceClass.BATTERY_CHARGING,
        value_fn=lambda s: s.vehicle.charging,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="plugged_in",
        values=(Value.CHARGE_STATE,),
        translation_key="plugged_in",
        device_class=BinarySensorDeviceClass.PLUG,
        value_fn=lambda s: s.vehicle.plugged_in,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="moving",
        values=(Value.SPEED,),
        translation_key="moving",
        device_class=BinarySensorDeviceClass.MOVING,
        value_fn=lambda s: s.vehicle.moving,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="at_home",
        values=(Value.POSITION,),
        translation_key="at_home",
        device_class=BinarySensorDeviceClass.PRESENCE,
        value_fn=lambda s: None if s.approach is None else s.approach.at_home,
    ),
    CarBridgeBinarySensorEntityDescription(
        key="connected",
        values=(Value.CONNECTED,),
        translation_key="connected",
        device_class=BinarySensorDeviceClass.CONNECTIVITY,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: s.vehicle.connected,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the binary sensors the vehicle's source backs."""
    async_add_described(
        hass,
        entry,
        async_add_entities,
        BINARY_SENSORS,
        CarBridgeBinarySensor,
        platform=Platform.BINARY_SENSOR,
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
        return self.entity_description.value_fn(self.snapshot)
