"""Door lock of a Car Bridge vehicle."""

from __future__ import annotations

from typing import Any

from homeassistant.components.lock import LockEntity
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity

PARALLEL_UPDATES = 1

DOORS = EntityDescription(key="doors", translation_key="doors")


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's door lock."""
    async_add_entities([CarBridgeLock(entry.runtime_data.coordinator, DOORS)])


class CarBridgeLock(CarBridgeEntity, LockEntity):
    """Central locking."""

    def shown(self) -> bool:
        """Return the state."""
        return self.is_locked

    @property
    def is_locked(self) -> bool:
        """Return whether the doors are locked."""
        return self.snapshot.vehicle.locked

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the doors."""
        self.coordinator.async_command("set_locked", True)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the doors."""
        self.coordinator.async_command("set_locked", False)
