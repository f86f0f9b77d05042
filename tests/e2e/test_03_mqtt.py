"""A car announced over a real MQTT broker, the way TeslaMate does, mirrored by Car Bridge.

A real Mosquitto on a free loopback port, a real hass with the MQTT
integration connected to it, a paho-mqtt publisher that announces a tracker, a
battery sensor and a charging-state sensor by MQTT discovery and then drives
home: the mirror vehicle made from those entities fires ``approaching`` and
``arrived_home`` once each and turns on a demo light through the bundled
blueprint.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
import json
from pathlib import Path
import shutil
import socket
import subprocess
import time
from typing import Any
import urllib.error

from paho.mqtt import client as mqtt
import pytest

from custom_components.car_bridge.approach.geo import destination_point

from .conftest import Hass, add_approach_automation, free_port, running_hass, wait_for, watch

LIGHT = "light.bed_light"
PREFIX = "teslamate/cars/1"
DEVICE = {"identifiers": ["teslamate_car_1"], "name": "Tesla", "manufacturer": "Tesla"}
TRACKER = "device_tracker.tesla_location"
BATTERY = "sensor.tesla_battery_level"
CHARGING = "sensor.tesla_charging_state"
#: Seconds between fixes and metres per fix: 180 km/h, a plausible motorway speed.
FIX_INTERVAL_S = 5.0
STEP_M = 250.0
#: The broker form's section of advanced settings, at the UI's defaults.
OTHER_SETTINGS = {"set_client_cert": False, "set_ca_cert": "off", "transport": "tcp"}


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[int]:
    """Debian's Mosquitto (installed by script/setup) on a free loopback port."""
    exe = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    if not Path(exe).exists():
        pytest.fail("Mosquitto is missing: run script/setup (it installs Debian's mosquitto)")
    workdir = tmp_path_factory.mktemp("mosquitto")
    port = free_port()
    conf = workdir / "mosquitto.conf"
    conf.write_text(f"listener {port} 127.0.0.1\nallow_anonymous true\npersistence false\n")
    log = (workdir / "mosquitto.log").open("wb")
    process = subprocess.Popen([exe, "-c", str(conf)], stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("mosquitto did not start") from None
                time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def mqtt_hass(tmp_path_factory: pytest.TempPathFactory, broker: int) -> Iterator[Hass]:
    """A real hass (the demo home) with the MQTT integration connected to the broker."""
    # MQTT itself is a config entry; its dependency file_upload is not in the demo home.
    extra = "\nfile_upload:\n"
    with running_hass(tmp_path_factory.mktemp("hass_mqtt"), extra, artifacts="mqtt-") as hass:
        flow = hass.api("/api/config/config_entries/flow", {"handler": "mqtt"})
        assert flow["step_id"] == "broker", flow
        try:
            result = hass.api(
                f"/api/config/config_entries/flow/{flow['flow_id']}",
                # The form's defaults, as the UI would send them (a section is required).
                {
                    "broker": "127.0.0.1",
                    "port": broker,
                    "protocol": "5",
                    "other_settings": OTHER_SETTINGS,
                },
            )
        except urllib.error.HTTPError as err:
            raise AssertionError(f"{err.read().decode()} {flow}") from err
        assert result["type"] == "create_entry", result
        yield hass


@pytest.fixture
def teslamate(broker: int) -> Iterator[mqtt.Client]:
    """A publisher that speaks for the car, as TeslaMate would."""
    client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id="teslamate")
    client.connect("127.0.0.1", broker)
    client.loop_start()
    try:
        yield client
    finally:
        client.loop_stop()
        client.disconnect()


def publish(client: mqtt.Client, topic: str, payload: Any, *, retain: bool = True) -> None:
    body = payload if isinstance(payload, str) else json.dumps(payload)
    client.publish(topic, body, qos=1, retain=retain).wait_for_publish(10)


def announce(client: mqtt.Client) -> None:
    """MQTT discovery: a GPS tracker, the battery level and the charging state."""
    publish(
        client,
        "homeassistant/device_tracker/teslamate_1_location/config",
        {
            "name": "Location",
            "unique_id": "teslamate_1_location",
            "json_attributes_topic": f"{PREFIX}/location",
            "source_type": "gps",
            "device": DEVICE,
        },
    )
    publish(
        client,
        "homeassistant/sensor/teslamate_1_battery_level/config",
        {
            "name": "Battery level",
            "unique_id": "teslamate_1_battery_level",
            "state_topic": f"{PREFIX}/battery_level",
            "unit_of_measurement": "%",
            "device_class": "battery",
            "device": DEVICE,
        },
    )
    publish(
        client,
        "homeassistant/sensor/teslamate_1_charging_state/config",
        {
            "name": "Charging state",
            "unique_id": "teslamate_1_charging_state",
            "state_topic": f"{PREFIX}/charging_state",
            "device": DEVICE,
        },
    )


def add_mirror(hass: Hass) -> str:
    """Add the mirror vehicle through the config flow API, approaching at 5 km only."""
    flow = hass.api("/api/config/config_entries/flow", {"handler": "car_bridge"})
    flow = hass.api(
        f"/api/config/config_entries/flow/{flow['flow_id']}", {"next_step_id": "mirror"}
    )
    fields = {"tracker": TRACKER, "battery": BATTERY, "charge_state": CHARGING}
    result = hass.api(
        f"/api/config/config_entries/flow/{flow['flow_id']}",
        {"name": "Model Y", "zone": "zone.home", **fields},
    )
    assert result["type"] == "create_entry", result
    entry_id = str(result["result"]["entry_id"])
    flow = hass.api("/api/config/config_entries/options/flow", {"handler": entry_id})
    assert flow["step_id"] == "mirror", flow
    result = hass.api(
        f"/api/config/config_entries/options/flow/{flow['flow_id']}",
        {
            **fields,
            "thresholds": ["5"],
            "hysteresis": 200,
            "max_accuracy": 200,
            "zone": "zone.home",
        },
    )
    assert result["type"] == "create_entry", result
    return entry_id


async def test_teslamate_over_mqtt_drives_home(mqtt_hass: Hass, teslamate: mqtt.Client) -> None:
    hass = mqtt_hass
    home = hass.state("zone.home")
    assert home is not None
    home_lat, home_lon = home["attributes"]["latitude"], home["attributes"]["longitude"]
    radius = home["attributes"]["radius"]

    def location(km: float) -> dict[str, Any]:
        lat, lon = destination_point(home_lat, home_lon, 0.0, radius + km * 1000)
        return {"latitude": lat, "longitude": lon, "gps_accuracy": 5, "speed": 180}

    announce(teslamate)
    publish(teslamate, f"{PREFIX}/location", location(5.75))
    publish(teslamate, f"{PREFIX}/battery_level", "64")
    publish(teslamate, f"{PREFIX}/charging_state", "Disconnected")
    await asyncio.to_thread(wait_for, hass, TRACKER, lambda s: "latitude" in s["attributes"], 60)
    await asyncio.to_thread(wait_for, hass, BATTERY, lambda s: s["state"] == "64", 30)
    await asyncio.to_thread(wait_for, hass, CHARGING, lambda s: s["state"] == "Disconnected", 30)

    entry_id = await asyncio.to_thread(add_mirror, hass)
    battery = await asyncio.to_thread(
        wait_for, hass, "sensor.model_y_battery", lambda s: s["state"] == "64.0", 30
    )
    assert battery["attributes"]["unit_of_measurement"] == "%"
    assert hass.state("sensor.model_y_charge_state")["state"] == "disconnected"
    # Only what the entities can back: no lock, no climate, no range.
    for absent in ("lock.model_y_doors", "climate.model_y_cabin", "sensor.model_y_range"):
        assert hass.state(absent) is None, absent

    device_id = hass.api("/api/template", {"template": "{{ device_id('device_tracker.model_y') }}"})
    hass.api("/api/services/light/turn_off", {"entity_id": LIGHT})
    assert hass.state(LIGHT)["state"] == "off"
    add_approach_automation(
        hass, "car_bridge_mqtt_e2e", "Lights on when the Tesla is 5 km away", device_id, LIGHT
    )
    await asyncio.to_thread(
        wait_for,
        hass,
        "automation.lights_on_when_the_tesla_is_5_km_away",
        lambda s: s["state"] == "on",
        30,
    )

    seen: list[dict[str, Any]] = []
    ready = asyncio.Event()
    watcher = asyncio.create_task(watch(hass, LIGHT, seen, ready, car_bridge_events=True))
    await asyncio.wait_for(ready.wait(), 30)

    # The drive home: 5.75 km to the zone's edge in 250 m steps, then parked inside.
    km = 5.75
    while km > 0:
        km = max(0.0, km - STEP_M / 1000)
        publish(teslamate, f"{PREFIX}/location", location(km))
        await asyncio.sleep(FIX_INTERVAL_S)
    publish(teslamate, f"{PREFIX}/location", {**location(-0.05), "speed": 0})
    publish(teslamate, f"{PREFIX}/charging_state", "Charging")
    await asyncio.to_thread(
        wait_for, hass, "binary_sensor.model_y_at_home", lambda s: s["state"] == "on", 60
    )
    await asyncio.to_thread(
        wait_for, hass, "sensor.model_y_charge_state", lambda s: s["state"] == "charging", 30
    )
    await asyncio.sleep(3)  # anything else would have fired by now
    watcher.cancel()

    kinds = [event["kind"] for event in seen]
    assert kinds.count("approaching") == 1, seen
    assert kinds.count("arrived_home") == 1, seen
    assert kinds.count("light") == 1, seen
    assert kinds.index("approaching") < kinds.index("light")
    assert hass.state(LIGHT)["state"] == "on"
    assert hass.state("device_tracker.model_y")["state"] == "home"
    assert entry_id
    problems = [
        line
        for line in hass.log().splitlines()
        if ("ERROR" in line or "WARNING" in line) and "custom_components.car_bridge" in line
    ]
    assert problems == []
