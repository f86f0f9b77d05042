"""Golden master: every platform's entities and a recorded drive's events, per source kind.

Taken before the Home Assistant layer was redesigned (issue 16) and kept as
the proof that the redesign changed nothing a user sees: each platform's
registry entries and states for a simulated, a mirrored and a webhook
vehicle, and the ``car_bridge_event`` sequence (with what the device
triggers fired) of one recorded drive home for each kind.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any
from unittest.mock import patch

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
    snapshot_platform,
)
from syrupy.assertion import SnapshotAssertion
from syrupy.matchers import path_type

from custom_components.car_bridge.const import (
    CONF_SOURCE,
    CONF_ZONE,
    DOMAIN,
    EVENT_CAR_BRIDGE,
    SOURCE_MIRROR,
)
from homeassistant.components import automation
from homeassistant.const import CONF_NAME, Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .approach.traces import T0, Drive, drive_home
from .conftest import send_destination, vehicle_device_id, webhook_vehicle_entry

pytestmark = pytest.mark.usefixtures("home_zone")

KINDS = ("simulator", "mirror", "mirror_without_speed", "webhook")
WEBHOOK_ID = "5f0c1e9b7f4e2a8c6b4d2f0e1a3c5b7d"
MIRROR_ID = "3c1e9b7f4e2a8c6b4d2f0e1a3c5b7d9f"

TRACKER = "device_tracker.vw_location"
#: Every entity a mirrored car can be made of (a full set: every platform has entities).
MIRRORED = {
    "tracker": TRACKER,
    "battery": "sensor.vw_battery",
    "range": "sensor.vw_range",
    "charge_state": "sensor.vw_charging",
    "cabin_temperature": "sensor.vw_cabin",
    "outside_temperature": "sensor.vw_outside",
    "odometer": "sensor.vw_odometer",
    "climate": "climate.vw",
    "lock": "lock.vw",
    "charging_switch": "switch.vw_charger",
    "charge_limit": "number.vw_charge_limit",
}
#: A full webhook post: every value the Car Bridge JSON format carries.
FULL_POST = {
    "latitude": 52.43,
    "longitude": 4.9041,
    "accuracy": 8,
    "speed": 0,
    "heading": 180,
    "battery_level": 71,
    "range_km": 312,
    "charge_state": "charging",
    "charging_power": 7.4,
    "cabin_temperature": 19.5,
    "outside_temperature": 9.0,
    "odometer": 12345.6,
    "locked": True,
    "climate_on": False,
}
#: Minutes and distance the drive's automations ask for (the options fire 5 and 1 km).
TRIGGER_MINUTES = 3
TRIGGER_KM = 3.0


def _set_mirrored_states(hass: HomeAssistant, *, with_speed: bool = True) -> None:
    lat, lon = 52.43, 4.9041
    tracker = {"source_type": "gps", "latitude": lat, "longitude": lon, "gps_accuracy": 10}
    if with_speed:
        tracker["speed"] = 0
    hass.states.async_set(TRACKER, "not_home", tracker)
    hass.states.async_set(MIRRORED["battery"], "64", {"unit_of_measurement": "%"})
    hass.states.async_set(MIRRORED["range"], "280", {"unit_of_measurement": "km"})
    hass.states.async_set(MIRRORED["charge_state"], "Disconnected", {})
    hass.states.async_set(MIRRORED["cabin_temperature"], "18.5", {"unit_of_measurement": "°C"})
    hass.states.async_set(MIRRORED["outside_temperature"], "7", {"unit_of_measurement": "°C"})
    hass.states.async_set(MIRRORED["odometer"], "23456", {"unit_of_measurement": "km"})
    hass.states.async_set(
        MIRRORED["climate"],
        "off",
        {
            "hvac_modes": ["off", "heat_cool"],
            "temperature": 21,
            "current_temperature": 18.5,
            "min_temp": 15,
            "max_temp": 28,
        },
    )
    hass.states.async_set(MIRRORED["lock"], "locked", {})
    hass.states.async_set(MIRRORED["charging_switch"], "on", {})
    hass.states.async_set(MIRRORED["charge_limit"], "80", {"min": 50, "max": 100, "step": 1})


def _mirror_entry(entities: dict[str, str]) -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Golf",
        unique_id=MIRROR_ID,
        version=2,
        data={CONF_SOURCE: SOURCE_MIRROR, CONF_NAME: "Golf", CONF_ZONE: "zone.home", **entities},
        options={},
    )


async def _webhook_post(
    hass: HomeAssistant, client: TestClient, body: dict[str, Any], freezer: FrozenDateTimeFactory
) -> None:
    response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
    assert response.status == 200, await response.text()
    # Posts are published at most ten times a second: let the pending one happen.
    freezer.tick(0.5)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


@pytest.fixture
def snapshot_vehicle(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
    freezer: FrozenDateTimeFactory,
) -> Callable[[str], Awaitable[MockConfigEntry]]:
    """Return a setter-up of one vehicle of a kind, with every value it can show known."""

    async def _setup(kind: str) -> MockConfigEntry:
        freezer.move_to(T0)
        if kind == "simulator":
            entry = mock_config_entry
        elif kind == "mirror":
            _set_mirrored_states(hass)
            entry = _mirror_entry(MIRRORED)
        elif kind == "mirror_without_speed":
            _set_mirrored_states(hass, with_speed=False)
            entry = _mirror_entry({"tracker": TRACKER, "battery": MIRRORED["battery"]})
        else:
            entry = webhook_vehicle_entry("Van", WEBHOOK_ID, "7e3c1e9b7f4e2a8c6b4d2f0e1a3c5b0e")
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        if kind == "webhook":
            client = await hass_client_no_auth()
            await _webhook_post(hass, client, {**FULL_POST, "timestamp": T0.timestamp()}, freezer)
        return entry

    return _setup


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "platform",
    [
        Platform.BINARY_SENSOR,
        Platform.CLIMATE,
        Platform.DEVICE_TRACKER,
        Platform.LOCK,
        Platform.NUMBER,
        Platform.SENSOR,
        Platform.SWITCH,
    ],
)
async def test_entities(
    hass: HomeAssistant,
    *,
    entity_registry: er.EntityRegistry,
    snapshot: SnapshotAssertion,
    snapshot_vehicle: Callable[[str], Awaitable[MockConfigEntry]],
    kind: str,
    platform: Platform,
) -> None:
    """Each platform's registry entries and states, for each kind of source."""
    with patch("custom_components.car_bridge.PLATFORMS", [platform]):
        entry = await snapshot_vehicle(kind)
    entries = er.async_entries_for_config_entry(entity_registry, entry.entry_id)
    if not entries:
        # A platform the source cannot back has no entities at all.
        assert snapshot(name="no entities") == []
        return
    await snapshot_platform(hass, entity_registry, snapshot, entry.entry_id)


async def _attach_triggers(hass: HomeAssistant, device_id: str) -> list[Any]:
    """An automation of each device trigger type; returns what they fired, in order."""
    calls = async_mock_service(hass, "test", "fired")
    triggers: list[dict[str, Any]] = [
        {"trigger": "device", "domain": DOMAIN, "device_id": device_id, "type": kind, **extra}
        for kind, extra in (
            ("approaching", {"distance": TRIGGER_KM}),
            ("leaving", {"distance": TRIGGER_KM}),
            ("arrived_home", {}),
            ("left_home", {}),
            ("time_to_home_below", {"minutes": TRIGGER_MINUTES}),
        )
    ]
    assert await async_setup_component(
        hass,
        automation.DOMAIN,
        {
            automation.DOMAIN: [
                {
                    "triggers": [trigger],
                    "actions": [
                        {
                            "action": "test.fired",
                            "data": {"type": trigger["type"], "why": "{{ trigger.description }}"},
                        }
                    ],
                }
                for trigger in triggers
            ]
        },
    )
    await hass.async_block_till_done()
    return calls


def _recorded(events: list[Any], calls: list[Any]) -> dict[str, Any]:
    return {
        "events": [dict(event.data) for event in events],
        "triggers": [dict(call.data) for call in calls],
    }


#: The recorded drive the mirror and the webhook replay: 6 km home at 60 km/h, σ 15 m.
DRIVE = Drive(start_km=6.0, kmh=60.0, sigma=15.0, parked_after_s=60)


async def test_drive_simulator(
    hass: HomeAssistant,
    snapshot: SnapshotAssertion,
    snapshot_vehicle: Callable[[str], Awaitable[MockConfigEntry]],
    tick: Callable[..., Any],
) -> None:
    """The simulated car's drive home from 8 km: each crossing once, in order."""
    entry = await snapshot_vehicle("simulator")
    calls = await _attach_triggers(hass, vehicle_device_id(hass, entry))
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, zone="zone.home")
    await tick(900)
    assert [e.data["type"] for e in events][-1] == "arrived_home"
    assert _recorded(events, calls) == snapshot(matcher=_ids)


async def test_drive_mirror(
    hass: HomeAssistant,
    snapshot: SnapshotAssertion,
    snapshot_vehicle: Callable[[str], Awaitable[MockConfigEntry]],
    freezer: FrozenDateTimeFactory,
) -> None:
    """A mirrored tracker replaying the recorded drive."""
    entry = await snapshot_vehicle("mirror")
    calls = await _attach_triggers(hass, vehicle_device_id(hass, entry))
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for at, fix, _ in drive_home(DRIVE):
        freezer.move_to(at + timedelta(hours=1))
        hass.states.async_set(
            TRACKER,
            "not_home",
            {
                "source_type": "gps",
                "latitude": fix.latitude,
                "longitude": fix.longitude,
                "gps_accuracy": fix.accuracy,
                "speed": fix.speed,
            },
        )
        await hass.async_block_till_done()
    assert [e.data["type"] for e in events][-1] == "arrived_home"
    assert _recorded(events, calls) == snapshot(matcher=_ids)


async def test_drive_webhook(
    hass: HomeAssistant,
    snapshot: SnapshotAssertion,
    snapshot_vehicle: Callable[[str], Awaitable[MockConfigEntry]],
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
) -> None:
    """A tracker app posting the recorded drive over HTTP, one fix a second."""
    entry = await snapshot_vehicle("webhook")
    calls = await _attach_triggers(hass, vehicle_device_id(hass, entry))
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    client = await hass_client_no_auth()
    for recorded_at, fix, _ in drive_home(DRIVE):
        at = recorded_at + timedelta(hours=1)
        freezer.move_to(at)
        body = {
            "latitude": fix.latitude,
            "longitude": fix.longitude,
            "accuracy": fix.accuracy,
            "speed": fix.speed,
            "heading": fix.heading,
            "timestamp": at.timestamp(),
        }
        await _webhook_post(hass, client, body, freezer)
    assert [e.data["type"] for e in events][-1] == "arrived_home"
    assert _recorded(events, calls) == snapshot(matcher=_ids)


#: Device ids are generated per run.
_ids = path_type({r".*device_id": (str,)}, regex=True)
