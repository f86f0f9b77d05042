"""Charge limit of a Car Bridge vehicle."""

from __future__ import annotations

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity

PARALLEL_UPDATES = 1

CHARGE_LIMIT = NumberEntityDescription(
    key="charge_limit",
    translation_key="charge_limit",
    native_min_value=50,
    native_max_value=100,
    native_step=1,
    native_unit_of_measurement=PERCENTAGE,
    mode=NumberMode.SLIDER,
    entity_category=EntityCategory.CONFIG,
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's charge limit."""
    async_add_entities([CarBridgeChargeLimit(entry.runtime_data.coordinator, CHARGE_LIMIT)])


class CarBridgeChargeLimit(CarBridgeEntity, NumberEntity):
    """The state of charge at which charging stops."""

    def shown(self) -> int:
        """Return the limit."""
        return self.native_value

    @property
    def native_value(self) -> int:
        """Return the limit."""
        return self.snapshot.vehicle.charge_limit

    async def async_set_native_value(self, value: float) -> None:
        """Set the limit."""
        self.coordinator.async_command("set_charge_limit", round(value))
