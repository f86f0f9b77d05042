"""Cabin climate of a Car Bridge vehicle."""

from __future__ import annotations

from typing import Any

from homeassistant.components.climate import (
    ATTR_HVAC_MODE,
    ClimateEntity,
    ClimateEntityFeature,
    HVACMode,
)
from homeassistant.const import ATTR_TEMPERATURE, UnitOfTemperature
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity import EntityDescription
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback

from .data import CarBridgeConfigEntry
from .entity import CarBridgeEntity, provided
from .vehicle.model import Command, Value

PARALLEL_UPDATES = 1

# Home Assistant 2026.11 renamed the unit and temperature members to native_*
# and deprecated the old names; 2026.10 knows only the old ones. Both versions
# are supported: the entity provides the native names, and the old ones only
# where Home Assistant still reads them.
_HAS_NATIVE_UNIT = hasattr(ClimateEntity, "native_temperature_unit")

CABIN = EntityDescription(key="cabin", translation_key="cabin")
CABIN_VALUES = (Value.CLIMATE,)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the vehicle's cabin climate, if it has one."""
    coordinator = entry.runtime_data.coordinator
    if provided(coordinator.source.capabilities, CABIN_VALUES):
        async_add_entities([CarBridgeClimate(coordinator, CABIN, CABIN_VALUES)])


class CarBridgeClimate(CarBridgeEntity, ClimateEntity):
    """Cabin pre-conditioning: heats or cools toward the target."""

    _attr_hvac_modes = [HVACMode.OFF, HVACMode.HEAT_COOL]
    _attr_supported_features = (
        ClimateEntityFeature.TARGET_TEMPERATURE
        | ClimateEntityFeature.TURN_ON
        | ClimateEntityFeature.TURN_OFF
    )
    _attr_native_temperature_unit = UnitOfTemperature.CELSIUS
    _attr_min_temp = 15.0
    _attr_max_temp = 28.0
    _attr_target_temperature_step = 0.5

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """Create the entity, telling Home Assistant 2026.10 its unit too."""
        super().__init__(*args, **kwargs)
        if not _HAS_NATIVE_UNIT:
            self._attr_temperature_unit = UnitOfTemperature.CELSIUS

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
        await self.coordinator.async_command(
            Command.CLIMATE, lambda source: source.async_set_climate(on, target)
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
