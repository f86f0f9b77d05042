"""Every number from a mirrored source passes one gate: bad ones show unknown, never crash."""

from __future__ import annotations

import logging
from typing import Any

import pytest

from custom_components.car_bridge.vehicle import trust
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType

from .test_mirror import BATTERY, CHARGING, TRACKER, _add, _at, set_teslamate_states, state

pytestmark = pytest.mark.usefixtures("home_zone")

RANGE = "sensor.tesla_range"
ODOMETER = "sensor.tesla_odometer"
INSIDE = "sensor.tesla_inside"
OUTSIDE = "sensor.tesla_outside"
LIMIT = "number.tesla_charge_limit"
CLIMATE = "climate.tesla_climate"

BAD_NUMBERS = ["NaN", "nan", "inf", "-inf", "1e400", "-1e400", "Infinity", "true", "0x10", "1" * 80]
#: Each mirrored sensor, its Car Bridge entity and a sound value with its unit.
SENSORS = {
    BATTERY: ("sensor.model_y_battery", "%"),
    RANGE: ("sensor.model_y_range", "km"),
    ODOMETER: ("sensor.model_y_odometer", "km"),
    INSIDE: ("sensor.model_y_cabin_temperature", "°C"),
    OUTSIDE: ("sensor.model_y_outside_temperature", "°C"),
}


def _set_all(hass: HomeAssistant, value: str) -> None:
    for entity_id, (_, unit) in SENSORS.items():
        hass.states.async_set(entity_id, value, {"unit_of_measurement": unit})
    hass.states.async_set(LIMIT, value, {"min": 50, "max": 100})
    hass.states.async_set(
        CLIMATE,
        "off",
        {"hvac_modes": ["off", "heat_cool"], "temperature": value, "current_temperature": value},
    )


async def _add_full(hass: HomeAssistant) -> Any:
    result = await _add(
        hass,
        tracker=TRACKER,
        battery=BATTERY,
        range=RANGE,
        odometer=ODOMETER,
        cabin_temperature=INSIDE,
        outside_temperature=OUTSIDE,
        charge_limit=LIMIT,
        climate=CLIMATE,
        charge_state=CHARGING,
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    return result["result"]


@pytest.mark.parametrize("bad", BAD_NUMBERS)
async def test_non_numbers_from_a_source_show_unknown_and_never_freeze_the_old_value(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, bad: str
) -> None:
    set_teslamate_states(hass)
    _set_all(hass, "20")
    await _add_full(hass)
    assert state(hass, "sensor.model_y_battery") == "20.0"
    assert state(hass, "number.model_y_charge_limit") == "20"

    _set_all(hass, bad)
    await hass.async_block_till_done()
    for entity, _ in SENSORS.values():
        assert state(hass, entity) == "unknown", entity
    assert state(hass, "number.model_y_charge_limit") == "unknown"
    assert "Unexpected error" not in caplog.text
    assert "Traceback" not in caplog.text

    _set_all(hass, "21")
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_battery") == "21.0"


@pytest.mark.parametrize("bad", ["nan", "inf", "1e400", "-5", "1e308"])
async def test_a_vehicle_whose_source_is_bad_at_start_up_still_sets_up(
    hass: HomeAssistant, bad: str
) -> None:
    set_teslamate_states(hass)
    _set_all(hass, bad)
    entry = await _add_full(hass)
    assert entry.state is ConfigEntryState.LOADED
    assert state(hass, "sensor.model_y_battery") == "unknown"
    assert state(hass, "number.model_y_charge_limit") == "unknown"
    assert state(hass, "climate.model_y_cabin") != "unavailable"


async def test_bad_values_are_logged_once_per_kind_and_entity(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    set_teslamate_states(hass)
    await _add(hass, tracker=TRACKER, battery=BATTERY)
    caplog.set_level(logging.DEBUG)
    for _ in range(5):
        for value in ("nan", "64", "inf", "65"):
            hass.states.async_set(BATTERY, value, {"unit_of_measurement": "%"})
            await hass.async_block_till_done()
    assert caplog.text.count(f"the state of {BATTERY} is not a finite number") == 1


@pytest.mark.parametrize(
    ("entity", "unit", "shown"),
    [
        (RANGE, "miles", "sensor.model_y_range"),
        (RANGE, "KM", "sensor.model_y_range"),
        (ODOMETER, "kilometres", "sensor.model_y_odometer"),
        (OUTSIDE, "celsius", "sensor.model_y_outside_temperature"),
        (BATTERY, "kWh", "sensor.model_y_battery"),
    ],
)
async def test_an_unrecognised_unit_makes_the_value_unknown_with_one_warning(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, entity: str, unit: str, shown: str
) -> None:
    set_teslamate_states(hass)
    _set_all(hass, "20")
    await _add_full(hass)
    assert state(hass, shown) == "20.0"
    for value in ("30", "31", "32"):
        hass.states.async_set(entity, value, {"unit_of_measurement": unit})
        await hass.async_block_till_done()
    assert state(hass, shown) == "unknown"
    warnings = [
        r for r in caplog.records if r.levelno >= logging.WARNING and unit in r.getMessage()
    ]
    assert len(warnings) == 1
    assert repr(unit) in warnings[0].getMessage()


@pytest.mark.parametrize("unit", [["km"], {"unit": "km"}, 5, True])
@pytest.mark.parametrize(
    ("entity", "shown"),
    [(RANGE, "sensor.model_y_range"), (INSIDE, "sensor.model_y_cabin_temperature")],
)
async def test_a_unit_that_is_not_a_string_makes_the_value_unknown_never_a_crash(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, entity: str, unit: Any, shown: str
) -> None:
    """A list or dict as unit_of_measurement was unhashable and crashed the listener."""
    set_teslamate_states(hass)
    _set_all(hass, "20")
    await _add_full(hass)
    hass.states.async_set(entity, "30", {"unit_of_measurement": unit})
    await hass.async_block_till_done()
    assert state(hass, shown) == "unknown"
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]
    hass.states.async_set(entity, "31", {"unit_of_measurement": "km" if entity == RANGE else "°C"})
    await hass.async_block_till_done()
    assert state(hass, shown) == "31.0"


@pytest.mark.parametrize(
    ("speed", "shown"),
    [
        (-1, "unknown"),  # iOS: invalid
        ("nan", "unknown"),
        ("inf", "unknown"),
        (1e308, "unknown"),
        (-0.0, "0.0"),
        (True, "unknown"),
        ("12.5", "12.5"),
        (40, "40.0"),
    ],
)
async def test_tracker_speed_outside_reason_shows_unknown(
    hass: HomeAssistant, speed: Any, shown: str
) -> None:
    set_teslamate_states(hass)
    await _add(hass, tracker=TRACKER)
    lat, lon = _at(7.0)
    hass.states.async_set(
        TRACKER,
        "not_home",
        {"latitude": lat, "longitude": lon, "gps_accuracy": 10, "speed": speed, "course": -1},
    )
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_speed") == shown
    assert "Unexpected error" not in str(hass.states.get("sensor.model_y_speed"))


@pytest.mark.parametrize(
    "attributes",
    [
        {"latitude": "nan", "longitude": 4.9},
        {"latitude": 52.4, "longitude": "inf"},
        {"latitude": 91.0, "longitude": 4.9},
        {"latitude": True, "longitude": 4.9},
        {"latitude": 52.4, "longitude": 4.9, "gps_accuracy": "nan", "course": "inf"},
        {"latitude": 52.4, "longitude": 4.9, "gps_accuracy": -5, "course": 720},
    ],
)
async def test_tracker_attributes_that_are_not_numbers_never_crash(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, attributes: dict[str, Any]
) -> None:
    set_teslamate_states(hass)
    await _add(hass, tracker=TRACKER)
    hass.states.async_set(TRACKER, "not_home", attributes)
    await hass.async_block_till_done()
    assert state(hass, "device_tracker.model_y") != "unavailable"
    assert "Traceback" not in caplog.text


async def test_unknown_charging_strings_are_logged_once_per_entity_in_bounded_memory(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    set_teslamate_states(hass)
    await _add(hass, tracker=TRACKER, charge_state=CHARGING)
    for i in range(300):
        hass.states.async_set(CHARGING, f"Mystery{i}", {})
        await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_charge_state") == "unknown"
    assert caplog.text.count("is not one Car Bridge knows") == 1


def test_the_gate_refuses_every_kind_of_non_number() -> None:
    for raw in (float("nan"), float("inf"), -float("inf"), 10**400, True, False, None, [], {}):
        assert trust.number(raw) is None, raw
    for text in ("nan", "inf", "-inf", "1e400", "", " ", "abc"):
        assert trust.number(text, strings=True) is None, text
    assert trust.number("52.5") is None  # strings only where the caller says so
    assert trust.number(" 52.5 ", strings=True) == 52.5
    assert str(trust.number(-0.0)) == "0.0"
    assert trust.quantity(1e308, "speed") is None
    assert trust.quantity(1e308 * 1000, "odometer") is None


def test_once_is_bounded() -> None:
    once = trust.Once(limit=3)
    assert [once.first(i) for i in (1, 1, 2, 3, 4, 5)] == [True, False, True, True, False, False]
    assert len(once) == 3
