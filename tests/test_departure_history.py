"""A mirror vehicle learns departures from its tracker's past in the recorder (issue 19)."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.recorder.common import (
    async_wait_recording_done,
)

from custom_components.car_bridge.approach.geo import destination_point
from custom_components.car_bridge.const import (
    COMMON_DEFAULT_OPTIONS,
    CONF_SOURCE,
    CONF_TRACKER,
    CONF_ZONE,
    DOMAIN,
    SOURCE_MIRROR,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import HOME_LAT, HOME_LON

TZ = ZoneInfo("Europe/Amsterdam")
TRACKER = "device_tracker.golf"
FIRST = date(2026, 9, 7)  # a Monday


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


def fix(hass: HomeAssistant, km: float) -> None:
    lat, lon = destination_point(HOME_LAT, HOME_LON, 0.0, km * 1000)
    state = "home" if km == 0 else "not_home"
    hass.states.async_set(
        TRACKER,
        state,
        {"latitude": lat, "longitude": lon, "gps_accuracy": 10, "source_type": "gps"},
    )


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(recorder_mock: Any, enable_custom_integrations: None) -> None:
    """Start the real SQLite recorder before Home Assistant (as test_logbook does)."""


@pytest.fixture
def entry() -> MockConfigEntry:
    return MockConfigEntry(
        domain=DOMAIN,
        title="Golf",
        unique_id="golf_history",
        version=2,
        data={CONF_SOURCE: SOURCE_MIRROR, CONF_NAME: "Golf", CONF_ZONE: "zone.home"},
        options={**COMMON_DEFAULT_OPTIONS, CONF_TRACKER: TRACKER},
    )


async def test_a_new_mirror_predicts_from_the_recorded_past(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    home_zone: None,
    entry: MockConfigEntry,
) -> None:
    await hass.config.async_update(time_zone="Europe/Amsterdam")
    # Ten days of commutes, recorded before Car Bridge knew the car.
    for i in range(10):
        day = FIRST + timedelta(days=i)
        freezer.move_to(local(day, 6))
        fix(hass, 0.0)
        await hass.async_block_till_done()
        if day.weekday() < 5:
            freezer.move_to(local(day, 7, 30 + (i % 3)))
            fix(hass, 3.0)
            await hass.async_block_till_done()
            freezer.move_to(local(day, 18))
            fix(hass, 0.0)
            await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    thursday = FIRST + timedelta(days=10)  # seven workdays at about 07:31 before it
    freezer.move_to(local(thursday, 5))
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    await async_wait_recording_done(hass)
    await hass.async_block_till_done()
    state = hass.states.get("sensor.golf_next_departure")
    assert state is not None
    departure = dt_util.parse_datetime(state.state)
    assert departure is not None
    assert abs(departure - local(thursday, 7, 31)) <= timedelta(minutes=5)
    assert state.attributes["departures"] >= 4
