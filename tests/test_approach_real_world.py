"""Real-world fixes through Home Assistant: glitches, bad fixes, a poor first fix, one answer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
import math
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.car_bridge.approach.geo import destination_point, offset_point
from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from custom_components.car_bridge.vehicle.model import Position
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .approach.traces import Drive, drive_home
from .conftest import HOME_LAT, HOME_LON, SIMULATOR_OPTIONS, send_destination

APPROACH_ENTITIES = (
    "device_tracker.su7",
    "binary_sensor.su7_at_home",
    "sensor.su7_distance_to_home",
    "sensor.su7_direction_of_travel",
    "sensor.su7_time_to_home",
)
DRIVE_HOME = [("approaching", 5.0), ("approaching", 1.0), ("arrived_home", None)]


#: The tracker a mirrored SU7 is made of: the fixes are its state writes.
PHONE = "device_tracker.su7_phone"


class Feeder:
    """Writes fixes to the tracker a mirrored car follows, stamped with their own time."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.hass = hass
        self.start = dt_util.utcnow() + timedelta(seconds=1)

    async def __call__(self, fix: Position, at: datetime) -> None:
        # Unknown stays unknown: a speed of 0 would tell the engine the car stopped.
        known = {"gps_accuracy": fix.accuracy, "course": fix.heading, "speed": fix.speed}
        attributes: dict[str, Any] = {
            "latitude": fix.latitude,
            "longitude": fix.longitude,
            **{key: value for key, value in known.items() if value is not None},
        }
        self.hass.states.async_set(PHONE, "not_home", attributes, timestamp=at.timestamp())
        await self.hass.async_block_till_done()

    def at(self, seconds: float) -> datetime:
        return self.start + timedelta(seconds=seconds)


@pytest.fixture
async def mirrored_su7(hass: HomeAssistant, home_zone: None) -> MockConfigEntry:
    """A car called SU7 mirrored from a tracker that has not reported a fix yet."""
    hass.states.async_set(PHONE, "unknown", {})
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SU7",
        unique_id="2a8c6b4d2f0e1a3c5b7d9f3c1e9b7f4e",
        version=2,
        data={"source": "mirror", "name": "SU7", "zone": "zone.home", "tracker": PHONE},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


def shown(hass: HomeAssistant) -> dict[str, Any]:
    """Return what every approach entity shows, with when it was last written."""
    out: dict[str, Any] = {}
    for entity_id in APPROACH_ENTITIES:
        state = hass.states.get(entity_id)
        assert state is not None
        out[entity_id] = (state.state, dict(state.attributes), state.last_updated)
    return out


def assert_one_answer(hass: HomeAssistant) -> None:
    """The tracker, at_home, direction and distance agree about home."""
    tracker = hass.states.get("device_tracker.su7").state
    at_home = hass.states.get("binary_sensor.su7_at_home").state
    direction = hass.states.get("sensor.su7_direction_of_travel").state
    distance = hass.states.get("sensor.su7_distance_to_home").state
    home = tracker == "home"
    assert (at_home == "on") == home, (tracker, at_home)
    assert (direction == "arrived") == home, (tracker, direction)
    assert (float(distance) == 0) == home, (tracker, distance)


def summary(events: list[Any]) -> list[tuple[str, float | None]]:
    # The approach events (the simulator is driven there by send_destination).
    return [
        (e.data["type"], e.data.get("threshold_km"))
        for e in events
        if e.data["type"] != "destination_sent"
    ]


@pytest.mark.parametrize(
    "glitches",
    [
        # a stale fix exactly at home, later one 2 km sideways
        {0: "home", 60: "sideways"},
        # a tracker restart replaying its stale home position: no confirmation
        {0: "home", 1: "home"},
    ],
)
@pytest.mark.usefixtures("mirrored_su7")
async def test_glitches_fire_nothing_and_change_no_entity(
    hass: HomeAssistant, glitches: dict[int, str]
) -> None:
    feed = Feeder(hass)
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    trace = drive_home(Drive(start_km=8.0, kmh=11 * 3.6, accuracy=10.0))
    at_7km = next(i for i, (_, _, d) in enumerate(trace) if d <= 6900)
    for i, (t, fix, _) in enumerate(trace):
        at = feed.at((t - trace[0][0]).total_seconds())
        if (kind := glitches.get(i - at_7km)) is not None:
            before = shown(hass)
            if kind == "home":
                glitch = replace(fix, latitude=HOME_LAT, longitude=HOME_LON)
            else:
                lat, lon = offset_point(fix.latitude, fix.longitude, 0.0, 2000.0)
                glitch = replace(fix, latitude=lat, longitude=lon)
            await feed(glitch, at)
            assert shown(hass) == before
            assert events == []
            continue
        await feed(fix, at)
        assert_one_answer(hass)
    assert summary(events) == DRIVE_HOME


@pytest.mark.usefixtures("mirrored_su7")
async def test_a_confirmed_jump_is_accepted_within_three_fixes(hass: HomeAssistant) -> None:
    feed = Feeder(hass)
    lat, lon = destination_point(HOME_LAT, HOME_LON, 0.0, 8100)
    await feed(Position(latitude=lat, longitude=lon, accuracy=10.0), feed.at(0))
    assert float(hass.states.get("sensor.su7_distance_to_home").state) == pytest.approx(
        8.0, abs=0.02
    )
    # 3 km further on a second later: no car does that, so it takes two agreeing
    # fixes after it (one could be a second glitch agreeing with the first).
    for second, metres in ((1, 5100), (2, 5095)):
        lat, lon = destination_point(HOME_LAT, HOME_LON, 0.0, metres)
        await feed(Position(latitude=lat, longitude=lon, accuracy=10.0), feed.at(second))
        assert float(hass.states.get("sensor.su7_distance_to_home").state) == pytest.approx(
            8.0, abs=0.02
        )
    lat, lon = destination_point(HOME_LAT, HOME_LON, 0.0, 5090)
    await feed(Position(latitude=lat, longitude=lon, accuracy=10.0), feed.at(3))
    assert float(hass.states.get("sensor.su7_distance_to_home").state) == pytest.approx(
        4.99, abs=0.02
    )
    assert hass.states.get("sensor.su7_direction_of_travel").state == "towards"


@pytest.mark.parametrize(
    "bad",
    [
        (0.0, 0.0, 5.0, 10),
        (math.nan, HOME_LON, 5.0, 10),
        (HOME_LAT, math.inf, 5.0, 10),
        (95.0, HOME_LON, 5.0, 10),
        (HOME_LAT, HOME_LON, math.nan, 10),
        (HOME_LAT, HOME_LON, 5.0, -10),  # delivered late
        (HOME_LAT, HOME_LON, 5.0, 0),  # delivered twice
    ],
)
@pytest.mark.usefixtures("mirrored_su7")
async def test_unusable_fixes_change_nothing(
    hass: HomeAssistant, bad: tuple[float, float, float, float]
) -> None:
    latitude, longitude, accuracy, seconds = bad
    feed = Feeder(hass)
    lat, lon = destination_point(HOME_LAT, HOME_LON, 0.0, 3000)
    await feed(Position(latitude=lat, longitude=lon, accuracy=5.0), feed.at(0))
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    before = shown(hass)
    await feed(
        Position(latitude=latitude, longitude=longitude, accuracy=accuracy), feed.at(seconds)
    )
    assert shown(hass) == before
    assert events == []


@pytest.mark.parametrize(
    ("start_distance", "entry_options"), [(3.09, {"gps_noise": 150.0, "max_accuracy": 200.0})]
)
async def test_poor_first_fix_leaves_setup_working(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    await tick(5)
    for entity_id in APPROACH_ENTITIES:
        assert hass.states.get(entity_id).state == "unknown", entity_id
    assert hass.states.get("sensor.su7_battery").state == "80.0"
    diagnostics = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert diagnostics["approach"] is None
    # The GPS recovers: the parked car's fixes, 3.1 km from the zone's centre, are usable.
    hass.config_entries.async_update_entry(
        init_integration, options={**init_integration.options, "gps_noise": 0.0}
    )
    await tick(1)
    assert hass.states.get("sensor.su7_distance_to_home").state == "3.0"
    assert hass.states.get("binary_sensor.su7_at_home").state == "off"
    assert hass.states.get("device_tracker.su7").state == "not_home"


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.25, {"gps_noise": 30.0})])
async def test_one_answer_after_every_fix_and_zone_change(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for _ in range(120):
        await tick(1)
        assert_one_answer(hass)
    assert hass.states.get("device_tracker.su7").state == "not_home"
    await send_destination(hass, zone="zone.home")
    for _ in range(120):
        await tick(1)
        assert_one_answer(hass)
    assert hass.states.get("device_tracker.su7").state == "home"
    assert summary(events) == [("arrived_home", None)]
    events.clear()
    # Moved 5.5 km away, resized around the car, moved back, deleted, re-created.
    await hass.config.async_update(latitude=HOME_LAT + 0.05)
    await hass.async_block_till_done()
    assert_one_answer(hass)
    assert hass.states.get("device_tracker.su7").state == "not_home"
    await hass.config.async_update(radius=6000)
    await hass.async_block_till_done()
    assert_one_answer(hass)
    assert hass.states.get("device_tracker.su7").state == "home"
    await hass.config.async_update(latitude=HOME_LAT, radius=100)
    await hass.async_block_till_done()
    assert_one_answer(hass)
    await tick(30)
    assert_one_answer(hass)
    assert events == []


@pytest.mark.parametrize(
    ("entry_options", "reload_after"),
    [
        ({"gps_noise": 0.0}, [40, 250, 251, 700]),
        ({"gps_noise": 30.0}, [15, 300, 590]),
        ({"gps_noise": 30.0}, [120, 400, 610, 611]),
    ],
)
async def test_reloads_during_a_drive_change_no_event(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    reload_after: list[int],
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, zone="zone.home")
    elapsed = 0
    for at in reload_after:
        await tick(at - elapsed)
        elapsed = at
        before = {e: hass.states.get(e).state for e in APPROACH_ENTITIES}
        assert await hass.config_entries.async_reload(init_integration.entry_id)
        await hass.async_block_till_done()
        after = {e: hass.states.get(e).state for e in APPROACH_ENTITIES}
        assert after == before  # direction and time to home survive too
    await tick(900 - elapsed)
    assert summary(events) == DRIVE_HOME


@pytest.mark.parametrize("start_distance", [4.9])
async def test_parked_at_5_11km_reload_then_drive_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    """Out to 5.11 km (within the re-arm hysteresis), reload, home: no approaching 5."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    car = init_integration.runtime_data.coordinator.source.state.position
    from custom_components.car_bridge.approach.geo import bearing_deg  # noqa: PLC0415

    bearing = bearing_deg(HOME_LAT, HOME_LON, car.latitude, car.longitude)
    lat, lon = destination_point(HOME_LAT, HOME_LON, bearing, 5210)
    await send_destination(hass, latitude=lat, longitude=lon)
    await tick(120)
    assert float(hass.states.get("sensor.su7_distance_to_home").state) == pytest.approx(
        5.11, abs=0.02
    )
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    await send_destination(hass, zone="zone.home")
    await tick(900)
    assert summary(events) == [("leaving", 5.0), ("approaching", 1.0), ("arrived_home", None)]


async def test_home_zone_deleted_and_re_created(
    hass: HomeAssistant, home_zone: None, hass_ws_client: Any, tick: Callable[..., Any]
) -> None:
    client = await hass_ws_client(hass)
    await client.send_json_auto_id(
        {
            "type": "zone/create",
            "name": "Garage",
            "latitude": HOME_LAT,
            "longitude": HOME_LON,
            "radius": 50,
        }
    )
    zone_id = (await client.receive_json())["result"]["id"]
    entry = MockConfigEntry(
        domain=DOMAIN,
        title="SU7",
        unique_id="simulator_su7",
        data={"source": "simulator", "name": "SU7", "zone": "zone.garage", "start_distance": 0.0},
        options=SIMULATOR_OPTIONS,
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    assert hass.states.get("device_tracker.su7").state == "Garage"
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"
    await client.send_json_auto_id({"type": "zone/delete", "zone_id": zone_id})
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    # Nothing is the vehicle's home now; Home Assistant's own home zone still
    # contains the car, and the tracker says so.
    assert hass.states.get("device_tracker.su7").state == "home"
    assert hass.states.get("binary_sensor.su7_at_home").state == "off"
    assert hass.states.get("sensor.su7_direction_of_travel").state == "stationary"
    await tick(10)
    await client.send_json_auto_id(
        {
            "type": "zone/create",
            "name": "Garage",
            "latitude": HOME_LAT,
            "longitude": HOME_LON,
            "radius": 50,
        }
    )
    assert (await client.receive_json())["success"]
    await hass.async_block_till_done()
    assert hass.states.get("device_tracker.su7").state == "Garage"
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"
    assert hass.states.get("sensor.su7_distance_to_home").state == "0.0"
    assert events == []


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.6, {"gps_noise": 30.0})])
@pytest.mark.parametrize("radius", [0.0, 40.0])
async def test_a_home_zone_smaller_than_the_accuracy_is_reached_once(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    radius: float,
) -> None:
    """Zone radius 0, or 40 m with 30 m noise (45 m accuracy): the car arrives once."""
    await hass.config.async_update(radius=radius)
    await hass.async_block_till_done()
    assert hass.states.get("zone.home").attributes["radius"] == radius
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, zone="zone.home")
    for _ in range(600):
        await tick(1)
        assert_one_answer(hass)
    assert hass.states.get("sensor.su7_speed").state == "0.0"
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"
    assert hass.states.get("device_tracker.su7").state == "home"
    assert summary(events) == [("arrived_home", None)]
