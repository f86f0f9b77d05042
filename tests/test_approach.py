"""The home-approach engine through Home Assistant: events, noise, restarts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_mock_service,
)

from custom_components.car_bridge.const import EVENT_CAR_BRIDGE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.setup import async_setup_component

from .conftest import HOME_LAT, HOME_LON, send_destination as send


def _approach_events(hass: HomeAssistant) -> list[Event]:
    """Capture Car Bridge events but destination_sent (how these tests drive the car)."""
    events: list[Event] = []

    @callback
    def _add(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(
        EVENT_CAR_BRIDGE, _add, event_filter=callback(lambda d: d["type"] != "destination_sent")
    )
    return events


def summary(events: list[Event]) -> list[tuple[str, float | None]]:
    return [(e.data["type"], e.data.get("threshold_km")) for e in events]


def changes(hass: HomeAssistant, entity_id: str) -> list[str]:
    seen: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            seen.append(e.data["new_state"].state) if e.data["entity_id"] == entity_id else None
        ),
    )
    return seen


@pytest.mark.parametrize("entry_options", [{"gps_noise": 25.0}])
async def test_drive_home_fires_each_event_once(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    events = _approach_events(hass)
    directions = changes(hass, "sensor.su7_direction_of_travel")
    await send(hass, zone="zone.home")
    await tick(900)
    assert sorted(summary(events), key=str) == sorted(
        [("approaching", 5.0), ("approaching", 1.0), ("arrived_home", None)], key=str
    )
    first = events[0].data
    assert first["vehicle"] == "SU7"
    assert first["device_id"]
    assert first["distance_km"] <= 5.0
    assert directions == ["towards", "arrived"]
    assert hass.states.get("sensor.su7_distance_to_home").state == "0.0"
    assert hass.states.get("sensor.su7_time_to_home").state == "unknown"


@pytest.mark.parametrize("start_distance", [0.0])
async def test_drive_away_fires_left_home_and_leaving(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    events = _approach_events(hass)
    await send(hass, latitude=HOME_LAT + 0.072, longitude=HOME_LON)
    await tick(900)
    assert sorted(summary(events), key=str) == sorted(
        [("left_home", None), ("leaving", 1.0), ("leaving", 5.0)], key=str
    )
    assert hass.states.get("binary_sensor.su7_at_home").state == "off"
    assert hass.states.get("device_tracker.su7").state == "not_home"


async def test_time_to_home_counts_down(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    etas = changes(hass, "sensor.su7_time_to_home")
    await send(hass, zone="zone.home")
    await tick(120)
    eta = int(hass.states.get("sensor.su7_time_to_home").state)
    assert 6 <= eta <= 9
    await tick(900)
    numbers = [int(v) for v in etas if v.isdigit()]
    assert numbers == sorted(numbers, reverse=True)
    # one write per whole minute, plus the final "unknown"
    assert len(etas) <= len(set(etas)) + 1 <= 15


@pytest.mark.parametrize(("start_distance", "entry_options"), [(5.1, {"gps_noise": 30.0})])
async def test_parked_on_5km_ring_with_noise(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    tick: Callable[..., Any],
) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {
                        "trigger": "numeric_state",
                        "entity_id": "sensor.su7_distance_to_home",
                        "below": 5,
                    }
                ],
                "actions": [{"action": "test.below_5km"}],
            }
        },
    )
    calls = async_mock_service(hass, "test", "below_5km")
    events = _approach_events(hass)
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    directions = changes(hass, "sensor.su7_direction_of_travel")
    distances = changes(hass, "sensor.su7_distance_to_home")
    await tick(30 * 60)
    assert events == []
    assert directions == []
    assert distances == []
    assert calls == []


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.1, {"gps_noise": 30.0})])
async def test_parked_at_zone_edge_with_noise(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    events = _approach_events(hass)
    at_home = changes(hass, "binary_sensor.su7_at_home")
    tracker = changes(hass, "device_tracker.su7")
    await tick(30 * 60)
    assert events == []
    assert at_home == []
    assert tracker == []


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"gps_noise": 20.0})])
async def test_restart_while_home_fires_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(5)
    events = _approach_events(hass)
    at_home = changes(hass, "binary_sensor.su7_at_home")
    for _ in range(3):
        assert await hass.config_entries.async_reload(init_integration.entry_id)
        await hass.async_block_till_done()
        await tick(30)
    assert events == []
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"
    assert set(at_home) <= {"on", "unavailable"}


@pytest.mark.parametrize("entry_options", [{"thresholds": [3.0], "hysteresis": 100.0}])
async def test_options_set_thresholds(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    events = _approach_events(hass)
    await send(hass, zone="zone.home")
    await tick(900)
    assert sorted(summary(events), key=str) == [("approaching", 3.0), ("arrived_home", None)]
