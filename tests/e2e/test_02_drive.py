"""An end-to-end drive: a blueprint automation turns on a demo light exactly once."""

from __future__ import annotations

import asyncio
from typing import Any

from .conftest import Hass, add_approach_automation, wait_for, wait_for_entry_loaded, watch

LIGHT = "light.bed_light"


def ensure_vehicle(hass: Hass) -> str:
    """Return the entry id of SU7, adding it through the flow API if the UI test did not."""
    entries = hass.api("/api/config/config_entries/entry?domain=car_bridge")
    for entry in entries:
        if entry["title"] == "SU7":
            return str(entry["entry_id"])
    flow = hass.api("/api/config/config_entries/flow", {"handler": "car_bridge"})
    flow = hass.api(
        f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": "simulator"}
    )
    result = hass.api(
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"name": "SU7", "zone": "zone.home", "start_distance": 8},
    )
    assert result["type"] == "create_entry"
    return str(result["result"]["entry_id"])


def set_time_factor(hass: Hass, entry_id: str, factor: float) -> None:
    flow = hass.api("/api/config/config_entries/options/flow", {"handler": entry_id})
    result = hass.api(
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {
            "cruise_speed": 50,
            "time_factor": factor,
            "gps_noise": 10,
            "outside_temperature": 12,
            "battery_start": 80,
            "auto_plug_in": True,
            "thresholds": ["5", "1"],
            "hysteresis": 200,
            "max_accuracy": 200,
            "zone": "zone.home",
        },
    )
    assert result["type"] == "create_entry", result


async def test_blueprint_turns_on_the_light_once(hass_server: Hass) -> None:
    hass = hass_server
    entry_id = await asyncio.to_thread(ensure_vehicle, hass)
    device_id = hass.api("/api/template", {"template": "{{ device_id('device_tracker.su7') }}"})
    assert hass.api("/api/services/light/turn_off", {"entity_id": LIGHT}) is not None
    assert hass.state(LIGHT)["state"] == "off"

    add_approach_automation(
        hass, "car_bridge_e2e", "Lights on when the car is 5 km away", device_id, LIGHT
    )
    wait_for(hass, "automation.lights_on_when_the_car_is_5_km_away", "on", 30)

    set_time_factor(hass, entry_id, 60)
    # The options apply live; wait until the entry reports loaded again, whatever the load.
    await asyncio.to_thread(wait_for_entry_loaded, hass, entry_id, 60)

    on_events: list[dict[str, Any]] = []
    ready = asyncio.Event()
    watcher = asyncio.create_task(watch(hass, LIGHT, on_events, ready))
    await asyncio.wait_for(ready.wait(), 30)

    hass.api(
        "/api/services/car_bridge/send_destination",
        {"entity_id": "device_tracker.su7", "zone": "zone.home"},
    )
    await asyncio.to_thread(wait_for, hass, "binary_sensor.su7_at_home", "on", 120)
    await asyncio.to_thread(wait_for, hass, "binary_sensor.su7_plugged_in", "on", 30)
    await asyncio.sleep(5)  # anything else would have fired by now
    watcher.cancel()

    assert len(on_events) == 1
    assert hass.state(LIGHT)["state"] == "on"
    assert hass.state("device_tracker.su7")["state"] == "home"
    assert hass.state("sensor.su7_charge_state")["state"] == "charging"
    automation = hass.state("automation.lights_on_when_the_car_is_5_km_away")
    assert automation["attributes"]["last_triggered"] is not None
    problems = [
        line
        for line in hass.log().splitlines()
        if ("ERROR" in line or "WARNING" in line) and "custom_components.car_bridge" in line
    ]
    assert problems == []
