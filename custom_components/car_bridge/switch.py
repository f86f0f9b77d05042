"""Charging switch of a Car Bridge vehicle."""

from __future__ import annotations

from typing import Any

from homeassistant.components.switch import SwitchDeviceClass, SwitchEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, provided
from .vehicle.model import Command, Value

PARALLEL_UPDATES = 1

CHARGING = EntityDescription(key="charging_switch", translation_key="charging")
CHARGING_VALUES = (Value.CHARGING_ENABLED,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's charging switch, if it has one."""
    coordinator = entry.runtime_data.coordinator
    if provided(coordinator.source.capabilities, CHARGING_VALUES):
        async_add_entities([CarBridgeChargingSwitch(coordinator, CHARGING, CHARGING_VALUES)])


class CarBridgeChargingSwitch(CarBridgeEntity, SwitchEntity):
    """Whether charging is enabled: on while the car is plugged in and allowed to charge.

    It stays on when the car has reached its limit and draws nothing (charge
    state "complete"), as the car would charge again below it; whether energy
    flows is the charging binary sensor's job.
    """

    _attr_device_class = SwitchDeviceClass.SWITCH

    def shown(self) -> bool | None:
        """Return the state."""
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """Return whether charging is enabled on a car that is not unplugged."""
        v = self.snapshot.vehicle
        if v.plugged_in is False:
            return False
        return v.charging_enabled

    async def _set(self, on: bool) -> None:
        await self.coordinator.async_command(
            Command.CHARGING, lambda source: source.async_set_charging(on)
        )

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Start charging (needs the cable)."""
        await self._set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Stop charging."""
        await self._set(False)
