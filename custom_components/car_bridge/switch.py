"""Charging switch of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.switch import (
    SwitchDeviceClass,
    SwitchEntity,
    SwitchEntityDescription,
)
from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, CarBridgeEntityDescription, async_add_described
from .snapshot import CarSnapshot
from .vehicle.model import Command, Value
from .vehicle.source import VehicleSource

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class CarBridgeSwitchEntityDescription(SwitchEntityDescription, CarBridgeEntityDescription):
    """Describes a Car Bridge switch."""

    value_fn: Callable[[CarSnapshot], bool | None]
    set_fn: Callable[[VehicleSource, bool], Awaitable[None]]
    command: Command


def _charging_enabled(snapshot: CarSnapshot) -> bool | None:
    # On while the car is plugged in and allowed to charge. It stays on when
    # the car has reached its limit and draws nothing (charge state
    # "complete"), as the car would charge again below it; whether energy
    # flows is the charging binary sensor's job.
    v = snapshot.vehicle
    if v.plugged_in is False:
        return False
    return v.charging_enabled


SWITCHES: tuple[CarBridgeSwitchEntityDescription, ...] = (
    CarBridgeSwitchEntityDescription(
        key="charging_switch",
        translation_key="charging",
        device_class=SwitchDeviceClass.SWITCH,
        values=(Value.CHARGING_ENABLED,),
        exists_fn=lambda capabilities: capabilities.accepts(Command.CHARGING),
        value_fn=_charging_enabled,
        command=Command.CHARGING,
        set_fn=lambda source, on: source.async_set_charging(on),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's charging switch, if its source backs one."""
    async_add_described(
        hass, entry, async_add_entities, SWITCHES, CarBridgeSwitch, platform=Platform.SWITCH
    )


class CarBridgeSwitch(CarBridgeEntity, SwitchEntity):
    """A switch of the car (whether charging is enabled)."""

    entity_description: CarBridgeSwitchEntityDescription

    def shown(self) -> bool | None:
        """Return the state."""
        return self.is_on

    @property
    def is_on(self) -> bool | None:
        """Return the state."""
        return self.entity_description.value_fn(self.snapshot)

    async def _set(self, on: bool) -> None:
        set_fn = self.entity_description.set_fn
        await self.coordinator.async_command(
            self.entity_description.command, lambda source: set_fn(source, on)
        )

    async def async_turn_on(self, **kwargs: Any) -> None:
        """Switch on (charging needs the cable)."""
        await self._set(True)

    async def async_turn_off(self, **kwargs: Any) -> None:
        """Switch off."""
        await self._set(False)
