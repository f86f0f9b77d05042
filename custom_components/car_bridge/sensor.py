"""Sensors of a Car Bridge vehicle."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from homeassistant.components.sensor import (
    SensorDeviceClass,
    SensorEntity,
    SensorEntityDescription,
    SensorStateClass,
)
from homeassistant.const import (
    PERCENTAGE,
    EntityCategory,
    Platform,
    UnitOfLength,
    UnitOfPower,
    UnitOfSpeed,
    UnitOfTemperature,
    UnitOfTime,
)
from homeassistant.core import HomeAssistant
from homeassistant.helpers.entity_platform import AddConfigEntryEntitiesCallback
from homeassistant.helpers.typing import StateType

from .approach.engine import Direction
from .data import CarBridgeConfigEntry
from .departure_sensor import DEPARTURE_SENSORS, NextDepartureSensor
from .destination_sensor import DESTINATION_SENSORS, DestinationSensor
from .entity import CarBridgeEntity, CarBridgeEntityDescription, async_add_described
from .snapshot import CarSnapshot
from .vehicle.model import ChargeState, Value

PARALLEL_UPDATES = 0


@dataclass(frozen=True, kw_only=True)
class CarBridgeSensorEntityDescription(SensorEntityDescription, CarBridgeEntityDescription):
    """Describes a Car Bridge sensor."""

    value_fn: Callable[[CarSnapshot], StateType]


def _distance_km(snapshot: CarSnapshot) -> float | None:
    if snapshot.approach is None:
        return None
    return round(snapshot.approach.distance_m / 1000, 2)


def _direction(snapshot: CarSnapshot) -> str | None:
    return None if snapshot.approach is None else snapshot.approach.direction.value


def _time_to_home(snapshot: CarSnapshot) -> int | None:
    return None if snapshot.approach is None else snapshot.approach.time_to_home_min


def _charge_state(snapshot: CarSnapshot) -> str | None:
    state = snapshot.vehicle.charge_state
    return None if state is None else state.value


SENSORS: tuple[CarBridgeSensorEntityDescription, ...] = (
    CarBridgeSensorEntityDescription(
        key="battery",
        values=(Value.BATTERY_LEVEL,),
        device_class=SensorDeviceClass.BATTERY,
        native_unit_of_measurement=PERCENTAGE,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda s: s.vehicle.battery_level,
    ),
    CarBridgeSensorEntityDescription(
        key="range",
        values=(Value.RANGE,),
        translation_key="range",
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda s: s.vehicle.range_km,
    ),
    CarBridgeSensorEntityDescription(
        key="cabin_temperature",
        values=(Value.CABIN_TEMPERATURE,),
        translation_key="cabin_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda s: s.vehicle.cabin_temperature,
    ),
    CarBridgeSensorEntityDescription(
        key="outside_temperature",
        values=(Value.OUTSIDE_TEMPERATURE,),
        translation_key="outside_temperature",
        device_class=SensorDeviceClass.TEMPERATURE,
        native_unit_of_measurement=UnitOfTemperature.CELSIUS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda s: s.vehicle.outside_temperature,
    ),
    CarBridgeSensorEntityDescription(
        key="charging_power",
        values=(Value.CHARGING_POWER,),
        translation_key="charging_power",
        device_class=SensorDeviceClass.POWER,
        native_unit_of_measurement=UnitOfPower.KILO_WATT,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=lambda s: s.vehicle.charging_power,
    ),
    CarBridgeSensorEntityDescription(
        key="charge_state",
        values=(Value.CHARGE_STATE,),
        translation_key="charge_state",
        device_class=SensorDeviceClass.ENUM,
        options=[state.value for state in ChargeState],
        value_fn=_charge_state,
    ),
    CarBridgeSensorEntityDescription(
        key="odometer",
        values=(Value.ODOMETER,),
        translation_key="odometer",
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.TOTAL_INCREASING,
        suggested_display_precision=0,
        entity_category=EntityCategory.DIAGNOSTIC,
        value_fn=lambda s: s.vehicle.odometer,
    ),
    CarBridgeSensorEntityDescription(
        key="speed",
        values=(Value.SPEED,),
        translation_key="speed",
        device_class=SensorDeviceClass.SPEED,
        native_unit_of_measurement=UnitOfSpeed.KILOMETERS_PER_HOUR,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=0,
        value_fn=lambda s: s.vehicle.speed,
    ),
    CarBridgeSensorEntityDescription(
        key="distance_to_home",
        values=(Value.POSITION,),
        translation_key="distance_to_home",
        device_class=SensorDeviceClass.DISTANCE,
        native_unit_of_measurement=UnitOfLength.KILOMETERS,
        state_class=SensorStateClass.MEASUREMENT,
        suggested_display_precision=1,
        value_fn=_distance_km,
    ),
    CarBridgeSensorEntityDescription(
        key="direction_of_travel",
        values=(Value.POSITION,),
        translation_key="direction_of_travel",
        device_class=SensorDeviceClass.ENUM,
        options=[direction.value for direction in Direction],
        value_fn=_direction,
    ),
    CarBridgeSensorEntityDescription(
        key="time_to_home",
        values=(Value.POSITION,),
        translation_key="time_to_home",
        device_class=SensorDeviceClass.DURATION,
        native_unit_of_measurement=UnitOfTime.MINUTES,
        suggested_display_precision=0,
        value_fn=_time_to_home,
    ),
)


async def async_setup_entry(
    hass: HomeAssistant,
    entry: CarBridgeConfigEntry,
    async_add_entities: AddConfigEntryEntitiesCallback,
) -> None:
    """Add the sensors the vehicle's source backs."""
    async_add_described(
        hass, entry, async_add_entities, SENSORS, CarBridgeSensor, platform=Platform.SENSOR
    )
    async_add_described(
        hass,
        entry,
        async_add_entities,
        DEPARTURE_SENSORS,
        NextDepartureSensor,
        platform=Platform.SENSOR,
    )
    async_add_described(
        hass,
        entry,
        async_add_entities,
        DESTINATION_SENSORS,
        DestinationSensor,
        platform=Platform.SENSOR,
    )


class CarBridgeSensor(CarBridgeEntity, SensorEntity):
    """A vehicle sensor."""

    entity_description: CarBridgeSensorEntityDescription

    def shown(self) -> StateType:
        """Return the value."""
        return self.native_value

    @property
    def native_value(self) -> StateType:
        """Return the value."""
        return self.entity_description.value_fn(self.snapshot)
