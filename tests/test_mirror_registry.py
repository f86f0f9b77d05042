"""A mirror vehicle's source entities: never its own, renames followed, deletions repaired."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp.test_utils import TestClient
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import DOMAIN
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.setup import async_setup_component

from .test_mirror import BATTERY, TRACKER, _add, set_teslamate_states, state

pytestmark = pytest.mark.usefixtures("home_zone")


@pytest.fixture
async def model_y(hass: HomeAssistant) -> MockConfigEntry:
    """A mirror vehicle whose tracker and battery are in the entity registry."""
    registry = er.async_get(hass)
    registry.async_get_or_create(
        "device_tracker", "teslamate", "car1", suggested_object_id="tesla_location"
    )
    registry.async_get_or_create(
        "sensor", "teslamate", "car1_battery", suggested_object_id="tesla_battery_level"
    )
    set_teslamate_states(hass)
    result = await _add(hass, tracker=TRACKER, battery=BATTERY)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: MockConfigEntry = result["result"]
    return entry


@pytest.mark.parametrize(
    ("field", "entity_id"),
    [
        ("tracker", "device_tracker.model_y"),  # its own tracker
        ("battery", "sensor.model_y_battery"),  # its own battery
    ],
)
async def test_a_vehicle_cannot_mirror_its_own_entities_in_the_options(
    hass: HomeAssistant, model_y: MockConfigEntry, field: str, entity_id: str
) -> None:
    result = await hass.config_entries.options.async_init(model_y.entry_id)
    fields = {"tracker": TRACKER, "battery": BATTERY, field: entity_id}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            **fields,
            "thresholds": [5.0, 1.0],
            "hysteresis": 200,
            "max_accuracy": 200,
            "zone": "zone.home",
        },
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {field: "car_bridge_entity"}
    assert model_y.options.get(field) != entity_id


async def test_a_new_vehicle_cannot_mirror_another_car_bridge_vehicle(
    hass: HomeAssistant, model_y: MockConfigEntry
) -> None:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mirror"}
    )
    base = {CONF_NAME: "Cycle", "zone": "zone.home"}
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**base, "tracker": "device_tracker.model_y"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"tracker": "car_bridge_entity"}
    # ... and recovers with the car's own tracker.
    hass.states.async_set("device_tracker.phone", "home", {"latitude": 1.0, "longitude": 2.0})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {**base, "tracker": "device_tracker.phone"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_a_renamed_source_entity_is_followed(
    hass: HomeAssistant, model_y: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    unique_id = model_y.unique_id
    registry = er.async_get(hass)
    registry.async_update_entity(TRACKER, new_entity_id="device_tracker.model_y_gps")
    registry.async_update_entity(BATTERY, new_entity_id="sensor.model_y_soc")
    await hass.async_block_till_done()
    # The integration behind them now reports under the new ids.
    attributes = dict(hass.states.get(TRACKER).attributes)
    hass.states.async_remove(TRACKER)
    hass.states.async_set("device_tracker.model_y_gps", "not_home", attributes)
    hass.states.async_set("sensor.model_y_soc", "58", {"unit_of_measurement": "%"})
    await hass.async_block_till_done()
    assert model_y.state is ConfigEntryState.LOADED
    merged = {**model_y.data, **model_y.options}
    assert merged["tracker"] == "device_tracker.model_y_gps"
    assert merged["battery"] == "sensor.model_y_soc"
    assert model_y.unique_id == unique_id  # the same car
    assert state(hass, "sensor.model_y_battery") == "58.0"
    assert state(hass, "device_tracker.model_y") != "unavailable"
    assert state(hass, "sensor.model_y_distance_to_home") != "unavailable"
    assert not [i for (d, i) in issue_registry.issues if d == DOMAIN]


async def test_a_rename_while_the_vehicle_is_not_running_is_followed(
    hass: HomeAssistant, model_y: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    # Renaming a device renames all its entities at once, and every followed
    # rename reloads the vehicle: a rename can fall while it is not running.
    assert await hass.config_entries.async_unload(model_y.entry_id)
    registry = er.async_get(hass)
    registry.async_update_entity(BATTERY, new_entity_id="sensor.model_y_soc")
    await hass.async_block_till_done()
    assert {**model_y.data, **model_y.options}["battery"] == "sensor.model_y_soc"
    hass.states.async_set("sensor.model_y_soc", "61", {"unit_of_measurement": "%"})
    assert await hass.config_entries.async_setup(model_y.entry_id)
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_battery") == "61.0"
    # A deletion while it is not running raises the repair all the same.
    assert await hass.config_entries.async_unload(model_y.entry_id)
    registry.async_remove(TRACKER)
    await hass.async_block_till_done()
    assert (DOMAIN, f"source_entity_removed_{model_y.entry_id}_{TRACKER}") in issue_registry.issues


async def test_renaming_another_entity_changes_no_vehicle(
    hass: HomeAssistant, model_y: MockConfigEntry, issue_registry: ir.IssueRegistry
) -> None:
    registry = er.async_get(hass)
    other = registry.async_get_or_create("sensor", "teslamate", "car1_odo")
    before = {**model_y.data, **model_y.options}
    registry.async_update_entity(other.entity_id, new_entity_id="sensor.odometer_renamed")
    registry.async_remove("sensor.odometer_renamed")
    await hass.async_block_till_done()
    assert {**model_y.data, **model_y.options} == before
    assert model_y.state is ConfigEntryState.LOADED
    assert not [i for (d, i) in issue_registry.issues if d == DOMAIN]


async def _fix(client: TestClient, issue_id: str, answer: dict[str, Any] | None) -> dict[str, Any]:
    response = await client.post(
        "/api/repairs/issues/fix", json={"handler": DOMAIN, "issue_id": issue_id}
    )
    assert response.status == 200, await response.text()
    flow: dict[str, Any] = await response.json()
    if answer is None:
        return flow
    response = await client.post(f"/api/repairs/issues/fix/{flow['flow_id']}", json=answer)
    assert response.status == 200, await response.text()
    result: dict[str, Any] = await response.json()
    return result


@pytest.mark.parametrize("entity_id", [BATTERY, TRACKER])
async def test_a_deleted_source_entity_raises_a_repair_that_picks_a_new_one(
    hass: HomeAssistant,
    model_y: MockConfigEntry,
    issue_registry: ir.IssueRegistry,
    hass_client: Callable[[], Awaitable[TestClient]],
    entity_id: str,
) -> None:
    assert await async_setup_component(hass, "repairs", {})
    er.async_get(hass).async_remove(entity_id)
    hass.states.async_remove(entity_id)
    await hass.async_block_till_done()
    issue_id = f"source_entity_removed_{model_y.entry_id}_{entity_id}"
    issue = issue_registry.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.is_fixable
    assert issue.translation_placeholders == {"vehicle": "Model Y", "entity": entity_id}

    domain = entity_id.split(".", maxsplit=1)[0]
    replacement = f"{domain}.new_{entity_id.split('.')[1]}"
    if domain == "sensor":
        hass.states.async_set(replacement, "61", {"unit_of_measurement": "%"})
    else:
        hass.states.async_set(
            replacement, "not_home", dict(hass.states.get("device_tracker.model_y").attributes)
        )
    client = await hass_client()
    form = await _fix(client, issue_id, None)
    assert form["step_id"] == "init"
    # Its own entity is refused with a field error; the form stays.
    own = "sensor.model_y_battery" if domain == "sensor" else "device_tracker.model_y"
    response = await client.post(
        f"/api/repairs/issues/fix/{form['flow_id']}", json={"entity_id": own}
    )
    again = await response.json()
    assert again["errors"] == {"entity_id": "car_bridge_entity"}
    response = await client.post(
        f"/api/repairs/issues/fix/{form['flow_id']}", json={"entity_id": replacement}
    )
    done = await response.json()
    assert done["type"] == "create_entry", done
    await hass.async_block_till_done()
    merged = {**model_y.data, **model_y.options}
    assert replacement in merged.values()
    assert issue_registry.async_get_issue(DOMAIN, issue_id) is None
    assert model_y.state is ConfigEntryState.LOADED
    if domain == "sensor":
        assert state(hass, "sensor.model_y_battery") == "61.0"
