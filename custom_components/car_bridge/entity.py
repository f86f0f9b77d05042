"""Base entity and entity description for Car Bridge."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.device_registry import DeviceInfo
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.update_coordinator import CoordinatorEntity

from .const import DOMAIN
from .coordinator import CarBridgeCoordinator
from .data import CarBridgeConfigEntry
from .entity_ids import async_remove_absent, entity_unique_id, vehicle_id
from .snapshot import CarSnapshot
from .vehicle.model import Capabilities, Value


def _always(capabilities: Capabilities) -> bool:
    return True


@dataclass(frozen=True, kw_only=True)
class CarBridgeEntityDescription(EntityDescription):
    """What every Car Bridge entity description carries besides Home Assistant's fields."""

    #: What the entity rests on: it exists only if the source provides all of
    #: it, and it is unavailable while any of it is unavailable at the source.
    values: tuple[Value, ...] = ()
    #: What else the source must back (a command for an entity that sends one).
    exists_fn: Callable[[Capabilities], bool] = _always


def exists(description: CarBridgeEntityDescription, capabilities: Capabilities) -> bool:
    """Return whether the entity ``description`` describes exists for this source."""
    return capabilities.has(*description.values) and description.exists_fn(capabilities)


@callback
def async_add_described[D: CarBridgeEntityDescription](
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
    descriptions: Sequence[D],
    factory: Callable[[CarBridgeCoordinator, D], CarBridgeEntity],
    *,
    platform: str,
) -> None:
    """Add the entities the source backs; remove those it positively does not.

    Only here is an entity removed from the registry: this platform set up and
    its description says the source cannot back it. A platform that fails
    never gets here, so its entities keep their names, areas and entity ids.
    """
    coordinator = entry.runtime_data.coordinator
    capabilities = coordinator.source.capabilities
    present = [d for d in descriptions if exists(d, capabilities)]
    async_remove_absent(hass, entry, platform, (d.key for d in descriptions if d not in present))
    entities: Iterable[CarBridgeEntity] = [factory(coordinator, d) for d in present]
    async_add_entities(entities)


class CarBridgeEntity(CoordinatorEntity[CarBridgeCoordinator]):
    """A vehicle entity that writes its state only when what it shows changed."""

    _attr_has_entity_name = True
    entity_description: CarBridgeEntityDescription

    def __init__(
        self, coordinator: CarBridgeCoordinator, description: CarBridgeEntityDescription
    ) -> None:
        """Attach the entity to its vehicle's device."""
        super().__init__(coordinator)
        self.entity_description = description
        self._values = frozenset(description.values)
        entry = coordinator.config_entry
        self._attr_unique_id = entity_unique_id(entry, description.key)
        self._attr_device_info = DeviceInfo(identifiers={(DOMAIN, vehicle_id(entry))})
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
