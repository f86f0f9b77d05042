"""Attacks on the mirror: every field of every mirrored entity, its state, attributes and unit.

One mirrored vehicle with every field; after each attack the invariants of
``conftest`` hold, and the sound value set after it is shown (a bad value
never freezes the old one).
"""

from __future__ import annotations

import math
from typing import Any

import pytest

from homeassistant.core import HomeAssistant

from ..test_mirror import TRACKER, _add, _at
from .conftest import Tally, entity_problems, entry_of, log_problems, shown

pytestmark = pytest.mark.usefixtures("home_zone")

#: source entity -> (Car Bridge entity, unit, sound state that shows as a number)
NUMERIC: dict[str, tuple[str, str, float]] = {
    "sensor.tesla_battery_level": ("sensor.model_y_battery", "%", 55.0),
    "sensor.tesla_range": ("sensor.model_y_range", "km", 300.0),
    "sensor.tesla_odometer": ("sensor.model_y_odometer", "km", 12345.0),
    "sensor.tesla_inside": ("sensor.model_y_cabin_temperature", "°C", 21.0),
    "sensor.tesla_outside": ("sensor.model_y_outside_temperature", "°C", 7.0),
    "number.tesla_charge_limit": ("number.model_y_charge_limit", "%", 80.0),
}
CHARGING = "sensor.tesla_charging"
PLUG = "binary_sensor.tesla_plug"
CLIMATE = "climate.tesla_climate"
LOCK = "lock.tesla_doors"
SWITCH = "switch.tesla_charger"

#: Every kind of junk a source entity's state has been seen to hold (or could).
STATE_JUNK = [
    "nan", "NaN", "-nan", "inf", "-inf", "Infinity", "1e400", "-1e400", "1e308", "-1e308",
    "-0.0", "-0", "-5", "101", "100000000", "", " ", "unknown", "unavailable", "true",
    "false", "on", "off", "None", "null", "[1, 2]", '{"a": 1}', "0x10", "1_000", "１２",
    "٣", "😀", "x" * 255, "52,5", "5 %", "1e-320", "0.000000001",
]  # fmt: skip
#: Units a source has claimed.
UNIT_JUNK: list[Any] = [
    None, "", "miles", "KM", "mi", "m", "ft", "°F", "K", "%", "kWh", "km/h", 5, True,
    ["km"], {"unit": "km"}, "°C ", "\x00",
]  # fmt: skip
#: Attribute values: Python objects, as an integration could set them.
ATTRIBUTE_JUNK: list[Any] = [
    math.nan, math.inf, -math.inf, 1e308, -1e308, -0.0, -1, -1.0, 0, 400, 1e6, 1e7,
    "nan", "inf", "52.1", "", " ", None, True, False, [1], [52.1, 4.9], {"a": 1},
    "x" * 300, 10**400, b"52",
]  # fmt: skip


@pytest.fixture
async def full(hass: HomeAssistant) -> None:
    """A mirrored vehicle with every field, all sound."""
    _sound_tracker(hass, speed=0.0)
    for entity_id, (_, unit, value) in NUMERIC.items():
        hass.states.async_set(entity_id, str(value), {"unit_of_measurement": unit})
    hass.states.async_set(CHARGING, "Disconnected", {})
    hass.states.async_set(PLUG, "off", {"device_class": "plug"})
    hass.states.async_set(CLIMATE, "off", _climate_attributes(20.0, 18.0))
    hass.states.async_set(LOCK, "locked", {})
    hass.states.async_set(SWITCH, "off", {})
    result = await _add(
        hass,
        tracker=TRACKER,
        battery="sensor.tesla_battery_level",
        range="sensor.tesla_range",
        odometer="sensor.tesla_odometer",
        cabin_temperature="sensor.tesla_inside",
        outside_temperature="sensor.tesla_outside",
        charge_limit="number.tesla_charge_limit",
        charge_state=CHARGING,
        plugged_in=PLUG,
        climate=CLIMATE,
        lock=LOCK,
        charging_switch=SWITCH,
    )
    assert result["type"] == "create_entry", result


def _climate_attributes(target: Any, current: Any) -> dict[str, Any]:
    return {
        "hvac_modes": ["off", "heat_cool"],
        "temperature": target,
        "current_temperature": current,
        "min_temp": 15,
        "max_temp": 28,
    }


def _sound_tracker(hass: HomeAssistant, *, speed: Any, **extra: Any) -> None:
    lat, lon = _at(8.0)
    attributes = {"source_type": "gps", "latitude": lat, "longitude": lon, "gps_accuracy": 10}
    hass.states.async_set(
        TRACKER, "not_home", {**attributes, "speed": speed, "course": 90, **extra}
    )


def _close(text: str, expected: float) -> bool:
    try:
        return math.isclose(float(text), expected, abs_tol=0.051)
    except ValueError:
        return False


async def _check(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture, tally: Tally, name: str
) -> list[str]:
    await hass.async_block_till_done()
    problems = entity_problems(hass, entry_of(hass))
    problems += log_problems(caplog.records)
    caplog.clear()
    return problems


@pytest.mark.usefixtures("full")
async def test_every_numeric_source_with_every_junk_state_and_unit(
    hass: HomeAssistant, tally: Tally, caplog: pytest.LogCaptureFixture
) -> None:
    n = 0
    for source, (mine, unit, sound) in NUMERIC.items():
        for junk in STATE_JUNK:
            n += 1
            hass.states.async_set(source, junk, {"unit_of_measurement": unit})
            problems = await _check(hass, caplog, tally, source)
            # A state that is no number is shown as no number.
            if junk in ("unknown", "nan", "inf", "1e400", "", "true", "😀") and shown(
                hass, mine
            ) not in ("unknown", "unavailable"):
                problems.append(f"{mine} shows {shown(hass, mine)}")
            value = sound + n % 7
            hass.states.async_set(source, str(value), {"unit_of_measurement": unit})
            problems += await _check(hass, caplog, tally, source)
            if not _close(shown(hass, mine), value):
                problems.append(f"then {value}: {mine} frozen at {shown(hass, mine)}")
            tally.check(f"{source} state {junk[:20]!r}", problems)
        for bad_unit in UNIT_JUNK:
            n += 1
            hass.states.async_set(source, str(sound), {"unit_of_measurement": bad_unit})
            problems = await _check(hass, caplog, tally, source)
            value = sound + n % 7
            hass.states.async_set(source, str(value), {"unit_of_measurement": unit})
            problems += await _check(hass, caplog, tally, source)
            if not _close(shown(hass, mine), value):
                problems.append(f"then {value}: {mine} frozen at {shown(hass, mine)}")
            tally.check(f"{source} unit {bad_unit!r}", problems)
    tally.assert_held()


@pytest.mark.usefixtures("full")
async def test_every_other_source_with_every_junk_state(
    hass: HomeAssistant, tally: Tally, caplog: pytest.LogCaptureFixture
) -> None:
    sound = {
        CHARGING: ("Charging", "sensor.model_y_charge_state", "charging"),
        PLUG: ("on", "binary_sensor.model_y_plugged_in", "on"),
        LOCK: ("unlocked", "lock.model_y_doors", "unlocked"),
        SWITCH: ("on", "switch.model_y_charging_enabled", "on"),
        CLIMATE: ("heat_cool", "climate.model_y_cabin", "heat_cool"),
        TRACKER: ("not_home", "device_tracker.model_y", "not_home"),
    }
    for source, (good, mine, expected) in sound.items():
        attributes = dict(hass.states.get(source).attributes)
        for junk in [*STATE_JUNK, "Defrosting", "NoPower", "3.0", "14", "jammed", "open"]:
            hass.states.async_set(source, junk, attributes)
            problems = await _check(hass, caplog, tally, source)
            hass.states.async_set(source, good, attributes)
            problems += await _check(hass, caplog, tally, source)
            if shown(hass, mine) != expected:
                problems.append(f"then {good}: {mine} shows {shown(hass, mine)}")
            tally.check(f"{source} state {junk[:20]!r}", problems)
    tally.assert_held()


@pytest.mark.usefixtures("full")
async def test_every_tracker_attribute_with_every_junk(
    hass: HomeAssistant, tally: Tally, caplog: pytest.LogCaptureFixture
) -> None:
    n = 0
    for name in ("latitude", "longitude", "gps_accuracy", "speed", "course", "heading"):
        for junk in ATTRIBUTE_JUNK:
            n += 1
            _sound_tracker(hass, **{"speed": 0.0, name: junk})
            problems = await _check(hass, caplog, tally, name)
            speed = float(n % 5)
            _sound_tracker(hass, speed=speed)
            problems += await _check(hass, caplog, tally, name)
            if not _close(shown(hass, "sensor.model_y_speed"), speed):
                problems.append(f"then speed {speed}: shows {shown(hass, 'sensor.model_y_speed')}")
            tally.check(f"tracker {name}={junk!r:.20}", problems)
        # And the attribute missing altogether.
        lat, lon = _at(8.0)
        attributes = {"latitude": lat, "longitude": lon, "gps_accuracy": 10, "speed": 1.0}
        attributes.pop(name, None)
        hass.states.async_set(TRACKER, "not_home", attributes)
        tally.check(f"tracker without {name}", await _check(hass, caplog, tally, name))
    tally.assert_held()


@pytest.mark.usefixtures("full")
async def test_every_climate_attribute_with_every_junk(
    hass: HomeAssistant, tally: Tally, caplog: pytest.LogCaptureFixture
) -> None:
    for name in ("temperature", "current_temperature", "hvac_modes", "min_temp", "max_temp"):
        for junk in ATTRIBUTE_JUNK:
            attributes = {**_climate_attributes(20.0, 18.0), name: junk}
            hass.states.async_set(CLIMATE, "off", attributes)
            problems = await _check(hass, caplog, tally, name)
            hass.states.async_set(CLIMATE, "off", _climate_attributes(21.5, 19.0))
            problems += await _check(hass, caplog, tally, name)
            target = hass.states.get("climate.model_y_cabin").attributes.get("temperature")
            if target != 21.5:
                problems.append(f"then 21.5: the target shows {target}")
            tally.check(f"climate {name}={junk!r:.20}", problems)
    tally.assert_held()


@pytest.mark.usefixtures("full")
async def test_sources_removed_and_back(
    hass: HomeAssistant, tally: Tally, caplog: pytest.LogCaptureFixture
) -> None:
    """A mirrored entity that disappears from the state machine, then returns."""
    for source, (mine, unit, sound) in NUMERIC.items():
        hass.states.async_remove(source)
        problems = await _check(hass, caplog, tally, source)
        if shown(hass, mine) != "unavailable":
            problems.append(f"removed: {mine} shows {shown(hass, mine)}")
        hass.states.async_set(source, str(sound + 1), {"unit_of_measurement": unit})
        problems += await _check(hass, caplog, tally, source)
        if not _close(shown(hass, mine), sound + 1):
            problems.append(f"back: {mine} shows {shown(hass, mine)}")
        tally.check(f"{source} removed and back", problems)
    hass.states.async_remove(TRACKER)
    tally.check("tracker removed", await _check(hass, caplog, tally, TRACKER))
    _sound_tracker(hass, speed=3.0)
    problems = await _check(hass, caplog, tally, TRACKER)
    if not _close(shown(hass, "sensor.model_y_speed"), 3.0):
        problems.append(f"tracker back: speed shows {shown(hass, 'sensor.model_y_speed')}")
    tally.check("tracker back", problems)
    tally.assert_held()
