"""Door lock of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.lock import LockEntity, LockEntityDescription
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
class CarBridgeLockEntityDescription(LockEntityDescription, CarBridgeEntityDescription):
    """Describes a Car Bridge lock."""

    value_fn: Callable[[CarSnapshot], bool | None]
    #: Lock (True) or unlock (False).
    set_fn: Callable[[VehicleSource, bool], Awaitable[None]]


LOCKS: tuple[CarBridgeLockEntityDescription, ...] = (
    CarBridgeLockEntityDescription(
        key="doors",
        translation_key="doors",
        values=(Value.LOCKED,),
        exists_fn=lambda capabilities: capabilities.accepts(Command.LOCK),
        value_fn=lambda s: s.vehicle.locked,
        set_fn=lambda source, locked: source.async_set_locked(locked),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's door lock, if its source backs one."""
    async_add_described(
        hass, entry, async_add_entities, LOCKS, CarBridgeLock, platform=Platform.LOCK
    )


class CarBridgeLock(CarBridgeEntity, LockEntity):
    """Central locking."""

    entity_description: CarBridgeLockEntityDescription

    def shown(self) -> bool | None:
        """Return the state."""
        return self.is_locked

    @property
    def is_locked(self) -> bool | None:
        """Return whether the doors are locked."""
        return self.entity_description.value_fn(self.snapshot)

    async def _set(self, locked: bool) -> None:
        set_fn = self.entity_description.set_fn
        await self.coordinator.async_command(Command.LOCK, lambda source: set_fn(source, locked))

    async def async_lock(self, **kwargs: Any) -> None:
        """Lock the doors."""
        await self._set(True)

    async def async_unlock(self, **kwargs: Any) -> None:
        """Unlock the doors."""
        await self._set(False)
