"""The simulated car's weekly routine through Home Assistant: learned at once, then lived."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.car_bridge.const import EVENT_CAR_BRIDGE
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .test_options_live import set_options

TZ = ZoneInfo("Europe/Amsterdam")
MONDAY = date(2026, 9, 14)
SENSOR = "sensor.su7_next_departure"


@pytest.fixture
def start_distance() -> float:
    return 0.0


@pytest.fixture
def entry_options() -> dict[str, Any]:
    return {"routine": "weekday_commute", "time_factor": 60.0}


@pytest.fixture
async def at_six(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    await hass.config.async_update(time_zone="Europe/Amsterdam")
    freezer.move_to(datetime.combine(MONDAY, time(6, 0), tzinfo=TZ))


def _types(events: list[Any]) -> list[str]:
    return [e.data["type"] for e in events if e.data["type"] in ("left_home", "arrived_home")]


async def _monday_morning(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, tick: Callable[..., Any]
) -> list[str]:
    """Live Monday 07:30-08:10 (the commute's window); return what the car did."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    freezer.move_to(datetime.combine(MONDAY, time(7, 30), tzinfo=TZ))
    await tick(40 * 60, until=lambda: bool(_types(events)))
    return _types(events)


@pytest.mark.usefixtures("at_six")
async def test_a_new_commuting_car_predicts_at_once_then_leaves_and_comes_back(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    tick: Callable[..., Any],
) -> None:
    state = hass.states.get(SENSOR)
    expected = dt_util.parse_datetime(state.state)
    assert expected is not None, state
    local = expected.astimezone(TZ)
    assert local.date() == MONDAY
    assert abs((local.hour * 60 + local.minute) - (7 * 60 + 45)) <= 12
    assert state.attributes["departures"] >= 4
    # The usual trip is the whole time away, as a lived day records it.
    assert state.attributes["usual_trip_km"] == 24.0
    assert 9 * 60 <= state.attributes["usual_trip"] <= 10.5 * 60

    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    assert await _monday_morning(hass, freezer, tick) == ["left_home"]
    left = dt_util.now().astimezone(TZ)
    assert time(7, 36) <= left.time() <= time(7, 56)
    # 12 km at 50 km/h, 60 times faster: parked at work within a minute.
    await tick(120, until=lambda: hass.states.get("sensor.su7_speed").state == "0.0")
    assert 11 <= float(hass.states.get("sensor.su7_distance_to_home").state) <= 13

    freezer.move_to(datetime.combine(MONDAY, time(17, 0), tzinfo=TZ))
    await tick(40 * 60, until=lambda: "arrived_home" in _types(events))
    assert _types(events) == ["left_home", "arrived_home"]
    # The day lived teaches the same kind of trip as the weeks it had lived.
    usual = hass.states.get(SENSOR).attributes
    assert 9 * 60 <= usual["usual_trip"] <= 10.5 * 60
    assert 20 <= usual["usual_trip_km"] <= 28
    # Tuesday's commute is next.
    tomorrow = dt_util.parse_datetime(hass.states.get(SENSOR).state).astimezone(TZ)
    assert tomorrow.date() == MONDAY + timedelta(days=1)


@pytest.mark.usefixtures("at_six")
@pytest.mark.parametrize("entry_options", [{"routine": "none"}])
async def test_without_a_routine_nothing_is_learned_or_driven(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    tick: Callable[..., Any],
) -> None:
    assert hass.states.get(SENSOR).state == "unknown"
    assert await _monday_morning(hass, freezer, tick) == []


@pytest.mark.usefixtures("at_six")
async def test_the_routine_switched_off_live_stays_home(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    freezer: FrozenDateTimeFactory,
    tick: Callable[..., Any],
) -> None:
    await set_options(hass, init_integration, routine="none")
    assert await _monday_morning(hass, freezer, tick) == []


@pytest.mark.usefixtures("at_six")
@pytest.mark.parametrize("entry_options", [{"routine": "none"}])
async def test_the_routine_switched_on_for_a_new_car_brings_its_past(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert hass.states.get(SENSOR).state == "unknown"
    await set_options(hass, init_integration, routine="weekday_commute")
    state = hass.states.get(SENSOR)
    expected = dt_util.parse_datetime(state.state)
    assert expected is not None, state
    assert expected.astimezone(TZ).date() == MONDAY
    assert state.attributes["departures"] >= 4
    # Switched off and on again, it learns nothing twice.
    learned = state.attributes["departures"]
    await set_options(hass, init_integration, routine="none")
    await set_options(hass, init_integration, routine="weekday_commute")
    assert hass.states.get(SENSOR).attributes["departures"] == learned
