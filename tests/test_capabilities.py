"""Entities exist for what the source backs, with the ranges the source itself gives."""

from __future__ import annotations

from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.car_bridge.const import CONF_SOURCE, CONF_ZONE, DOMAIN, SOURCE_MIRROR
from custom_components.car_bridge.vehicle.model import Range
from homeassistant.components.climate import DEFAULT_MAX_TEMP, DEFAULT_MIN_TEMP
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import entity_registry as er
from homeassistant.util.unit_system import US_CUSTOMARY_SYSTEM

pytestmark = pytest.mark.usefixtures("home_zone")

TRACKER = "device_tracker.id4_location"
CLIMATE = "climate.id4"
LIMIT = "number.id4_charge_limit"
FIX = {"latitude": 52.4, "longitude": 4.9, "gps_accuracy": 10}


async def _mirror(hass: HomeAssistant, **entities: str) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="ID4",
        unique_id="4e2a8c6b4d2f0e1a3c5b7d9f3c1e9b7f",
        version=2,
        data={CONF_SOURCE: SOURCE_MIRROR, CONF_NAME: "ID4", CONF_ZONE: "zone.home"},
        options={"tracker": TRACKER, **entities},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def _climate(hass: HomeAssistant, **attributes: Any) -> None:
    hass.states.async_set(
        CLIMATE,
        "off",
        {"hvac_modes": ["off", "heat_cool"], "temperature": 21, **attributes},
    )


async def test_mirrored_climate_range_is_the_cars(hass: HomeAssistant) -> None:
    hass.states.async_set(TRACKER, "not_home", FIX)
    _climate(hass, min_temp=16, max_temp=30, target_temp_step=1)
    await _mirror(hass, climate=CLIMATE)
    state = hass.states.get("climate.id4_cabin")
    assert state is not None
    assert (state.attributes["min_temp"], state.attributes["max_temp"]) == (16, 30)
    assert state.attributes["target_temp_step"] == 1
    # Home Assistant refuses a target the car does not accept.
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "climate",
            "set_temperature",
            {"entity_id": "climate.id4_cabin", "temperature": 15},
            blocking=True,
        )
    calls = async_mock_service(hass, "climate", "set_temperature")
    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.id4_cabin", "temperature": 29.5},
        blocking=True,
    )
    assert calls[0].data["temperature"] == 29.5


async def test_mirrored_climate_in_fahrenheit(hass: HomeAssistant) -> None:
    """A car in a °F house: its 60 to 86 °F is 15.6 to 30 °C, shown again as 60 to 86 °F."""
    hass.config.units = US_CUSTOMARY_SYSTEM
    hass.states.async_set(TRACKER, "not_home", FIX)
    _climate(hass, min_temp=60, max_temp=86, target_temp_step=1)
    await _mirror(hass, climate=CLIMATE)
    state = hass.states.get("climate.id4_cabin")
    assert state is not None
    assert state.attributes["min_temp"] == pytest.approx(60, abs=0.1)
    assert state.attributes["max_temp"] == pytest.approx(86, abs=0.1)


@pytest.mark.parametrize(
    "attributes",
    [{}, {"min_temp": 30, "max_temp": 16}, {"min_temp": "cold", "max_temp": 30}],
    ids=["none", "reversed", "not a number"],
)
async def test_mirrored_climate_without_a_sound_range(
    hass: HomeAssistant, attributes: dict[str, Any]
) -> None:
    """A car that says no (sound) range gets Home Assistant's default, not the simulator's."""
    hass.states.async_set(TRACKER, "not_home", FIX)
    _climate(hass, **attributes)
    await _mirror(hass, climate=CLIMATE)
    state = hass.states.get("climate.id4_cabin")
    assert state is not None
    assert (state.attributes["min_temp"], state.attributes["max_temp"]) == (
        DEFAULT_MIN_TEMP,
        DEFAULT_MAX_TEMP,
    )
    assert state.attributes["target_temp_step"] == 0.5


async def test_mirrored_charge_limit_range_is_the_cars(hass: HomeAssistant) -> None:
    hass.states.async_set(TRACKER, "not_home", FIX)
    hass.states.async_set(LIMIT, "90", {"min": 20, "max": 100, "step": 5})
    await _mirror(hass, charge_limit=LIMIT)
    state = hass.states.get("number.id4_charge_limit")
    assert state is not None
    assert (state.attributes["min"], state.attributes["max"], state.attributes["step"]) == (
        20,
        100,
        5,
    )
    assert state.state == "90"


async def test_charge_limit_range_from_the_registry_before_the_state(
    hass: HomeAssistant,
) -> None:
    """While the car's number has no state yet, its registry capabilities give the range."""
    er.async_get(hass).async_get_or_create(
        "number",
        "volkswagen",
        "id4_limit",
        suggested_object_id="id4_charge_limit",
        capabilities={"min": 30, "max": 90, "step": 10, "mode": "slider"},
    )
    hass.states.async_set(TRACKER, "not_home", FIX)
    await _mirror(hass, charge_limit=LIMIT)
    state = hass.states.get("number.id4_charge_limit_2")
    assert state is not None
    assert (state.attributes["min"], state.attributes["max"]) == (30, 90)


async def test_simulator_keeps_its_own_ranges(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    climate = hass.states.get("climate.su7_cabin")
    limit = hass.states.get("number.su7_charge_limit")
    assert climate is not None
    assert limit is not None
    assert (climate.attributes["min_temp"], climate.attributes["max_temp"]) == (15, 28)
    assert (limit.attributes["min"], limit.attributes["max"]) == (50, 100)


@pytest.mark.parametrize(("speed", "has_speed"), [({"speed": 12}, True), ({}, False)])
async def test_speed_entity_only_for_a_tracker_with_speed(
    hass: HomeAssistant, speed: dict[str, Any], has_speed: bool
) -> None:
    hass.states.async_set(TRACKER, "not_home", {**FIX, **speed})
    await _mirror(hass)
    assert (hass.states.get("sensor.id4_speed") is not None) is has_speed
    assert (hass.states.get("binary_sensor.id4_moving") is not None) is has_speed
    assert hass.states.get("sensor.id4_distance_to_home") is not None


def test_range_refuses_empty() -> None:
    assert Range(low=16, high=30).step is None
    with pytest.raises(ValueError, match="empty range"):
        Range(low=30, high=30)
