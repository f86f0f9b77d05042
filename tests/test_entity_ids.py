"""Registry care: a vehicle loses only the entities it positively no longer has."""

from __future__ import annotations

from typing import Any
from unittest.mock import patch

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import CONF_SOURCE, CONF_ZONE, DOMAIN, SOURCE_MIRROR
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import area_registry as ar, entity_registry as er

pytestmark = pytest.mark.usefixtures("home_zone")

TRACKER = "device_tracker.polo_location"
LOCK = "lock.polo_doors"


def _own(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, er.RegistryEntry]:
    registry = er.async_get(hass)
    return {e.entity_id: e for e in er.async_entries_for_config_entry(registry, entry.entry_id)}


def _customise(hass: HomeAssistant, entity_id: str) -> str:
    """Give an entity the user's own name and area, as a user would in the UI."""
    area = ar.async_get(hass).async_create("Garage")
    er.async_get(hass).async_update_entity(entity_id, name="My battery", area_id=area.id)
    return area.id


async def _reload(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()


async def _failing_setup(*args: Any) -> None:
    raise RuntimeError("platform broke")


async def test_failing_platform_keeps_its_registry_entries(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    """One platform failing on a reload costs the user no name, area or entity id."""
    before = _own(hass, init_integration)
    assert "sensor.su7_battery" in before
    area_id = _customise(hass, "sensor.su7_battery")

    with patch("custom_components.car_bridge.sensor.async_setup_entry", _failing_setup):
        await _reload(hass, init_integration)
        assert init_integration.state is ConfigEntryState.LOADED
        kept = _own(hass, init_integration)
        assert kept.keys() == before.keys()
        battery = kept["sensor.su7_battery"]
        assert (battery.name, battery.area_id) == ("My battery", area_id)
        # The other platforms still work.
        assert hass.states.get("binary_sensor.su7_at_home") is not None

    await _reload(hass, init_integration)
    battery = _own(hass, init_integration)["sensor.su7_battery"]
    assert (battery.name, battery.area_id) == ("My battery", area_id)
    assert hass.states.get("sensor.su7_battery") is not None


def _mirror_entry(**entities: str) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Polo",
        unique_id="9b7f4e2a8c6b4d2f0e1a3c5b7d9f3c1e",
        version=2,
        data={CONF_SOURCE: SOURCE_MIRROR, CONF_NAME: "Polo", CONF_ZONE: "zone.home"},
        options={"tracker": TRACKER, **entities},
    )


async def test_capability_really_gone_is_removed(hass: HomeAssistant) -> None:
    """A mirrored lock taken out of the options goes; what is still backed stays as it was."""
    hass.states.async_set(TRACKER, "not_home", {"latitude": 52.4, "longitude": 4.9, "speed": 3})
    hass.states.async_set(LOCK, "locked", {})
    entry = _mirror_entry(lock=LOCK)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    own = _own(hass, entry)
    lock_id = next(e for e in own if e.startswith("lock."))
    er.async_get(hass).async_update_entity("sensor.polo_speed", name="Tempo")

    hass.config_entries.async_update_entry(entry, options={"tracker": TRACKER})
    await _reload(hass, entry)

    after = _own(hass, entry)
    assert lock_id not in after
    assert hass.states.get(lock_id) is None
    assert after.keys() == own.keys() - {lock_id}
    assert after["sensor.polo_speed"].name == "Tempo"


async def test_tracker_losing_its_speed_loses_the_speed_entities(hass: HomeAssistant) -> None:
    """A tracker that positively reports no speed gives no speed or moving entity (any more)."""
    hass.states.async_set(TRACKER, "not_home", {"latitude": 52.4, "longitude": 4.9, "speed": 3})
    entry = _mirror_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert {"sensor.polo_speed", "binary_sensor.polo_moving"} <= _own(hass, entry).keys()

    hass.states.async_set(TRACKER, "not_home", {"latitude": 52.4, "longitude": 4.9})
    await _reload(hass, entry)
    assert not {"sensor.polo_speed", "binary_sensor.polo_moving"} & _own(hass, entry).keys()
    assert hass.states.get("sensor.polo_speed") is None


async def test_tracker_not_there_yet_keeps_the_speed_entity(hass: HomeAssistant) -> None:
    """While the tracker has no state (its integration still starting), speed is not judged gone."""
    hass.states.async_set(TRACKER, "not_home", {"latitude": 52.4, "longitude": 4.9, "speed": 3})
    entry = _mirror_entry()
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    er.async_get(hass).async_update_entity("sensor.polo_speed", name="Tempo")

    hass.states.async_set(TRACKER, "unavailable", {})
    await _reload(hass, entry)
    assert _own(hass, entry)["sensor.polo_speed"].name == "Tempo"


async def test_unknown_keys_are_left_alone(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    """An entity no description knows (a newer version's, before a downgrade) is not removed."""
    mock_config_entry.add_to_hass(hass)
    registry = er.async_get(hass)
    future = registry.async_get_or_create(
        "sensor",
        DOMAIN,
        f"{mock_config_entry.unique_id}_energy_used",
        config_entry=mock_config_entry,
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert registry.async_get(future.entity_id) is not None
