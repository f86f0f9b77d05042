"""End to end: a WiCAN-style dongle posts a drive home over real HTTP to a real hass."""

from __future__ import annotations

import asyncio
import time
from typing import Any
from urllib.parse import urlencode, urlparse
import urllib.request

from .conftest import Hass, add_approach_automation, wait_for, watch

LIGHT = "light.kitchen_lights"
HOME = (52.3676, 4.9041)


def add_webhook_vehicle(hass: Hass) -> str:
    """Add "Kona" through the flow API; return the path of its webhook."""
    flow = hass.api("/api/config/config_entries/flow", {"handler": "car_bridge"})
    flow = hass.api(
        f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": "webhook"}
    )
    assert flow["step_id"] == "webhook", flow
    result = hass.api(
        f"/api/config/config_entries/flow/{flow['flow_id']}", {"name": "Kona", "zone": "zone.home"}
    )
    assert result["type"] == "create_entry", result
    url = result["description_placeholders"]["webhook_url"]
    assert "/api/webhook/" in url
    return urlparse(url).path


def post_form(url: str, fields: dict[str, Any]) -> int:
    """POST a form body exactly as WiCAN's ABRP destination does (no Home Assistant token)."""
    request = urllib.request.Request(
        url,
        data=urlencode(fields).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        return int(response.status)


def drive_home(url: str, fixes: int = 60) -> list[float]:
    """8 km due north to home at about 48 km/h, one fix every 10 s, ending now."""
    now = int(time.time())
    start_lat = HOME[0] + 8 / 111.2
    socs = []
    for i in range(fixes):
        lat = start_lat + (HOME[0] - start_lat) * i / (fixes - 1)
        soc = round(61.0 - i * 0.05, 2)
        socs.append(soc)
        fields = {
            "utc": now - (fixes - 1 - i) * 10,
            "soc": soc,
            "speed": 48 if i < fixes - 1 else 0,
            "lat": round(lat, 6),
            "lon": HOME[1],
            "voltage": 398.2,
            "current": -42.3,
            "power": 16.8,
            "is_charging": 0,
            "car_model": "hyundai:kona:19:64:other",
            "token": "wican-token",
        }
        assert post_form(url, fields) == 200
        time.sleep(0.2)
    return socs


async def test_a_dongle_drive_turns_on_the_light_once(hass_server: Hass) -> None:
    hass = hass_server
    path = await asyncio.to_thread(add_webhook_vehicle, hass)
    assert hass.state("sensor.kona_battery")["state"] == "unknown"
    device_id = hass.api("/api/template", {"template": "{{ device_id('device_tracker.kona') }}"})
    assert hass.api("/api/services/light/turn_off", {"entity_id": LIGHT}) is not None
    assert hass.state(LIGHT)["state"] == "off"
    add_approach_automation(hass, "car_bridge_e2e_webhook", "Kona lights", device_id, LIGHT)
    await asyncio.to_thread(wait_for, hass, "automation.kona_lights", "on", 30)

    on_events: list[dict[str, Any]] = []
    ready = asyncio.Event()
    watcher = asyncio.create_task(watch(hass, LIGHT, on_events, ready))
    await asyncio.wait_for(ready.wait(), 30)

    socs = await asyncio.to_thread(drive_home, f"{hass.url}{path}")
    await asyncio.to_thread(wait_for, hass, "binary_sensor.kona_at_home", "on", 30)
    await asyncio.sleep(3)  # anything else would have fired by now
    watcher.cancel()

    automation = hass.state("automation.kona_lights")
    assert len(on_events) == 1, (automation, hass.state(LIGHT))
    assert float(hass.state("sensor.kona_battery")["state"]) == socs[-1]
    assert hass.state("binary_sensor.kona_connected")["state"] == "on"
    assert hass.state("device_tracker.kona")["state"] == "home"
    problems = [
        line
        for line in hass.log().splitlines()
        if ("ERROR" in line or "WARNING" in line) and "custom_components.car_bridge" in line
    ]
    assert problems == []
