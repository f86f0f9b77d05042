"""Device triggers in the automation editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_get_device_automation_capabilities,
    async_get_device_automations,
    async_mock_service,
)

from custom_components.car_bridge.const import DOMAIN
from custom_components.car_bridge.hub import get_hub
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from .conftest import HOME_LAT, HOME_LON, send_destination, vehicle_device_id


async def automations(
    hass: HomeAssistant, dev: str, triggers: dict[str, dict[str, Any]]
) -> list[ServiceCall]:
    """One automation per trigger, each calling test.fired with its name."""
    calls = async_mock_service(hass, "test", "fired")
    config = [
        {
            "alias": name,
            "triggers": [{"trigger": "device", "domain": DOMAIN, "device_id": dev, **trigger}],
            "actions": [
                {
                    "action": "test.fired",
                    "data": {"name": name, "type": "{{ trigger.type | default('') }}"},
                }
            ],
        }
        for name, trigger in triggers.items()
    ]
    assert await async_setup_component(hass, "automation", {"automation": config})
    await hass.async_block_till_done()
    return calls


def fired(calls: list[ServiceCall]) -> list[str]:
    return sorted(call.data["name"] for call in calls)


async def drive(hass: HomeAssistant, tick: Callable[..., Any], **data: Any) -> None:
    await send_destination(hass, **data)
    await tick(1200)


async def test_lists_triggers_and_capabilities(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    triggers = [
        t
        for t in await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, dev)
        if t["domain"] == DOMAIN
    ]
    assert sorted(t["type"] for t in triggers) == [
        "approaching",
        "arrived_home",
        "leaving",
        "left_home",
        "time_to_home_below",
    ]
    by_type = {t["type"]: t for t in triggers}
    caps = await async_get_device_automation_capabilities(
        hass, DeviceAutomationType.TRIGGER, by_type["approaching"]
    )
    assert caps["extra_fields"][0]["name"] == "distance"
    caps = await async_get_device_automation_capabilities(
        hass, DeviceAutomationType.TRIGGER, by_type["time_to_home_below"]
    )
    assert caps["extra_fields"][0]["name"] == "minutes"
    caps = await async_get_device_automation_capabilities(
        hass, DeviceAutomationType.TRIGGER, by_type["arrived_home"]
    )
    assert caps == {"extra_fields": []}


async def test_approach_triggers_fire_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    calls = await automations(
        hass,
        dev,
        {
            "within_3": {"type": "approaching", "distance": 3},
            "within_3_again": {"type": "approaching", "distance": 3.0},
            "within_0.5": {"type": "approaching", "distance": 0.5},
            "within_default": {"type": "approaching"},
            "arrives": {"type": "arrived_home"},
            "eta_5": {"type": "time_to_home_below", "minutes": 5},
            "leaves": {"type": "left_home"},
        },
    )
    # the triggers' own distances are tracked alongside the configured ones
    engine = init_integration.runtime_data.coordinator.engine
    assert engine.thresholds_km == [0.5, 1.0, 3.0, 5.0]
    await drive(hass, tick, zone="zone.home")
    assert fired(calls) == [
        "arrives",
        "eta_5",
        "within_0.5",
        "within_3",
        "within_3_again",
        "within_default",
    ]
    eta_call = next(c for c in calls if c.data["name"] == "eta_5")
    assert eta_call.data["type"] == "time_to_home_below"

    # switching the automations off releases the extra thresholds
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)
    assert engine.thresholds_km == [1.0, 5.0]


@pytest.mark.parametrize("start_distance", [0.0])
async def test_departure_triggers_fire_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    calls = await automations(
        hass,
        dev,
        {
            "beyond_2": {"type": "leaving", "distance": 2},
            "beyond_default": {"type": "leaving"},
            "leaves": {"type": "left_home"},
            "arrives": {"type": "arrived_home"},
        },
    )
    await drive(hass, tick, latitude=HOME_LAT + 0.05, longitude=HOME_LON)
    assert fired(calls) == ["beyond_2", "beyond_default", "leaves"]


async def test_time_to_home_rearms_only_on_a_new_approach(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    calls = await automations(hass, dev, {"eta_8": {"type": "time_to_home_below", "minutes": 8}})
    await drive(hass, tick, zone="zone.home")
    await drive(hass, tick, latitude=HOME_LAT + 0.07, longitude=HOME_LON)
    assert fired(calls) == ["eta_8"]
    await drive(hass, tick, zone="zone.home")
    assert fired(calls) == ["eta_8", "eta_8"]


async def test_trigger_attached_before_the_vehicle_loads(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    tick: Callable[..., Any],
) -> None:
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    dev = vehicle_device_id(hass, mock_config_entry)
    await hass.config_entries.async_unload(mock_config_entry.entry_id)
    calls = await automations(hass, dev, {"within_2": {"type": "approaching", "distance": 2}})
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await drive(hass, tick, zone="zone.home")
    assert fired(calls) == ["within_2"]


async def test_registrations_go_with_their_device(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    await automations(
        hass,
        dev,
        {
            "near": {"type": "approaching", "distance": 3},
            "soon": {"type": "time_to_home_below", "minutes": 5},
        },
    )
    hub = get_hub(hass)
    assert 3.0 in hub.devices[dev].thresholds

    assert await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert dr.async_get(hass).async_get(dev) is None
    assert dev not in hub.devices
    # the automations still hold the triggers; detaching them brings nothing back
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)
    await hass.async_block_till_done()
    assert dev not in hub.devices


async def test_unused_registrations_are_released(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    await automations(hass, dev, {"near": {"type": "approaching", "distance": 3}})
    hub = get_hub(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hub.devices[dev].thresholds  # the automation still asks for 3 km
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)
    await hass.async_block_till_done()
    assert dev not in hub.devices
