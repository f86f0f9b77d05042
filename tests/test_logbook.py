"""Logbook: Car Bridge events and the automations they run read like what happened."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from http import HTTPStatus
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from custom_components.car_bridge.describe import event_phrase
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import HOME_LAT, HOME_LON, send_destination, vehicle_device_id


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """Start the recorder before Home Assistant, as the logbook reads from it."""


async def logbook(hass: HomeAssistant, client: ClientSessionGenerator, start: str) -> list[Any]:
    await async_wait_recording_done(hass)
    response = await (await client()).get(f"/api/logbook/{start}")
    assert response.status == HTTPStatus.OK
    entries: list[dict[str, Any]] = await response.json()
    return [
        (e["name"], e["message"], e.get("entity_id"))
        for e in entries
        if e.get("domain") in (DOMAIN, "automation") and "message" in e
    ]


async def test_events_and_blueprint_runs_read_like_the_event(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    tick: Callable[..., Any],
) -> None:
    # A second before: the destination is sent (and logged) at this very instant.
    start = (dt_util.utcnow() - timedelta(seconds=1)).isoformat()
    assert await async_setup_component(hass, "logbook", {})
    dev = vehicle_device_id(hass, init_integration)
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "alias": "Lights on",
                    "triggers": [
                        {
                            "trigger": "device",
                            "domain": DOMAIN,
                            "device_id": dev,
                            "type": "approaching",
                            "distance": 3,
                        }
                    ],
                    "actions": [],
                },
                {
                    "alias": "Water heater",
                    "triggers": [
                        {
                            "trigger": "device",
                            "domain": DOMAIN,
                            "device_id": dev,
                            "type": "time_to_home_below",
                            "minutes": 5,
                        }
                    ],
                    "actions": [],
                },
            ]
        },
    )
    await send_destination(hass, zone="zone.home")
    await tick(1200)

    entries = await logbook(hass, hass_client, start)
    car = [e for e in entries if e[2] == "device_tracker.su7" and e[0] == "SU7"]
    assert ("SU7", "came within 5 km of home", "device_tracker.su7") in car
    assert ("SU7", "came within 3 km of home", "device_tracker.su7") in car
    assert ("SU7", "came within 1 km of home", "device_tracker.su7") in car
    assert ("SU7", "arrived home", "device_tracker.su7") in car
    assert ("SU7", "was sent the destination test home", "device_tracker.su7") in car
    runs = {e[0]: e[1] for e in entries if e[2] and e[2].startswith("automation.")}
    assert runs == {
        "Lights on": "triggered by SU7 came within 3 km of home",
        "Water heater": "triggered by SU7 is less than 5 minutes from home",
    }

    # A name given in the UI is the one the logbook uses from then on.
    dr.async_get(hass).async_update_device(dev, name_by_user="Family car")
    await send_destination(hass, latitude=HOME_LAT + 0.05, longitude=HOME_LON)
    await tick(600)
    entries = await logbook(hass, hass_client, start)
    assert ("Family car", "left home", "device_tracker.su7") in entries


async def test_foreign_or_partial_events_are_still_described(
    hass: HomeAssistant, hass_client: ClientSessionGenerator
) -> None:
    start = dt_util.utcnow().isoformat()
    assert await async_setup_component(hass, "logbook", {})
    assert await async_setup_component(hass, DOMAIN, {})
    hass.bus.async_fire(EVENT_CAR_BRIDGE, {"type": "leaving", "threshold_km": 2.5, "vehicle": "X"})
    hass.bus.async_fire(EVENT_CAR_BRIDGE, {"type": "approaching", "device_id": "gone"})
    hass.bus.async_fire(EVENT_CAR_BRIDGE, {"type": "parked"})
    await hass.async_block_till_done()
    entries = await logbook(hass, hass_client, start)
    assert entries == [
        ("X", "went beyond 2.5 km from home", None),
        ("Vehicle", "came within a distance of home", None),
        ("Vehicle", "parked", None),
    ]
    assert event_phrase("left_home", None) == "left home"


async def test_time_to_home_below_is_on_the_bus_and_in_the_logbook(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    hass_client: ClientSessionGenerator,
    tick: Callable[..., Any],
) -> None:
    start = dt_util.utcnow().isoformat()
    assert await async_setup_component(hass, "logbook", {})
    dev = vehicle_device_id(hass, init_integration)
    trigger = {"trigger": "device", "domain": DOMAIN, "device_id": dev}
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "Kettle",
                "triggers": [{**trigger, "type": "time_to_home_below", "minutes": 6}],
                "actions": [],
            }
        },
    )
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, zone="zone.home")
    await tick(1200)

    eta = [e.data for e in events if e.data["type"] == "time_to_home_below"]
    assert len(eta) == 1
    assert eta[0]["minutes"] == 6.0
    assert eta[0]["vehicle"] == "SU7"
    entries = await logbook(hass, hass_client, start)
    assert ("SU7", "is less than 6 minutes from home", "device_tracker.su7") in entries
    assert ("Kettle", "triggered by SU7 is less than 6 minutes from home", "automation.kettle") in (
        entries
    )
    assert event_phrase("time_to_home_below", None) == "is less than a few minutes from home"
