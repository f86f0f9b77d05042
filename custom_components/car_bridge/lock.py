"""Door lock of a Car Bridge vehicle."""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import LockEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, provided
from .vehicle.model import Command, Value

PARALLEL_UPDATES = 1

DOORS = EntityDescription(key="doors", translation_key="doors")
DOORS_VALUES = (Value.LOCKED,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's door lock, if it has one."""
    coordinator = entry.runtime_data.coordinator
    if provided(coordinator.source.capabilities, DOORS_VALUES):
        async_add_entities([CarBridgeLock(coordinator, DOORS, DOORS_VALUES)])


class CarBridgeLock(CarBridgeEntity, LockEntity):
    """Central locking."""

    def shown(self) -> bool | None:
        """Return the state."""
        return self.is_locked

    @property
    def is_locked(self) -> bool | None:
        """Return whether the doors are locked."""
        return self.snapshot.vehicle.locked

    async def _set(self, locked: bool) -> None:
        await self.coordinator.async_command(
            Command.LOCK, lambda source: source.async_set_locked(locked)
        )

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the doors."""
        await self._set(True)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the doors."""
        await self._set(False)
