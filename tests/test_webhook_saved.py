"""A webhook vehicle's save file: whatever it holds, the vehicle loads sane with one warning.

The storage tests cover the simulator's saved state; a pushed vehicle saves
its own (the last merged telemetry), which must be checked value by value as
well, and a damaged timestamp must not make every later post "older".
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
import logging
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.car_bridge.const import (
    DOMAIN,
)
from custom_components.car_bridge.storage import STORAGE_VERSION
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import HOME_LAT, HOME_LON, webhook_vehicle_entry

WEBHOOK_ID = "fedcba9876543210fedcba9876543210"
NOW = dt_util.parse_datetime("2026-06-01T12:00:00+00:00")
assert NOW is not None

SOUND_VEHICLE: dict[str, Any] = {
    "timestamp": (NOW - timedelta(minutes=10)).isoformat(),
    "last_received": (NOW - timedelta(minutes=10)).isoformat(),
    "position": {
        "latitude": HOME_LAT + 0.03,
        "longitude": HOME_LON,
        "accuracy": 10.0,
        "heading": 180.0,
        "speed": 0.0,
    },
    "charge_state": "plugged_in",
    "battery_level": 64.0,
    "range_km": 300.0,
    "charging_power": 0.0,
    "cabin_temperature": 20.0,
    "outside_temperature": 12.0,
    "odometer": 12_345.0,
    "locked": True,
    "climate_on": False,
}


@pytest.fixture
def hass_storage() -> dict[str, Any]:
    """Use real storage files instead of phcc's in-memory mock."""
    return {}


@pytest.fixture
def entry() -> MockConfigEntry:
    return webhook_vehicle_entry("Model Y", WEBHOOK_ID, "9a3c1e9b7f4e2a8c6b4d2f0e1a3c5b0d")


def _write(hass: HomeAssistant, entry: MockConfigEntry, vehicle: Any) -> None:
    path = Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    envelope = {
        "version": STORAGE_VERSION,
        "minor_version": 1,
        "key": f"{DOMAIN}.{entry.entry_id}",
        "data": {"vehicle": vehicle, "approach": None},
    }
    path.write_text(json.dumps(envelope))


def _our_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.car_bridge") and r.levelno >= logging.WARNING
    ]


def _state(hass: HomeAssistant, entity_id: str) -> str:
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found.state


@pytest.mark.parametrize(
    ("changes", "discarded", "unknown"),
    [
        ({"battery_level": 990_099_009.0}, "vehicle.battery_level", "sensor.model_y_battery"),
        ({"battery_level": -49.5}, "vehicle.battery_level", "sensor.model_y_battery"),
        ({"battery_level": "nan"}, "vehicle.battery_level", "sensor.model_y_battery"),
        ({"range_km": "inf"}, "vehicle.range_km", "sensor.model_y_range"),
        ({"odometer": -5_000.0}, "vehicle.odometer", "sensor.model_y_odometer"),
        ({"locked": "yes"}, "vehicle.locked", None),
        ({"charge_state": "flying"}, "vehicle.charge_state", "sensor.model_y_charge_state"),
        (
            {"position": {**SOUND_VEHICLE["position"], "latitude": 999.0}},
            "vehicle.position",
            None,
        ),
        ({"position": [1, 2]}, "vehicle.position", None),
        # A naive time cannot be compared with a post's aware one.
        ({"timestamp": "2026-06-01T11:50:00"}, "vehicle.timestamp", None),
        # A time far ahead would make every later post "older" and ignored.
        ({"timestamp": "2099-01-01T00:00:00+00:00"}, "vehicle.timestamp", None),
        ({"last_received": 17}, "vehicle.last_received", None),
    ],
)
@pytest.mark.usefixtures("home_zone")
async def test_damaged_saved_telemetry_is_discarded_value_by_value(
    hass: HomeAssistant,
    *,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
    caplog: pytest.LogCaptureFixture,
    changes: dict[str, Any],
    discarded: str,
    unknown: str | None,
) -> None:
    freezer.move_to(NOW)
    _write(hass, entry, {**SOUND_VEHICLE, **changes})
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED
    warnings = _our_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert discarded in warnings[0]
    if unknown is not None:
        assert _state(hass, unknown) == STATE_UNKNOWN
    if discarded != "vehicle.odometer":
        # What could be trusted is kept.
        assert _state(hass, "sensor.model_y_odometer") == "12345.0"

    # And the vehicle takes the next post.
    client = await hass_client_no_auth()
    response = await client.post(
        f"/api/webhook/{WEBHOOK_ID}",
        json={"battery_level": 55, "timestamp": int(NOW.timestamp())},
    )
    assert response.status == 200, await response.text()
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()
    assert _state(hass, "sensor.model_y_battery") == "55.0"


@pytest.mark.usefixtures("home_zone")
async def test_sound_saved_telemetry_is_restored_without_warning(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    freezer.move_to(NOW)
    _write(hass, entry, SOUND_VEHICLE)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert not _our_warnings(caplog)
    assert _state(hass, "sensor.model_y_battery") == "64.0"
    assert _state(hass, "sensor.model_y_odometer") == "12345.0"
    assert _state(hass, "sensor.model_y_charge_state") == "plugged_in"
    assert float(_state(hass, "sensor.model_y_distance_to_home")) > 3
