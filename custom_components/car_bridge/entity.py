"""Base entity for Car Bridge."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Hashable

from homeassistant.core import callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import CarBridgeCoordinator
from .snapshot import CarSnapshot
from .vehicle.model import Capabilities, Value


def provided(capabilities: Capabilities, values: tuple[Value, ...]) -> bool:
    """Return whether an entity resting on ``values`` exists for this source."""
    return capabilities.has(*values)


class CarBridgeEntity(CoordinatorEntity[CarBridgeCoordinator]):
    """A vehicle entity that writes its state only when what it shows changed.

    ``values`` are what the entity rests on: it is unavailable while any of
    them is unavailable at the source.
    """

    _attr_has_entity_name = True

    def __init__(
        self,
        coordinator: CarBridgeCoordinator,
        description: EntityDescription,
        values: tuple[Value, ...],
    ) -> None:
        """Attach the entity to its vehicle's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._values = frozenset(values)
        entry = coordinator.config_entry
        vehicle_id = entry.unique_id or entry.entry_id
        self._attr_unique_id = f"{vehicle_id}_{description.key}"
        coordinator.entity_unique_ids.add(self._attr_unique_id)
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, vehicle_id)})
        self._shown: Hashable = None

    @property
    def snapshot(self) -> CarSnapshot:
        """Return the vehicle's latest snapshot."""
        return self.coordinator.data

    @property
    def available(self) -> bool:
        """Return False while the source cannot give what this entity shows."""
        return super().available and not self._values & self.snapshot.vehicle.unavailable

    @abstractmethod
    def shown(self) -> Hashable:
        """Return everything this entity shows; a change means a state write."""

    def _shown_with_availability(self) -> Hashable:
        available = self.available
        return (available, self.shown() if available else None)

    async def async_added_to_hass(self) -> None:
        """Remember what was written first."""
        await super().async_added_to_hass()
        self._shown = self._shown_with_availability()

    @callback
    def _handle_coordinator_update(self) -> None:
        shown = self._shown_with_availability()
        if shown == self._shown:
            return
        self._shown = shown
        self.async_write_ha_state()
