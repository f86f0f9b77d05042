"""What a newcomer sees first: the location entity and the charging switch."""

from __future__ import annotations

from collections.abc import Callable
import json
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

ICONS = Path(__file__).parents[1] / "custom_components" / "car_bridge" / "icons.json"


async def test_location_is_the_primary_entity_with_a_car_icon(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    entry = er.async_get(hass).async_get("device_tracker.su7")
    assert entry is not None
    assert entry.entity_category is None  # not under "Diagnostic"
    assert entry.original_name is None  # named like the vehicle
    assert hass.states.get("device_tracker.su7").name == "SU7"
    icons = json.loads(ICONS.read_text())["entity"]
    assert icons[entry.domain][entry.translation_key]["default"] == "mdi:car"


@pytest.mark.parametrize("start_distance", [0.0])
@pytest.mark.parametrize("entry_options", [{"battery_start": 60.0}])
async def test_charging_switch_shows_charging_enabled(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(5)
    assert hass.states.get("binary_sensor.su7_plugged_in").state == "on"
    assert hass.states.get("sensor.su7_charge_state").state == "charging"
    assert hass.states.get("switch.su7_charging_enabled").state == "on"
    # at its limit the car draws nothing, yet charging stays enabled
    await hass.services.async_call(
        "number", "set_value", {"entity_id": "number.su7_charge_limit", "value": 50}, blocking=True
    )
    await tick(2)
    assert hass.states.get("sensor.su7_charge_state").state == "complete"
    assert hass.states.get("binary_sensor.su7_charging").state == "off"
    assert hass.states.get("switch.su7_charging_enabled").state == "on"
    # paused by the user: off
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    assert hass.states.get("switch.su7_charging_enabled").state == "off"
