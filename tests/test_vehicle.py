"""The simulated car through Home Assistant: entities, physics and commands."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.car_bridge.const import DOMAIN
from homeassistant.components.sensor import SensorDeviceClass, SensorStateClass
from homeassistant.const import ATTR_DEVICE_CLASS, ATTR_UNIT_OF_MEASUREMENT
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er

from .conftest import VEHICLE_ID, send_destination

ENTITIES = {
    "device_tracker.su7": None,
    "sensor.su7_battery": (SensorDeviceClass.BATTERY, "%"),
    "sensor.su7_range": (SensorDeviceClass.DISTANCE, "km"),
    "sensor.su7_cabin_temperature": (SensorDeviceClass.TEMPERATURE, "°C"),
    "sensor.su7_outside_temperature": (SensorDeviceClass.TEMPERATURE, "°C"),
    "sensor.su7_charging_power": (SensorDeviceClass.POWER, "kW"),
    "sensor.su7_charge_state": (SensorDeviceClass.ENUM, None),
    "sensor.su7_odometer": (SensorDeviceClass.DISTANCE, "km"),
    "sensor.su7_speed": (SensorDeviceClass.SPEED, "km/h"),
    "sensor.su7_distance_to_home": (SensorDeviceClass.DISTANCE, "km"),
    "sensor.su7_direction_of_travel": (SensorDeviceClass.ENUM, None),
    "sensor.su7_time_to_home": (SensorDeviceClass.DURATION, "min"),
    "sensor.su7_next_departure": (SensorDeviceClass.TIMESTAMP, None),
    "sensor.su7_destination": None,
    "binary_sensor.su7_charging": ("battery_charging", None),
    "binary_sensor.su7_plugged_in": ("plug", None),
    "binary_sensor.su7_moving": ("moving", None),
    "binary_sensor.su7_at_home": ("presence", None),
    "climate.su7_cabin": None,
    "switch.su7_charging_enabled": None,
    "number.su7_charge_limit": None,
    "lock.su7_doors": None,
}


def state(hass: HomeAssistant, entity_id: str) -> str:
    return hass.states.get(entity_id).state


async def drive_home(hass: HomeAssistant, tick: Callable[..., Any]) -> int:
    await send_destination(hass, zone="zone.home")
    return int(await tick(1800, until=lambda: state(hass, "sensor.su7_speed") == "0.0"))


async def test_entities(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    registry = er.async_get(hass)
    for entity_id, expected in ENTITIES.items():
        st = hass.states.get(entity_id)
        assert st is not None, entity_id
        entry = registry.async_get(entity_id)
        assert entry is not None
        assert entry.unique_id.startswith(f"{VEHICLE_ID}_")
        if expected is not None:
            device_class, unit = expected
            assert st.attributes.get(ATTR_DEVICE_CLASS) == device_class, entity_id
            assert st.attributes.get(ATTR_UNIT_OF_MEASUREMENT) == unit, entity_id
    assert len(er.async_entries_for_config_entry(registry, init_integration.entry_id)) == len(
        ENTITIES
    )
    odometer = hass.states.get("sensor.su7_odometer")
    assert odometer.attributes["state_class"] == SensorStateClass.TOTAL_INCREASING
    assert hass.states.get("sensor.su7_charge_state").attributes["options"] == [
        "disconnected",
        "plugged_in",
        "charging",
        "complete",
    ]
    tracker = hass.states.get("device_tracker.su7")
    assert tracker.state == "not_home"
    assert tracker.attributes["gps_accuracy"] == 5.0
    assert tracker.attributes["source_type"] == "gps"
    assert state(hass, "sensor.su7_battery") == "80.0"
    assert state(hass, "sensor.su7_charge_state") == "disconnected"
    assert state(hass, "lock.su7_doors") == "locked"
    assert state(hass, "climate.su7_cabin") == "off"
    assert state(hass, "number.su7_charge_limit") == "80"


async def test_drive_home_8km(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    battery_before = float(state(hass, "sensor.su7_battery"))
    odometer_before = float(state(hass, "sensor.su7_odometer"))
    seconds = await drive_home(hass, tick)

    assert 9.5 * 60 <= seconds <= 10.5 * 60
    used_kwh = (battery_before - float(state(hass, "sensor.su7_battery"))) / 100 * 101
    assert 1.0 <= used_kwh <= 1.6
    assert float(state(hass, "sensor.su7_odometer")) - odometer_before == pytest.approx(
        8.0, rel=0.01
    )
    assert state(hass, "device_tracker.su7") == "home"
    assert state(hass, "binary_sensor.su7_at_home") == "on"
    assert state(hass, "binary_sensor.su7_moving") == "off"
    assert state(hass, "sensor.su7_distance_to_home") == "0.0"


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 50.0})])
async def test_charges_at_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(1)
    assert state(hass, "binary_sensor.su7_plugged_in") == "on"
    assert state(hass, "binary_sensor.su7_charging") == "on"
    assert state(hass, "sensor.su7_charge_state") == "charging"
    assert state(hass, "switch.su7_charging_enabled") == "on"
    assert float(state(hass, "sensor.su7_charging_power")) == pytest.approx(11.0)
    before = float(state(hass, "sensor.su7_battery"))
    await tick(3600)
    assert float(state(hass, "sensor.su7_battery")) - before == pytest.approx(10.9, abs=0.15)

    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    assert state(hass, "sensor.su7_charge_state") == "plugged_in"
    assert state(hass, "sensor.su7_charging_power") == "0.0"
    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    assert state(hass, "sensor.su7_charge_state") == "charging"

    await hass.services.async_call(
        "number", "set_value", {"entity_id": "number.su7_charge_limit", "value": 55}, blocking=True
    )
    assert state(hass, "number.su7_charge_limit") == "55"
    assert state(hass, "sensor.su7_charge_state") == "complete"


async def test_cannot_charge_when_unplugged(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            "switch", "turn_on", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
        )
    assert err.value.translation_key == "not_plugged_in"
    assert err.value.translation_domain == DOMAIN
    assert state(hass, "switch.su7_charging_enabled") == "off"
    assert state(hass, "sensor.su7_charge_state") == "disconnected"


@pytest.mark.parametrize("entry_options", [{"outside_temperature": 5.0}])
async def test_climate_warms_cabin_1c_per_minute(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    assert state(hass, "sensor.su7_cabin_temperature") == "5.0"
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.su7_cabin", "temperature": 21, "hvac_mode": "heat_cool"},
        blocking=True,
    )
    climate = hass.states.get("climate.su7_cabin")
    assert climate.state == "heat_cool"
    assert climate.attributes["temperature"] == 21
    await tick(300)
    assert float(state(hass, "sensor.su7_cabin_temperature")) == pytest.approx(10.0, abs=0.1)
    await tick(900)
    assert hass.states.get("climate.su7_cabin").attributes["current_temperature"] == 21.0

    await hass.services.async_call(
        "climate", "turn_off", {"entity_id": "climate.su7_cabin"}, blocking=True
    )
    assert state(hass, "climate.su7_cabin") == "off"
    await tick(1200)
    assert float(state(hass, "sensor.su7_cabin_temperature")) == pytest.approx(
        5 + 16 * 0.368, abs=0.2
    )
    await hass.services.async_call(
        "climate", "turn_on", {"entity_id": "climate.su7_cabin"}, blocking=True
    )
    assert state(hass, "climate.su7_cabin") == "heat_cool"
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.su7_cabin", "temperature": 18},
        blocking=True,
    )
    assert hass.states.get("climate.su7_cabin").attributes["temperature"] == 18
    assert state(hass, "climate.su7_cabin") == "heat_cool"
    await hass.services.async_call(
        "climate",
        "set_hvac_mode",
        {"entity_id": "climate.su7_cabin", "hvac_mode": "off"},
        blocking=True,
    )
    assert state(hass, "climate.su7_cabin") == "off"


async def test_lock(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    await hass.services.async_call("lock", "unlock", {"entity_id": "lock.su7_doors"}, blocking=True)
    assert state(hass, "lock.su7_doors") == "unlocked"
    await hass.services.async_call("lock", "lock", {"entity_id": "lock.su7_doors"}, blocking=True)
    assert state(hass, "lock.su7_doors") == "locked"


@pytest.mark.parametrize("start_distance", [0.0])
async def test_parked_car_writes_no_states(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(5)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    writes: list[str] = []
    hass.bus.async_listen("state_changed", lambda e: writes.append(e.data["entity_id"]))
    await tick(600)
    assert writes == []


@pytest.mark.parametrize("entry_options", [{"time_factor": 60.0}])
async def test_time_factor_speeds_up_time(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    seconds = await drive_home(hass, tick)
    assert 9 <= seconds <= 11
    assert float(state(hass, "sensor.su7_odometer")) == pytest.approx(8.0, rel=0.01)


async def test_simulated_time_follows_home_assistant_clock(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await send_destination(hass, zone="zone.home")
    # One late timer call after ten minutes simulates all ten minutes.
    freezer.tick(timedelta(minutes=10))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert float(state(hass, "sensor.su7_odometer")) == pytest.approx(8.0, rel=0.01)
    assert state(hass, "binary_sensor.su7_at_home") == "on"


async def test_charging_entities_have_distinct_names(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    names = [
        hass.states.get(entity_id).attributes["friendly_name"]
        for entity_id in ("binary_sensor.su7_charging", "switch.su7_charging_enabled")
    ]
    assert names == ["SU7 Charging", "SU7 Charging enabled"]
