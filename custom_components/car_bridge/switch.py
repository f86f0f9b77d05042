"""Charging switch of a Car Bridge vehicle."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchDeviceClass, SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity

PARALLEL_UPDATES = 1

CHARGING = EntityDescription(key="charging_switch", translation_key="charging")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's charging switch."""
    async_add_entities([CarBridgeChargingSwitch(entry.runtime_data.coordinator, CHARGING)])


class CarBridgeChargingSwitch(CarBridgeEntity, SwitchEntity):
    """On while the car is plugged in and allowed to charge."""

    _attr_device_class = SwitchDeviceClass.SWITCH

    def shown(self) -> bool:
        """Return the state."""
        return self.is_on

    @property
    def is_on(self) -> bool:
        """Return whether charging is enabled on a connected car."""
        v = self.snapshot.vehicle
        return v.plugged_in and v.charging_enabled

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start charging (needs the cable)."""
        self.coordinator.async_command("set_charging", True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop charging."""
        self.coordinator.async_command("set_charging", False)
