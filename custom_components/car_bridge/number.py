"""Charge limit of a Car Bridge vehicle."""

from __future__ import annotations

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .energy_entities import charging_current_numbers
from .entity import CarBridgeEntity, provided
from .vehicle.model import Command, Value

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
CHARGE_LIMIT_VALUES = (Value.CHARGE_LIMIT,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's charge limit, if it has one."""
    coordinator = entry.runtime_data.coordinator
    if provided(coordinator.source.capabilities, CHARGE_LIMIT_VALUES):
        async_add_entities([CarBridgeChargeLimit(coordinator, CHARGE_LIMIT, CHARGE_LIMIT_VALUES)])
    async_add_entities(charging_current_numbers(coordinator))


class CarBridgeChargeLimit(CarBridgeEntity, NumberEntity):
    """The state of charge at which charging stops."""

    def shown(self) -> int | None:
        """Return the limit."""
        return self.native_value

    @property
    def native_value(self) -> int | None:
        """Return the limit."""
        return self.snapshot.vehicle.charge_limit

    async def async_set_native_value(self, value: float) -> None:
        """Set the limit."""
        percent = round(value)
        await self.coordinator.async_command(
            Command.CHARGE_LIMIT, lambda source: source.async_set_charge_limit(percent)
        )
