"""Device triggers in the automation editor."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_get_device_automation_capabilities,
    async_get_device_automations,
    async_mock_service,
)

from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from custom_components.car_bridge.options import MAX_DISTANCE_KM, MIN_DISTANCE_KM
from custom_components.car_bridge.triggers import get_requests
from homeassistant.components.device_automation import DeviceAutomationType
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.helpers.translation import async_get_translations
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
        "departure_expected",
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
        hass, DeviceAutomationType.TRIGGER, by_type["departure_expected"]
    )
    assert caps["extra_fields"][0]["name"] == "minutes_before"
    caps = await async_get_device_automation_capabilities(
        hass, DeviceAutomationType.TRIGGER, by_type["arrived_home"]
    )
    assert caps == {"extra_fields": []}


def editor_name(hass: HomeAssistant, texts: dict[str, str], trigger: dict[str, Any]) -> str:
    """Name a trigger as the frontend does: only entity_name and subtype are filled."""
    entity_name = "<unknown entity>"
    if entry := er.async_get(hass).async_get(trigger.get("entity_id", "")):
        state = hass.states.get(entry.entity_id)
        assert state is not None
        entity_name = state.name
    template = texts[f"component.{DOMAIN}.device_automation.trigger_type.{trigger['type']}"]
    return template.replace("{entity_name}", entity_name).replace("{subtype}", "")


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                "SU7 arrives home",
                "SU7 comes within a distance of home",
                "SU7 goes beyond a distance from home",
                "SU7 is expected to leave within a number of minutes",
                "SU7 is less than a number of minutes from home",
                "SU7 leaves home",
            ],
        ),
        (
            "zh-Hans",
            [
                "SU7 到家",
                "SU7 离家",
                "SU7 离家超过指定距离",
                "SU7 距到家少于指定分钟数",
                "SU7 进入离家指定距离内",
                "SU7 预计在指定分钟数内出发",
            ],
        ),
    ],
)
async def test_editor_names_triggers_after_the_vehicle(
    hass: HomeAssistant, init_integration: MockConfigEntry, language: str, expected: list[str]
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    triggers = [
        t
        for t in await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, dev)
        if t["domain"] == DOMAIN
    ]
    texts = await async_get_translations(hass, language, "device_automation", [DOMAIN])
    names = sorted(editor_name(hass, texts, t) for t in triggers)
    assert names == expected
    assert not any("unknown" in name or "{" in name for name in names)


async def test_rename_shows_in_trigger_names(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    registry = er.async_get(hass)
    tracker = next(
        e for e in er.async_entries_for_device(registry, dev) if e.domain == "device_tracker"
    )
    registry.async_update_entity(tracker.entity_id, name="Family car")
    await hass.async_block_till_done()
    triggers = await async_get_device_automations(hass, DeviceAutomationType.TRIGGER, dev)
    arrives = next(t for t in triggers if t["domain"] == DOMAIN and t["type"] == "arrived_home")
    texts = await async_get_translations(hass, "en", "device_automation", [DOMAIN])
    assert editor_name(hass, texts, arrives) == "Family car arrives home"


@pytest.mark.parametrize(
    ("trigger", "message"),
    [
        (
            {"type": "approaching", "distance": -1},
            f"The distance from home must be a number of km from {MIN_DISTANCE_KM:g} to "
            f'{MAX_DISTANCE_KM:g}; "-1" is not',
        ),
        ({"type": "approaching", "distance": 0}, '"0" is not'),
        ({"type": "leaving", "distance": "abc"}, '"abc" is not'),
        ({"type": "leaving", "distance": 0.04}, '"0.04" is not'),
        ({"type": "leaving", "distance": True}, '"True" is not'),
        ({"type": "approaching", "distance": 501}, '"501" is not'),
        (
            {"type": "time_to_home_below", "minutes": 0},
            'The minutes to home must be a number from 1 to 600; "0" is not',
        ),
        (
            {"type": "departure_expected", "minutes_before": 4},
            'The minutes before the departure must be a whole number from 5 to 180; "4" is not',
        ),
        ({"type": "departure_expected", "minutes_before": 12.5}, '"12.5" is not'),
        ({"type": "departure_expected", "minutes_before": 181}, '"181" is not'),
    ],
)
async def test_bad_distance_gets_a_translated_error(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_ws_client: Any,
    trigger: dict[str, Any],
    message: str,
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "validate_config",
            "triggers": [{"trigger": "device", "domain": DOMAIN, "device_id": dev, **trigger}],
        }
    )
    result = (await client.receive_json())["result"]["triggers"]
    assert result["valid"] is False
    assert result["error"].endswith(message)
    assert "Message malformed" not in result["error"]
    assert "at least" not in result["error"]


@pytest.mark.parametrize(
    ("trigger", "key", "value"),
    [
        ({"type": "approaching", "distance": "2,5"}, "distance", 2.5),
        ({"type": "leaving", "distance": str(MIN_DISTANCE_KM)}, "distance", MIN_DISTANCE_KM),
        ({"type": "leaving"}, "distance", 1.0),
        ({"type": "time_to_home_below"}, "minutes", 15.0),
        ({"type": "departure_expected"}, "minutes_before", 30),
        ({"type": "departure_expected", "minutes_before": "45"}, "minutes_before", 45),
    ],
)
async def test_good_distances_are_normalised(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    trigger: dict[str, Any],
    key: str,
    value: float,
) -> None:
    from custom_components.car_bridge.device_trigger import (  # noqa: PLC0415
        async_validate_trigger_config,
    )

    dev = vehicle_device_id(hass, init_integration)
    config = await async_validate_trigger_config(
        hass, {"platform": "device", "domain": DOMAIN, "device_id": dev, **trigger}
    )
    assert config[key] == value


async def test_hand_written_trigger_may_name_the_location_entity(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    calls = await automations(
        hass, dev, {"arrives": {"type": "arrived_home", "entity_id": "device_tracker.su7"}}
    )
    await drive(hass, tick, zone="zone.home")
    assert fired(calls) == ["arrives"]
    texts = await async_get_translations(hass, "en", "device_automation", [DOMAIN])
    template = texts[f"component.{DOMAIN}.device_automation.trigger_type.arrived_home"]
    # the editor names a trigger with an entity id after the entity's state name
    assert template.replace("{entity_name}", hass.states.get("device_tracker.su7").name) == (
        "SU7 arrives home"
    )


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
    engine = init_integration.runtime_data.engines.approach.engine
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
    hub = get_requests(hass)
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
    hub = get_requests(hass)
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert hub.devices[dev].thresholds  # the automation still asks for 3 km
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)
    await hass.async_block_till_done()
    assert dev not in hub.devices


async def test_time_to_home_fires_once_per_crossing_after_the_zone_moves(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    calls = await automations(hass, dev, {"eta_5": {"type": "time_to_home_below", "minutes": 5}})
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    # home moves 1 km north before the drive: the trigger's minutes still count
    hass.states.async_set(
        "zone.home", "0", {"latitude": HOME_LAT + 0.01, "longitude": HOME_LON, "radius": 100}
    )
    await hass.async_block_till_done()
    await drive(hass, tick, zone="zone.home")
    assert fired(calls) == ["eta_5"]
    eta = [e.data for e in events if e.data["type"] == "time_to_home_below"]
    assert len(eta) == 1
    assert eta[0]["device_id"] == dev
    assert eta[0]["minutes"] == 5.0
    assert eta[0]["time_to_home"] <= 5
    call = calls[0]
    assert call.data["type"] == "time_to_home_below"

    # new options keep what the trigger asks for; the next approach fires it once more
    options = {**init_integration.options, "thresholds": [3.0]}
    hass.config_entries.async_update_entry(init_integration, options=options)
    await hass.async_block_till_done()
    await drive(hass, tick, latitude=HOME_LAT + 0.08, longitude=HOME_LON)
    await drive(hass, tick, zone="zone.home")
    assert fired(calls) == ["eta_5", "eta_5"]


async def test_time_to_home_trigger_offers_its_variables(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    dev = vehicle_device_id(hass, init_integration)
    calls = async_mock_service(hass, "test", "eta")
    trigger = {"trigger": "device", "domain": DOMAIN, "device_id": dev}
    data = "{{ trigger.minutes }} {{ trigger.time_to_home }} {{ trigger.description }}"
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [{**trigger, "type": "time_to_home_below", "minutes": 4}],
                "actions": [{"action": "test.eta", "data": {"text": data}}],
            }
        },
    )
    await drive(hass, tick, zone="zone.home")
    assert len(calls) == 1
    minutes, time_to_home, description = calls[0].data["text"].split(" ", 2)
    assert float(minutes) == 4
    assert int(time_to_home) <= 4
    assert description == "SU7 is less than 4 minutes from home"
