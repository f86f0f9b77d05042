"""The Energy dashboard takes the car as an individual device: valid, its statistics true."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
    do_adhoc_statistics,
    get_start_time,
    statistics_during_period,
)
from pytest_homeassistant_custom_component.typing import WebSocketGenerator

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

TOTAL = "sensor.su7_energy_charged"
AT_HOME = "sensor.su7_energy_charged_at_home"

pytestmark = pytest.mark.parametrize(
    ("start_distance", "entry_options"), [(0.0, {"battery_start": 30.0, "time_factor": 10.0})]
)


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """Start the recorder before Home Assistant: statistics are the point."""


@pytest.fixture
async def loaded(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """The simulated car with the recorder and the energy integration running."""
    assert await async_setup_component(hass, "energy", {})
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


async def test_energy_validate_finds_no_issue_with_the_car_as_a_device(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    hass_ws_client: WebSocketGenerator,
    tick: Callable[..., Any],
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {"type": "energy/save_prefs", "device_consumption": [{"stat_consumption": AT_HOME}]}
    )
    assert (await client.receive_json())["success"]
    start = get_start_time(dt_util.utcnow())
    await tick(60)
    await async_wait_recording_done(hass)
    do_adhoc_statistics(hass, start=start)  # what the recorder does every 5 minutes
    await async_wait_recording_done(hass)
    await client.send_json_auto_id({"type": "energy/validate"})
    msg = await client.receive_json()
    assert msg["success"]
    assert msg["result"]["device_consumption"] == [[]]
    assert msg["result"]["energy_sources"] == []


async def test_long_term_statistics_sum_is_the_energy_charged(
    hass: HomeAssistant,
    loaded: MockConfigEntry,
    tick: Callable[..., Any],
) -> None:
    start = get_start_time(dt_util.utcnow())
    battery = float(hass.states.get("sensor.su7_battery").state)  # type: ignore[union-attr]
    before = float(hass.states.get(TOTAL).state)  # type: ignore[union-attr]
    await tick(2 * 60)
    # A reload mid-charge: the sensors resume where they were.
    assert await hass.config_entries.async_reload(loaded.entry_id)
    await hass.async_block_till_done()
    await tick(5 * 60)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    # Into the next 5-minute period, so that every period with charging is closed.
    end = get_start_time(dt_util.utcnow()) + timedelta(minutes=5)
    await tick(int((end - dt_util.utcnow()).total_seconds()) + 1)
    await async_wait_recording_done(hass)
    period = start
    while period < end:
        do_adhoc_statistics(hass, start=period)
        await async_wait_recording_done(hass)
        period += timedelta(minutes=5)
    stats = await hass.async_add_executor_job(
        statistics_during_period, hass, start, None, {TOTAL, AT_HOME}, "5minute", None, {"sum"}
    )
    # 101 kWh battery: 1.01 kWh per %; 70 simulated minutes at 11 kW is about 12.8 kWh.
    truth = (float(hass.states.get("sensor.su7_battery").state) - battery) * 1.01  # type: ignore[union-attr]
    assert truth > 10
    charged = float(hass.states.get(TOTAL).state) - before  # type: ignore[union-attr]
    assert charged == pytest.approx(truth, rel=0.01)
    for statistic_id in (TOTAL, AT_HOME):
        assert stats[statistic_id][-1]["sum"] == pytest.approx(truth, rel=0.01)
