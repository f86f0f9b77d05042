"""Charge limit of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from homeassistant.components.number import NumberEntity, NumberEntityDescription, NumberMode
from homeassistant.const import PERCENTAGE, EntityCategory, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import CarBridgeCoordinator
from .data import CarBridgeConfigEntry
from .energy_entities import CURRENT_NUMBERS, CarBridgeChargingCurrent
from .entity import CarBridgeEntity, CarBridgeEntityDescription, async_add_described
from .snapshot import CarSnapshot
from .vehicle.model import Capabilities, Command, Range, Value
from .vehicle.source import VehicleSource

PARALLEL_UPDATES = 1


@dataclass(frozen=True, kw_only=True)
class CarBridgeNumberEntityDescription(NumberEntityDescription, CarBridgeEntityDescription):
    """Describes a Car Bridge number; its range is the source's, where it says one."""

    value_fn: Callable[[CarSnapshot], float | None]
    set_fn: Callable[[VehicleSource, float], Awaitable[None]]
    command: Command
    range_fn: Callable[[Capabilities], Range | None]


NUMBERS: tuple[CarBridgeNumberEntityDescription, ...] = (
    CarBridgeNumberEntityDescription(
        key="charge_limit",
        translation_key="charge_limit",
        native_step=1,
        native_unit_of_measurement=PERCENTAGE,
        mode=NumberMode.SLIDER,
        entity_category=EntityCategory.CONFIG,
        values=(Value.CHARGE_LIMIT,),
        exists_fn=lambda capabilities: capabilities.accepts(Command.CHARGE_LIMIT),
        value_fn=lambda s: s.vehicle.charge_limit,
        command=Command.CHARGE_LIMIT,
        set_fn=lambda source, value: source.async_set_charge_limit(round(value)),
        range_fn=lambda capabilities: capabilities.charge_limit_range,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's charge limit, if its source backs one."""
    async_add_described(
        hass, entry, async_add_entities, NUMBERS, CarBridgeNumber, platform=Platform.NUMBER
    )
    async_add_described(
        hass,
        entry,
        async_add_entities,
        CURRENT_NUMBERS,
        CarBridgeChargingCurrent,
        platform=Platform.NUMBER,
    )


def _whole(value: float) -> float:
    """Return a whole number as an int (a range of 50 to 100 %, not 50.0 to 100.0 %)."""
    return int(value) if float(value).is_integer() else value


class CarBridgeNumber(CarBridgeEntity, NumberEntity):
    """A setting of the car (the state of charge at which charging stops)."""

    entity_description: CarBridgeNumberEntityDescription

    def __init__(
        self, coordinator: CarBridgeCoordinator, description: CarBridgeNumberEntityDescription
    ) -> None:
        """Create the entity with the car's own range (Home Assistant's if it does not say)."""
        super().__init__(coordinator, description)
        if (limits := description.range_fn(coordinator.source.capabilities)) is not None:
            self._attr_native_min_value = _whole(limits.low)
            self._attr_native_max_value = _whole(limits.high)
            if limits.step is not None:
                self._attr_native_step = _whole(limits.step)

    def shown(self) -> float | None:
        """Return the value."""
        return self.native_value

    @property
    def native_value(self) -> float | None:
        """Return the value."""
        return self.entity_description.value_fn(self.snapshot)

    async def async_set_native_value(self, value: float) -> None:
        """Set the value."""
        set_fn = self.entity_description.set_fn
        await self.coordinator.async_command(
            self.entity_description.command, lambda source: set_fn(source, value)
        )
