"""The vehicle in the home's energy: energy charged, charge timing, a status evcc reads, current.

Platform-independent descriptions and entity classes; ``sensor.py`` and
``number.py`` add them. The energy sensors are what the Energy dashboard
takes as an individual device: kWh, ``total_increasing``, and only ever
increasing (the meter never subtracts, and resumes from its save).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from homeassistant.components.number import (
    NumberDeviceClass,
    NumberEntity,
    NumberEntityDescription,
    NumberMode,
)
from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import EntityCategory, UnitOfElectricCurrent, UnitOfEnergy
from homeassistant.helpers.typing import StateType

from .entity import CarBridgeEntity, CarBridgeEntityDescription
from .snapshot import CarSnapshot
from .vehicle.model import Capabilities, ChargeState, Command, Value

#: Car Bridge's charge states in the words evcc's ``homeassistant`` vehicle
#: maps to IEC 61851 status A (no car), B (connected) and C (charging).
EVCC_STATUS: dict[ChargeState, str] = {
    ChargeState.DISCONNECTED: "disconnected",
    ChargeState.PLUGGED_IN: "connected",
    ChargeState.COMPLETE: "connected",
    ChargeState.CHARGING: "charging",
}


@dataclass(frozen=True, kw_only=True)
class EnergySensorDescription(SensorEntityDescription, CarBridgeEntityDescription):
    """Describes an energy sensor: what it shows."""

    value_fn: Callable[[CarSnapshot], StateType | datetime]
    attrs_fn: Callable[[CarSnapshot], dict[str, Any]] | None = None


def _charge_rates(snapshot: CarSnapshot) -> dict[str, Any]:
    """Return the rate of the charge under way and the last one seen at home (%/h)."""
    energy = snapshot.energy
    if energy is None:
        return {"charge_rate": None, "home_charge_rate": None}
    return {
        "charge_rate": energy.rate_percent_per_hour,
        "home_charge_rate": energy.home_rate_percent_per_hour,
    }


def _measures_energy(capabilities: Capabilities) -> bool:
    return capabilities.has(Value.ENERGY_ADDED) or capabilities.has(Value.CHARGING_POWER)


def _kwh(value: float) -> float:
    return round(value, 3)


ENERGY_SENSORS: tuple[EnergySensorDescription, ...] = (
    EnergySensorDescription(
        key="energy_charged",
        translation_key="energy_charged",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        exists_fn=_measures_energy,
        value_fn=lambda s: None if s.energy is None else _kwh(s.energy.total_kwh),
    ),
    EnergySensorDescription(
        key="energy_charged_at_home",
        translation_key="energy_charged_at_home",
        device_class=SensorDeviceClass.ENERGY,
        native_unit_of_measurement=UnitOfEnergy.KILO_WATT_HOUR,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=2,
        exists_fn=lambda c: _measures_energy(c) and c.has(Value.POSITION),
        value_fn=lambda s: None if s.energy is None else _kwh(s.energy.home_kwh),
    ),
    EnergySensorDescription(
        key="charge_complete_at",
        translation_key="charge_complete_at",
        device_class=SensorDeviceClass.TIMESTAMP,
        exists_fn=lambda c: c.has(Value.CHARGE_LIMIT),
        value_fn=lambda s: None if s.energy is None else s.energy.complete_at,
        attrs_fn=_charge_rates,
        values=(Value.BATTERY_LEVEL, Value.CHARGE_STATE),
    ),
    EnergySensorDescription(
        key="charging_status_evcc",
        translation_key="charging_status_evcc",
        device_class=SensorDeviceClass.ENUM,
        options=list(dict.fromkeys(EVCC_STATUS.values())),
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: (
            None if (state := s.vehicle.charge_state) is None else EVCC_STATUS[state]
        ),
        values=(Value.CHARGE_STATE,),
    ),
)


class CarBridgeEnergySensor(CarBridgeEntity, SensorEntity):
    """An energy sensor of the vehicle."""

    entity_description: EnergySensorDescription

    def shown(self) -> Hashable:
        """Return the value and its attributes."""
        return (self.native_value, tuple(sorted((self.extra_state_attributes or {}).items())))

    @property
    def extra_state_attributes(self) -> dict[str, Any] | None:
        """Return what the description adds (the charge rates)."""
        attrs_fn = self.entity_description.attrs_fn
        return None if attrs_fn is None else attrs_fn(self.snapshot)

    @property
    def native_value(self) -> StateType | datetime:
        """Return the value."""
        return self.entity_description.value_fn(self.snapshot)


@dataclass(frozen=True, kw_only=True)
class ChargingCurrentDescription(NumberEntityDescription, CarBridgeEntityDescription):
    """Describes the charging current."""


CURRENT_NUMBERS = (
    ChargingCurrentDescription(
        key="charging_current",
        translation_key="charging_current",
        device_class=NumberDeviceClass.CURRENT,
        native_unit_of_measurement=UnitOfElectricCurrent.AMPERE,
        native_step=1,
        mode=NumberMode.BOX,
        values=(Value.CHARGING_CURRENT,),
        exists_fn=lambda c: c.accepts(Command.CHARGING_CURRENT),
    ),
)
#: The range shown before the source says its own (IEC 61851: 6 A at least).
DEFAULT_CURRENT_RANGE = (6.0, 32.0)


class CarBridgeChargingCurrent(CarBridgeEntity, NumberEntity):
    """The current the car draws while charging; solar-surplus chargers step it."""

    entity_description: ChargingCurrentDescription

    def _range(self) -> tuple[float, float]:
        return self.snapshot.vehicle.charging_current_range or DEFAULT_CURRENT_RANGE

    def shown(self) -> tuple[float | None, tuple[float, float]]:
        """Return the current and its range."""
        return (self.native_value, self._range())

    @property
    def native_value(self) -> float | None:
        """Return the current in A."""
        return self.snapshot.vehicle.charging_current

    @property
    def native_min_value(self) -> float:
        """Return the lowest current the source accepts."""
        return self._range()[0]

    @property
    def native_max_value(self) -> float:
        """Return the highest current the source accepts."""
        return self._range()[1]

    async def async_set_native_value(self, value: float) -> None:
        """Set the current."""
        amps = round(value)
        await self.coordinator.async_command(
            Command.CHARGING_CURRENT, lambda source: source.async_set_charging_current(amps)
        )
