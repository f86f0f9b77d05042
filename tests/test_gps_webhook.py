"""Real-GPS defects of issue 21, through the webhook as a phone or tracker app posts.

Each test is named after the behaviour and says which numbered defect it pins.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.car_bridge.approach.geo import destination_point
from custom_components.car_bridge.const import CONF_THRESHOLDS, EVENT_CAR_BRIDGE
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util

from .approach.traces import T0
from .conftest import HOME_LAT, HOME_LON, webhook_vehicle_entry

WEBHOOK_ID = "ffeeddccbbaa99887766554433221100"

type Post = Callable[..., Awaitable[None]]


def _entry(**options: Any) -> MockConfigEntry:
    entry = webhook_vehicle_entry("Van", WEBHOOK_ID, "0d5b3c1a0e2f4d6b8c2a4e7f9b1e3c7e")
    return MockConfigEntry(
        domain=entry.domain,
        title=entry.title,
        unique_id=entry.unique_id,
        version=entry.version,
        data=entry.data,
        options={**entry.options, **options},
    )


@pytest.fixture
def options() -> dict[str, Any]:
    return {}


@pytest.fixture
async def post(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    home_zone: None,
    options: dict[str, Any],
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
) -> Post:
    """Set the van up; return a poster of one fix ``km`` from the zone centre at ``s`` s."""
    freezer.move_to(T0)
    entry = _entry(**options)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()

    async def _post(km: float, s: float, accuracy: float = 10.0, **extra: Any) -> None:
        at = T0 + timedelta(seconds=s)
        freezer.move_to(at)
        lat, lon = destination_point(HOME_LAT, HOME_LON, 90.0, km * 1000)
        body = {"latitude": lat, "longitude": lon, "accuracy": accuracy, **extra}
        body["timestamp"] = at.timestamp()
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
        assert response.status == 200, await response.text()
        freezer.tick(0.5)
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done()

    return _post


def _types(events: list[Event[Any]]) -> list[tuple[str, float | None]]:
    return [(e.data["type"], e.data.get("threshold_km")) for e in events]


async def test_one_glitch_at_15_s_sampling_does_not_move_a_parked_car(
    hass: HomeAssistant, post: Post
) -> None:
    """Defect 1: the gate allowed 70 m/s x 15 s, so a 1 km glitch left and re-entered home."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i in range(40):
        await post(0.02, i * 15.0)
    assert hass.states.get("device_tracker.van").state == "home"
    await post(1.0, 40 * 15.0)  # one glitch, 1 km out
    for i in range(41, 60):
        await post(0.02, i * 15.0)
    assert _types(events) == []
    assert hass.states.get("device_tracker.van").state == "home"


async def test_a_real_departure_at_15_s_sampling_is_still_seen(
    hass: HomeAssistant, post: Post
) -> None:
    """The tighter gate still lets a car leave: it accelerates, it does not teleport."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i in range(20):
        await post(0.02, i * 15.0)
    km = 0.02
    for i in range(20, 60):
        km += 0.2  # 48 km/h, 200 m per post
        await post(km, i * 15.0, speed=48.0, heading=90.0)
    assert _types(events)[:3] == [("left_home", None), ("leaving", 1.0), ("leaving", 5.0)]


@pytest.mark.parametrize("options", [{CONF_THRESHOLDS: [round(0.1 * k, 1) for k in range(1, 60)]}])
async def test_dense_thresholds_each_fire_once_and_direction_follows(
    hass: HomeAssistant, post: Post
) -> None:
    """Defect 13: thresholds closer than the hysteresis kept the car 'stationary'."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    km = 6.5
    directions = set()
    for i in range(400):
        km -= 50 / 3.6 / 1000  # 50 km/h, 1 Hz, speed reported
        if km < 0.3:
            break
        await post(km, float(i), speed=50.0, heading=270.0)
        directions.add(hass.states.get("sensor.van_direction_of_travel").state)
    crossed = [t for kind, t in _types(events) if kind == "approaching"]
    assert sorted(crossed, reverse=True) == crossed
    assert len(crossed) == len(set(crossed))
    assert 5.9 in crossed
    assert "towards" in directions
    assert hass.states.get("sensor.van_time_to_home").state not in ("unknown", "unavailable")
