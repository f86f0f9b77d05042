"""The demo home's energy: its made-up roof and meter, and the Energy dashboard it starts with."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.typing import WebSocketGenerator
import yaml

from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from .test_dev_config import CONFIG, _ConfigLoader

SEED = CONFIG / "defaults" / "energy.json"


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """Start the recorder before Home Assistant: the Energy dashboard needs it."""


def _configuration() -> dict[str, Any]:
    text = (CONFIG / "configuration.yaml").read_text()
    return yaml.load(text, _ConfigLoader)  # type: ignore[no-any-return]  # noqa: S506 - a SafeLoader


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 50.0})])
async def test_the_grid_meter_adds_the_house_the_car_and_the_roof(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry, tick: Any
) -> None:
    configuration = _configuration()
    hass.states.async_set("sun.sun", "above_horizon", {"elevation": 30.0})
    # The sensor component first: template would set it up without the platforms.
    for domain in ("sensor", "template"):
        assert await async_setup_component(hass, domain, {domain: configuration[domain]})
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    await tick(2)
    solar = float(hass.states.get("sensor.solar_power").state)  # type: ignore[union-attr]
    assert solar == pytest.approx(4000)  # 8 kW peak, the sun 30° up
    car = float(hass.states.get("sensor.su7_charging_power").state) * 1000  # type: ignore[union-attr]
    assert car == pytest.approx(11_000)
    grid = float(hass.states.get("sensor.grid_power").state)  # type: ignore[union-attr]
    assert grid == pytest.approx(450 + car - solar, abs=1)
    registry = er.async_get(hass)
    for entity_id in (
        "sensor.grid_energy_imported",
        "sensor.grid_energy_exported",
        "sensor.solar_energy",
    ):
        assert hass.states.get(entity_id) is not None, entity_id
        registry.async_remove(entity_id)  # stops its once-a-minute timer with it
    await hass.async_block_till_done()


async def test_the_energy_dashboard_starts_with_the_car_as_a_device(
    hass: HomeAssistant, hass_storage: dict[str, Any], hass_ws_client: WebSocketGenerator
) -> None:
    hass_storage["energy"] = json.loads(SEED.read_text())
    assert await async_setup_component(hass, "energy", {})
    client = await hass_ws_client(hass)
    await client.send_json_auto_id({"type": "energy/get_prefs"})
    prefs = (await client.receive_json())["result"]
    assert [d["stat_consumption"] for d in prefs["device_consumption"]] == [
        "sensor.su7_energy_charged_at_home"
    ]
    stats = json.dumps(prefs["energy_sources"])
    for statistic in ("grid_energy_imported", "grid_energy_exported", "solar_energy"):
        assert f"sensor.{statistic}" in stats
    assert "config/defaults/energy.json" in (Path(CONFIG).parent / "script" / "develop").read_text()
