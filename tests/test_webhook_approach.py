"""The approach engine behind the webhook, as a tracker app feeds it over HTTP.

A pushed vehicle starts with no position at all, may first send a poor fix,
and is reloaded (an options change, an update) while it drives: none of that
may fire an event the drive itself would not have fired.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.car_bridge.approach.engine import Fix
from custom_components.car_bridge.const import (
    EVENT_CAR_BRIDGE,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .approach.traces import T0, Drive, drive_home
from .conftest import webhook_vehicle_entry

WEBHOOK_ID = "00112233445566778899aabbccddeeff"
APPROACH = (
    "device_tracker.van",
    "binary_sensor.van_at_home",
    "sensor.van_distance_to_home",
    "sensor.van_direction_of_travel",
    "sensor.van_time_to_home",
)

type Send = Callable[..., Awaitable[None]]


@pytest.fixture
def entry() -> MockConfigEntry:
    return webhook_vehicle_entry("Van", WEBHOOK_ID, "7e3c1e9b7f4e2a8c6b4d2f0e1a3c5b0d")


@pytest.fixture
async def send(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    home_zone: None,
    entry: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
) -> Send:
    """Set the van up at the trace's start; return a sender of one fix at its time."""
    freezer.move_to(T0)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()

    async def _send(fix: Fix, at: datetime, stamp: datetime | None = None) -> None:
        freezer.move_to(at)
        body: dict[str, Any] = {
            "latitude": fix.latitude,
            "longitude": fix.longitude,
            "accuracy": fix.accuracy,
            "timestamp": (stamp or at).timestamp(),
        }
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
        assert response.status == 200, await response.text()
        # The webhook coalesces publishes: let the pending one happen.
        freezer.tick(0.5)
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done()

    return _send


async def test_a_poor_first_fix_leaves_the_approach_unknown_until_a_good_one(
    hass: HomeAssistant, entry: MockConfigEntry, send: Send
) -> None:
    assert entry.state is ConfigEntryState.LOADED
    trace = drive_home(Drive(start_km=3.0, accuracy=10.0, report_speed=False))
    (t0, first, _), (t1, second, _) = trace[0], trace[1]
    await send(Fix(latitude=first.latitude, longitude=first.longitude, accuracy=500.0), t0)
    for entity_id in APPROACH:
        assert hass.states.get(entity_id).state == STATE_UNKNOWN, entity_id
    await send(second, t1)
    assert float(hass.states.get("sensor.van_distance_to_home").state) == pytest.approx(
        2.9, abs=0.05
    )
    assert hass.states.get("device_tracker.van").state == "not_home"


@pytest.mark.parametrize("reload_at", [None, 5.11, 3.0, 0.95])
async def test_a_reload_mid_drive_changes_no_event(
    hass: HomeAssistant, entry: MockConfigEntry, send: Send, reload_at: float | None
) -> None:
    """A tracker without speed drives home; a reload anywhere fires nothing extra."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    trace = drive_home(Drive(start_km=8.0, sigma=10.0, report_speed=False, parked_after_s=60))
    reloaded = False
    for at, fix, true_edge in trace:
        if reload_at is not None and not reloaded and true_edge <= reload_at * 1000:
            reloaded = True
            assert await hass.config_entries.async_reload(entry.entry_id)
            await hass.async_block_till_done()
        await send(fix, at)
    assert reloaded or reload_at is None
    assert [(e.data["type"], e.data.get("threshold_km")) for e in events] == [
        ("approaching", 5.0),
        ("approaching", 1.0),
        ("arrived_home", None),
    ]
    assert hass.states.get("device_tracker.van").state == "home"


async def test_one_fix_stamped_ahead_holds_back_nothing(
    hass: HomeAssistant, entry: MockConfigEntry, send: Send
) -> None:
    """A sender's clock jumps 4 minutes ahead for one fix: the drive goes on."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    trace = drive_home(Drive(start_km=5.5, accuracy=10.0, report_speed=False, parked_after_s=60))
    fired_at: list[float] = []
    for i, (at, fix, true_edge) in enumerate(trace):
        await send(fix, at, stamp=at + timedelta(minutes=4) if i == 10 else None)
        fired_at += [true_edge] * (len(events) - len(fired_at))
    assert [(e.data["type"], e.data.get("threshold_km")) for e in events] == [
        ("approaching", 5.0),
        ("approaching", 1.0),
        ("arrived_home", None),
    ]
    # On time, not once the sender's clock has caught up four minutes later.
    assert 4950 <= fired_at[0] <= 5000
