"""The departures part of the save file: a restart keeps what is sound, with one warning."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.departures.engine import DepartureEngine
from custom_components.car_bridge.departures.model import Departure
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .test_storage import SOUND, _envelope, _our_warnings, _setup, _write

TZ = ZoneInfo("Europe/Amsterdam")
FIRST = date(2026, 9, 7)  # a Monday
MONDAY = FIRST + timedelta(weeks=4)
SENSOR = "sensor.su7_next_departure"


@pytest.fixture
def hass_storage() -> dict[str, Any]:
    """Use real storage files instead of phcc's in-memory mock."""
    return {}


def learned() -> dict[str, Any]:
    """Four weeks of weekday departures at 07:30, as the engine saves them."""
    engine = DepartureEngine(TZ)
    engine.learn_history(
        [
            Departure(at=datetime.combine(day, time(7, 30), tzinfo=TZ), trip_min=600.0)
            for i in range(28)
            if (day := FIRST + timedelta(days=i)).weekday() < 5
        ],
        FIRST,
    )
    return engine.as_dict()


async def start(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry, part: Any
) -> None:
    await hass.config.async_update(time_zone="Europe/Amsterdam")
    freezer.move_to(datetime.combine(MONDAY, time(5), tzinfo=TZ))
    _write(hass, entry, _envelope({**SOUND, "departures": part}))
    await _setup(hass, entry)


@pytest.mark.usefixtures("home_zone")
async def test_a_sound_model_is_restored_without_warning(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    await start(hass, freezer, mock_config_entry, learned())
    assert _our_warnings(caplog) == []
    departure = dt_util.parse_datetime(hass.states.get(SENSOR).state)
    assert departure == datetime.combine(MONDAY, time(7, 30), tzinfo=TZ)


@pytest.mark.usefixtures("home_zone")
async def test_one_bad_departure_is_dropped_alone(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    part = learned()
    part["departures"][2] = ["not a time", None, None]
    part["fired"] = "everything"
    await start(hass, freezer, mock_config_entry, part)
    (warning,) = _our_warnings(caplog)
    assert "departures.departures" in warning
    assert "departures.fired" in warning
    # Nineteen sound departures still make Monday's prediction.
    assert hass.states.get(SENSOR).attributes["departures"] >= 3
    assert dt_util.parse_datetime(hass.states.get(SENSOR).state) is not None


@pytest.mark.usefixtures("home_zone")
@pytest.mark.parametrize("part", ["garbage", [1, 2], {"version": 99}])
async def test_a_corrupt_model_relearns_with_one_warning(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    part: Any,
) -> None:
    await start(hass, freezer, mock_config_entry, part)
    (warning,) = _our_warnings(caplog)
    assert "departures" in warning
    assert hass.states.get(SENSOR).state == "unknown"
