"""Bundled blueprints: installed on set-up, valid, and each runs its actions once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_mock_service

from custom_components.car_bridge.blueprint import BUNDLED
from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from custom_components.car_bridge.options import MAX_DISTANCE_KM, MIN_DISTANCE_KM
from homeassistant.components.blueprint import BLUEPRINT_SCHEMA
from homeassistant.core import HomeAssistant, ServiceCall
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util
from homeassistant.util.yaml import load_yaml_dict

from .conftest import HOME_LAT, HOME_LON, send_destination, vehicle_device_id

NAMES = sorted(p.name for p in BUNDLED.glob("*.yaml"))


def test_bundles_the_nine_blueprints() -> None:
    assert NAMES == [
        "approaching_home.yaml",
        "arrived_home.yaml",
        "charged_by_departure.yaml",
        "left_home.yaml",
        "music_follows.yaml",
        "plug_in_reminder.yaml",
        "precondition_cabin.yaml",
        "share_place.yaml",
        "solar_charging.yaml",
        "time_to_home.yaml",
    ]


@pytest.mark.parametrize("name", NAMES)
def test_blueprint_is_valid(name: str) -> None:
    data = load_yaml_dict(BUNDLED / name)
    BLUEPRINT_SCHEMA(data)
    meta = data["blueprint"]
    assert meta["domain"] == "automation"
    assert meta["homeassistant"]["min_version"]
    assert len(meta["description"]) > 80
    assert meta["input"]["vehicle"]["selector"]["device"]["filter"] == [{"integration": DOMAIN}]
    assert "triggers" in data
    assert "trigger" not in data
    assert "action" not in data
    assert "condition" not in data


@pytest.mark.parametrize("name", NAMES)
def test_blueprint_title_and_distances_are_uniform(name: str) -> None:
    meta = load_yaml_dict(BUNDLED / name)["blueprint"]
    # One prefix, so they sort together and apart from Home Assistant's own.
    assert meta["name"].startswith("Car Bridge: ")
    for spec in meta["input"].values():
        number = spec.get("selector", {}).get("number")
        if number and number.get("unit_of_measurement") == "km":
            assert number["min"] == MIN_DISTANCE_KM
            assert number["max"] == MAX_DISTANCE_KM


def test_readme_lists_blueprints_by_title() -> None:
    readme = (Path(__file__).parents[1] / "README.md").read_text()
    for name in NAMES:
        assert load_yaml_dict(BUNDLED / name)["blueprint"]["name"] in readme, name


async def test_installed_without_overwriting_edits(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry
) -> None:
    target = Path(hass.config.path("blueprints", "automation", DOMAIN))
    target.mkdir(parents=True)
    (target / "arrived_home.yaml").write_text("# my edited copy\n")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert sorted(p.name for p in target.iterdir()) == NAMES
    assert (target / "arrived_home.yaml").read_text() == "# my edited copy\n"
    assert (target / "left_home.yaml").read_bytes() == (BUNDLED / "left_home.yaml").read_bytes()


async def test_install_failure_is_logged(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    Path(hass.config.path("blueprints")).write_text("not a folder")
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert "Could not install the Car Bridge blueprints" in caplog.text


async def use_blueprint(
    hass: HomeAssistant, entry: MockConfigEntry, path: str, inputs: dict[str, Any]
) -> list[ServiceCall]:
    device_id = vehicle_device_id(hass, entry)
    calls = async_mock_service(hass, "test", "home_action")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": f"{DOMAIN}/{path}",
                    "input": {"vehicle": device_id, **inputs},
                }
            }
        },
    )
    await hass.async_block_till_done()
    assert len(hass.states.async_all("automation")) == 1
    return calls


ACTIONS = [{"action": "test.home_action"}]


async def stop_automations(hass: HomeAssistant) -> None:
    """Detach time triggers, which would otherwise outlive the test."""
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)


async def send(
    hass: HomeAssistant, tick: Callable[..., Any], *, settle: bool = True, **data: Any
) -> None:
    await send_destination(hass, **data)
    await tick(1200, settle=settle)


async def test_approaching_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    calls = await use_blueprint(
        hass, init_integration, "approaching_home.yaml", {"distance": 5, "actions": ACTIONS}
    )
    await send(hass, tick, zone="zone.home")
    assert len(calls) == 1


async def test_time_to_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    calls = await use_blueprint(
        hass, init_integration, "time_to_home.yaml", {"minutes": 5, "actions": ACTIONS}
    )
    await send(hass, tick, zone="zone.home")
    assert len(calls) == 1


async def test_arrived_home_only_after_a_trip(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    calls = await use_blueprint(hass, init_integration, "arrived_home.yaml", {"actions": ACTIONS})
    await send(hass, tick, zone="zone.home")
    assert len(calls) == 1
    await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await tick(60)
    assert len(calls) == 1


@pytest.mark.parametrize("start_distance", [0.0])
async def test_left_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    calls = await use_blueprint(
        hass, init_integration, "left_home.yaml", {"distance": 1, "actions": ACTIONS}
    )
    await send(hass, tick, latitude=HOME_LAT + 0.05, longitude=HOME_LON)
    assert len(calls) == 1


@pytest.mark.parametrize("home_entity", ["sensor.living_room", "climate.living_room"])
async def test_precondition_cabin(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    home_entity: str,
) -> None:
    if home_entity.startswith("sensor."):
        hass.states.async_set(home_entity, "22.3", {"device_class": "temperature"})
    else:
        hass.states.async_set(home_entity, "heat", {"current_temperature": 22.3})
    changes: list[Any] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            changes.append(e.data["new_state"].attributes.get("temperature"))
            if e.data["entity_id"] == "climate.su7_cabin"
            else None
        ),
    )
    await use_blueprint(
        hass,
        init_integration,
        "precondition_cabin.yaml",
        {
            "home_temperature": home_entity,
            "time": "23:59:00",
            "extra_triggers": [{"trigger": "event", "event_type": "precondition_now"}],
        },
    )
    hass.bus.async_fire("precondition_now")
    await hass.async_block_till_done()
    climate = hass.states.get("climate.su7_cabin")
    assert climate.state == "heat_cool"
    assert climate.attributes["temperature"] == 22.5
    assert changes[0] == 22.5
    await tick(60)
    assert changes.count(22.5) == len(changes)
    await stop_automations(hass)


async def test_precondition_cabin_skips_unknown_temperature(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    hass.states.async_set("sensor.living_room", "unknown", {"device_class": "temperature"})
    await use_blueprint(
        hass,
        init_integration,
        "precondition_cabin.yaml",
        {
            "home_temperature": "sensor.living_room",
            "extra_triggers": [{"trigger": "event", "event_type": "precondition_now"}],
        },
    )
    hass.bus.async_fire("precondition_now")
    await hass.async_block_till_done()
    assert hass.states.get("climate.su7_cabin").state == "off"
    await stop_automations(hass)


@pytest.mark.parametrize(
    ("entry_options", "expected"),
    [
        ({"auto_plug_in": False, "battery_start": 30.0}, 1),
        ({"auto_plug_in": True, "battery_start": 30.0}, 0),
        ({"auto_plug_in": False, "battery_start": 70.0}, 0),
    ],
)
async def test_plug_in_reminder(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    expected: int,
) -> None:
    calls = await use_blueprint(
        hass,
        init_integration,
        "plug_in_reminder.yaml",
        {"battery_below": 50, "minutes": 10, "notify_actions": ACTIONS},
    )
    await send(hass, tick, zone="zone.home", settle=False)
    await tick(600, settle=False)
    await hass.async_block_till_done()
    assert len(calls) == expected


async def cabin_changes(hass: HomeAssistant) -> list[Any]:
    changes: list[Any] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            changes.append(e.data["new_state"].attributes.get("temperature"))
            if e.data["entity_id"] == "climate.su7_cabin"
            else None
        ),
    )
    return changes


def departure_expected(hass: HomeAssistant, entry: MockConfigEntry, minutes: int) -> None:
    """Put on the bus what the departures engine concludes N minutes before a departure."""
    hass.bus.async_fire(
        EVENT_CAR_BRIDGE,
        {
            "type": "departure_expected",
            "device_id": vehicle_device_id(hass, entry),
            "vehicle": "SU7",
            "minutes_before": minutes,
        },
    )


async def test_precondition_cabin_before_the_expected_departure(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    hass.states.async_set("climate.living_room", "heat", {"current_temperature": 35.0})
    changes = await cabin_changes(hass)
    await use_blueprint(
        hass,
        init_integration,
        "precondition_cabin.yaml",
        {
            "home_temperature": "climate.living_room",
            "start": "before_departure",
            "minutes_before": 25,
        },
    )
    departure_expected(hass, init_integration, 30)  # another automation's minutes
    await hass.async_block_till_done()
    assert changes == []
    departure_expected(hass, init_integration, 25)
    await hass.async_block_till_done()
    climate = hass.states.get("climate.su7_cabin")
    assert climate.state == "heat_cool"
    # The home's 35 °C is beyond the car's range: its own maximum.
    assert climate.attributes["temperature"] == climate.attributes["max_temp"] == 28.0
    await stop_automations(hass)


async def test_precondition_cabin_at_a_fixed_time_ignores_departures(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    hass.states.async_set("sensor.living_room", "21.0", {"device_class": "temperature"})
    changes = await cabin_changes(hass)
    await use_blueprint(
        hass,
        init_integration,
        "precondition_cabin.yaml",
        {"home_temperature": "sensor.living_room", "time": "23:59:00", "minutes_before": 20},
    )
    departure_expected(hass, init_integration, 20)
    await hass.async_block_till_done()
    assert changes == []
    await stop_automations(hass)


@pytest.mark.parametrize(("hours_ahead", "expected"), [(1, "on"), (12, "off")])
async def test_charged_by_departure(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    hours_ahead: int,
    expected: str,
) -> None:
    await send(hass, tick, zone="zone.home", settle=False)
    await hass.async_block_till_done()
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"
    assert hass.states.get("binary_sensor.su7_plugged_in").state == "on"
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    await hass.services.async_call(
        "number", "set_value", {"entity_id": "number.su7_charge_limit", "value": 100}, blocking=True
    )
    battery = float(hass.states.get("sensor.su7_battery").state)
    assert battery < 100
    await use_blueprint(
        hass, init_integration, "charged_by_departure.yaml", {"charge_rate": 20, "margin": 30}
    )
    # Stands for the learned prediction (tests/test_departures.py learns real ones).
    departure = dt_util.utcnow() + timedelta(hours=hours_ahead)
    hass.states.async_set(
        "sensor.su7_next_departure", departure.isoformat(), {"device_class": "timestamp"}
    )
    await tick(600, settle=False)
    await hass.async_block_till_done()
    assert hass.states.get("switch.su7_charging_enabled").state == expected
    await stop_automations(hass)


@pytest.mark.parametrize("entry_options", [{"battery_start": 50.0}])  # below the taper
async def test_charged_by_departure_plans_with_the_rate_observed_at_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await send(hass, tick, zone="zone.home", settle=False)
    await hass.async_block_till_done()
    await hass.services.async_call(
        "number", "set_value", {"entity_id": "number.su7_charge_limit", "value": 100}, blocking=True
    )
    complete = "sensor.su7_charge_complete_at"
    # Charging at home for a while: Car Bridge measures the car's own rate.
    await tick(1800, until=lambda: bool(hass.states.get(complete).attributes["home_charge_rate"]))
    observed = hass.states.get(complete).attributes["home_charge_rate"]
    assert observed
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    await hass.async_block_till_done()
    battery = float(hass.states.get("sensor.su7_battery").state)
    observed_h = (100 - battery) / observed
    # A typed rate of 100 %/h says an hour is plenty; the observed rate says it is not.
    await use_blueprint(
        hass, init_integration, "charged_by_departure.yaml", {"charge_rate": 100, "margin": 0}
    )
    assert hass.states.get(complete).attributes["home_charge_rate"] == observed
    departure = dt_util.utcnow() + timedelta(hours=min(observed_h * 0.8, 23))
    assert (departure - dt_util.utcnow()).total_seconds() / 3600 > (100 - battery) / 100
    hass.states.async_set(
        "sensor.su7_next_departure", departure.isoformat(), {"device_class": "timestamp"}
    )
    await tick(600, settle=False)
    await hass.async_block_till_done()
    assert hass.states.get("switch.su7_charging_enabled").state == "on"
    await stop_automations(hass)
