"""Cabin climate of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    ClimateEntity,
    ClimateEntityDescription,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, Platform, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .coordinator import CarBridgeCoordinator
from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, CarBridgeEntityDescription, async_add_described
from .vehicle.model import Command, Value
from .vehicle.source import VehicleSource

PARALLEL_UPDATES = 1

# Home Assistant 2026.11 renamed the unit and temperature members to native_*
# and deprecated the old names; 2026.10 knows only the old ones. Both versions
# are supported: the entity provides the native names, and the old ones only
# where Home Assistant still reads them.
_HAS_NATIVE_UNIT = hasattr(ClimateEntity, "native_temperature_unit")
#: The step of a car that does not say its own.
DEFAULT_STEP = 0.5


@dataclass(frozen=True, kw_only=True)
class CarBridgeClimateEntityDescription(ClimateEntityDescription, CarBridgeEntityDescription):
    """Describes a Car Bridge climate."""

    #: Switch climate (on, and a target in °C or None to keep it).
    set_fn: Callable[[VehicleSource, bool, float | None], Awaitable[None]]


CLIMATES: tuple[CarBridgeClimateEntityDescription, ...] = (
    CarBridgeClimateEntityDescription(
        key="cabin",
        translation_key="cabin",
        values=(Value.CLIMATE,),
        exists_fn=lambda capabilities: capabilities.accepts(Command.CLIMATE),
        set_fn=lambda source, on, target: source.async_set_climate(on, target),
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's cabin climate, if its source backs one."""
    async_add_described(
        hass, entry, async_add_entities, CLIMATES, CarBridgeClimate, platform=Platform.CLIMATE
    )


class CarBridgeClimate(CarBridgeEntity, ClimateEntity):
    """Cabin pre-conditioning: heats or cools toward the target."""

    entity_description: CarBridgeClimateEntityDescription
    _attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT_COOL]
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _attr_native_temperature_unit = UnitOfTemperature.CELSIUS

    def __init__(
        self, coordinator: CarBridgeCoordinator, description: CarBridgeClimateEntityDescription
    ) -> None:
        """Create the entity with the car's own target range, telling 2026.10 its unit too."""
        super().__init__(coordinator, description)
        if not _HAS_NATIVE_UNIT:
            self._attr_temperature_unit = UnitOfTemperature.CELSIUS
        # A car that does not say keeps Home Assistant's default range.
        if (limits := coordinator.source.capabilities.climate_range) is not None:
            self._attr_min_temp = limits.low
            self._attr_max_temp = limits.high
        step = None if limits is None else limits.step
        self._attr_target_temperature_step = step or DEFAULT_STEP

    def shown(self) -> tuple[bool | None, float | None, float | None]:
        """Return mode, target and cabin temperature."""
        v = self.snapshot.vehicle
        return (v.climate_on, v.climate_target, v.cabin_temperature)

    @property
    def hvac_mode(self) -> HVACMode | None:
        """Return whether climate runs."""
        on = self.snapshot.vehicle.climate_on
        if on is None:
            return None
        return HVACMode.HEAT_COOL if on else HVACMode.OFF

    @property
    def native_current_temperature(self) -> float | None:
        """Return the cabin temperature."""
        return self.snapshot.vehicle.cabin_temperature

    @property
    def native_target_temperature(self) -> float | None:
        """Return the target temperature."""
        return self.snapshot.vehicle.climate_target

    if not _HAS_NATIVE_UNIT:
        current_temperature = native_current_temperature
        target_temperature = native_target_temperature

    async def _set(self, on: bool, target: float | None = None) -> None:
        set_fn = self.entity_description.set_fn
        await self.coordinator.async_command(
            Command.CLIMATE, lambda source: set_fn(source, on, target)
        )

    async def async_set_hvac_mode(self, hvac_mode: HVACMode) -> None:
        """Switch climate on or off."""
        await self._set(hvac_mode != HVACMode.OFF)

    async def async_set_temperature(self, **kwargs: Any) -> None:
        """Set the target, and the mode when given."""
        mode = kwargs.get(ATTR_HVAC_MODE)
        on = bool(self.snapshot.vehicle.climate_on) if mode is None else mode != HVACMode.OFF
        await self._set(on, kwargs.get(ATTR_TEMPERATURE))

    async def async_turn_on(self) -> None:
        """Start climate."""
        await self._set(True)

    async def async_turn_off(self) -> None:
        """Stop climate."""
        await self._set(False)
