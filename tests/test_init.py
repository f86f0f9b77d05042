"""Set-up, unload, restart and the home zone's life cycle."""

from __future__ import annotations

from collections.abc import Callable
import re
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.setup import async_setup_component

from .conftest import HOME_LAT, HOME_LON, SIMULATOR_OPTIONS, send_destination, vehicle_device_id


async def test_load_unload(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    entry = init_integration
    assert entry.state is ConfigEntryState.LOADED
    device = dr.async_get(hass).async_get(vehicle_device_id(hass, entry))
    assert device is not None
    assert device.name == "SU7"

    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.NOT_LOADED
    assert hass.states.get("sensor.su7_battery").state == "unavailable"


async def _restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def _values(hass: HomeAssistant) -> dict[str, str]:
    ids = ("device_tracker.su7", "sensor.su7_battery", "sensor.su7_odometer")
    out = {i: hass.states.get(i).state for i in ids}
    tracker = hass.states.get("device_tracker.su7")
    out["lat"] = tracker.attributes["latitude"]
    return out


async def test_state_survives_a_restart_and_a_drive_continues(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    hass_storage: dict[str, Any],
) -> None:
    await send_destination(hass, zone="zone.home")
    await tick(240)
    before = _values(hass)
    await _restart(hass, init_integration)
    assert hass_storage[f"{DOMAIN}.{init_integration.entry_id}"]["data"]["vehicle"]
    assert _values(hass) == before
    assert hass.states.get("sensor.su7_speed").state != "0.0"

    await tick(900, until=lambda: hass.states.get("binary_sensor.su7_at_home").state == "on")
    await tick(30)
    assert hass.states.get("sensor.su7_odometer").state == "8.0"
    assert hass.states.get("sensor.su7_charge_state").state == "charging"


async def test_battery_start_option_applies_when_changed(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    hass.config_entries.async_update_entry(
        init_integration, options={**init_integration.options, "battery_start": 35.0}
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.su7_battery").state == "35.0"
    # an unrelated change keeps the battery where the car left it
    await hass.services.async_call("lock", "unlock", {"entity_id": "lock.su7_doors"}, blocking=True)
    hass.config_entries.async_update_entry(
        init_integration, options={**init_integration.options, "cruise_speed": 70.0}
    )
    await hass.async_block_till_done()
    assert hass.states.get("sensor.su7_battery").state == "35.0"
    assert hass.states.get("lock.su7_doors").state == "unlocked"


async def test_removed_entry_forgets_its_state(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    key = f"{DOMAIN}.{init_integration.entry_id}"
    await hass.config_entries.async_unload(init_integration.entry_id)
    assert key in hass_storage
    await hass.config_entries.async_remove(init_integration.entry_id)
    await hass.async_block_till_done()
    assert key not in hass_storage


@pytest.mark.parametrize("entry_options", [{"zone": "zone.cottage"}])
async def test_deleted_home_zone_raises_repair_and_keeps_last_home(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass.states.async_set(
        "zone.cottage", "0", {"latitude": HOME_LAT, "longitude": HOME_LON, "radius": 100}
    )
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    distance = hass.states.get("sensor.su7_distance_to_home").state
    issue_id = f"home_zone_missing_{mock_config_entry.entry_id}"
    issues = ir.async_get(hass)

    hass.states.async_remove("zone.cottage")
    await hass.async_block_till_done()
    issue = issues.async_get_issue(DOMAIN, issue_id)
    assert issue is not None
    assert issue.translation_key == "home_zone_missing"
    assert issue.translation_placeholders == {"vehicle": "SU7", "zone": "zone.cottage"}
    assert hass.states.get("sensor.su7_distance_to_home").state == distance
    assert "zone.cottage was removed" in caplog.text

    # after a restart without the zone the last known home is still used
    await _restart(hass, mock_config_entry)
    assert hass.states.get("sensor.su7_distance_to_home").state == distance
    assert issues.async_get_issue(DOMAIN, issue_id) is not None

    # the zone comes back somewhere else: the issue goes, distances follow
    hass.states.async_set(
        "zone.cottage", "0", {"latitude": HOME_LAT + 0.5, "longitude": HOME_LON, "radius": 100}
    )
    await hass.async_block_till_done()
    assert issues.async_get_issue(DOMAIN, issue_id) is None
    assert float(hass.states.get("sensor.su7_distance_to_home").state) > 40

    await _restart(hass, mock_config_entry)
    assert issues.async_get_issue(DOMAIN, issue_id) is None


@pytest.mark.parametrize("entry_options", [{"zone": "zone.never"}])
async def test_missing_zone_without_saved_home_uses_core_location(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert mock_config_entry.state is ConfigEntryState.LOADED
    assert float(hass.states.get("sensor.su7_distance_to_home").state) == pytest.approx(
        7.9, abs=0.05
    )
    assert ir.async_get(hass).async_get_issue(
        DOMAIN, f"home_zone_missing_{mock_config_entry.entry_id}"
    )


async def test_version_1_entry_migrates_to_a_generated_unique_id(
    hass: HomeAssistant, home_zone: None
) -> None:
    """A version 1 entry (unique id made from the name) keeps its entities and device."""
    old = MockConfigEntry(
        domain=DOMAIN,
        title="Family car",
        unique_id="simulator_su7",
        version=1,
        data={"source": "simulator", "name": "SU7", "zone": "zone.home", "start_distance": 8.0},
        options=dict(SIMULATOR_OPTIONS),
    )
    old.add_to_hass(hass)
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=old.entry_id, identifiers={(DOMAIN, "simulator_su7")}, name="SU7"
    )
    registry = er.async_get(hass)
    registry.async_get_or_create(
        "sensor",
        DOMAIN,
        "simulator_su7_battery",
        config_entry=old,
        device_id=device.id,
        suggested_object_id="su7_battery",
    )
    assert await hass.config_entries.async_setup(old.entry_id)
    await hass.async_block_till_done()

    assert old.state is ConfigEntryState.LOADED
    assert old.version == 2
    assert old.unique_id is not None
    assert re.fullmatch(r"[0-9a-f]{32}", old.unique_id)
    battery = registry.async_get("sensor.su7_battery")
    assert battery is not None
    assert battery.unique_id == f"{old.unique_id}_battery"
    assert hass.states.get("sensor.su7_battery").state == "80.0"
    migrated = dr.async_get(hass).async_get(device.id)
    assert migrated is not None
    assert migrated.identifiers == {(DOMAIN, old.unique_id)}
    # no second device or battery sensor appeared
    assert len(dr.async_entries_for_config_entry(dr.async_get(hass), old.entry_id)) == 1
    assert registry.async_get_entity_id("sensor", DOMAIN, "simulator_su7_battery") is None


async def test_entry_from_a_newer_version_is_not_loaded(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry
) -> None:
    newer = MockConfigEntry(
        domain=DOMAIN,
        title="SU7",
        unique_id="x",
        version=3,
        data=dict(mock_config_entry.data),
        options=dict(mock_config_entry.options),
    )
    newer.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(newer.entry_id)
    assert newer.state is ConfigEntryState.MIGRATION_ERROR


async def test_unknown_source_kind_is_a_setup_error(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry
) -> None:
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SU7",
        unique_id="y",
        version=2,
        data={**mock_config_entry.data, "source": "teleport"},
    )
    entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(entry.entry_id)
    assert entry.state is ConfigEntryState.SETUP_ERROR


async def test_update_entity_leaves_commands_working(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    """homeassistant.update_entity must not mark the vehicle failed."""
    assert await async_setup_component(hass, "homeassistant", {})
    for entity_id in ("sensor.su7_battery", "lock.su7_doors", "device_tracker.su7"):
        await hass.services.async_call(
            "homeassistant", "update_entity", {"entity_id": entity_id}, blocking=True
        )
        await tick(15)
    coordinator = init_integration.runtime_data.coordinator
    assert coordinator.last_update_success
    assert hass.states.get("sensor.su7_battery").state != "unavailable"

    await hass.services.async_call("lock", "unlock", {"entity_id": "lock.su7_doors"}, blocking=True)
    assert hass.states.get("lock.su7_doors").state == "unlocked"
    await send_destination(hass, zone="zone.home")
    await tick(30)
    assert hass.states.get("binary_sensor.su7_moving").state == "on"
