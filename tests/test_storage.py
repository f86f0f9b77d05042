"""The save file: whatever it holds, the vehicle loads with sane values and one warning.

These tests use real files in the test's config directory (not the mocked
storage), so Home Assistant's own handling of unreadable files takes part.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import logging
import math
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    Fix,
    Home,
)
from custom_components.car_bridge.const import DOMAIN
from custom_components.car_bridge.storage import STORAGE_VERSION
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from .conftest import HOME_LAT, HOME_LON

SOUND_VEHICLE: dict[str, Any] = {
    "latitude": HOME_LAT + 0.03,
    "longitude": HOME_LON,
    "speed": 0.0,
    "heading": 90.0,
    "destination": None,
    "energy_wh": 50_500.0,
    "odometer_m": 1_234_500.0,
    "cabin": 18.0,
    "climate_on": False,
    "climate_target": 21.0,
    "charging_enabled": True,
    "plugged_in": False,
    "charge_limit": 90,
    "locked": False,
    "consumption_wh_per_km": 150.0,
}
SOUND: dict[str, Any] = {
    "vehicle": SOUND_VEHICLE,
    "approach": None,
    "home": {"latitude": HOME_LAT, "longitude": HOME_LON, "radius": 100.0},
    "battery_start": 80.0,
}


@pytest.fixture
def hass_storage() -> dict[str, Any]:
    """Use real storage files instead of phcc's in-memory mock."""
    return {}


def _envelope(data: Any, version: Any = STORAGE_VERSION) -> dict[str, Any]:
    return {"version": version, "minor_version": 1, "key": "k", "data": data}


def _vehicle(**changes: Any) -> dict[str, Any]:
    return _envelope({**SOUND, "vehicle": {**SOUND_VEHICLE, **changes}})


def _write(hass: HomeAssistant, entry: MockConfigEntry, content: Any) -> Path:
    path = Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(content if isinstance(content, str) else json.dumps(content))
    return path


async def _setup(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    assert entry.state is ConfigEntryState.LOADED


def _our_warnings(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name.startswith("custom_components.car_bridge") and r.levelno >= logging.WARNING
    ]


def _number(hass: HomeAssistant, entity_id: str) -> float:
    value = float(hass.states.get(entity_id).state)
    assert math.isfinite(value), entity_id
    return value


def _assert_sane(hass: HomeAssistant) -> None:
    assert 0 <= _number(hass, "sensor.su7_battery") <= 100
    assert _number(hass, "sensor.su7_range") >= 0
    assert _number(hass, "sensor.su7_odometer") >= 0
    assert _number(hass, "sensor.su7_speed") == 0
    assert 0 <= _number(hass, "sensor.su7_distance_to_home") < 50
    assert 50 <= _number(hass, "number.su7_charge_limit") <= 100
    tracker = hass.states.get("device_tracker.su7")
    assert -90 <= tracker.attributes["latitude"] <= 90
    assert -180 <= tracker.attributes["longitude"] <= 180


@pytest.mark.parametrize(
    ("content", "discarded"),
    [
        ([1, 2], "the whole file"),
        ("null", "the whole file"),
        ("42", "the whole file"),
        ('"text"', "the whole file"),
        ({"data": SOUND}, "the whole file"),
        (_envelope(SOUND, version="1"), "the whole file"),
        (_envelope(SOUND, version=None), "the whole file"),
        (_envelope(SOUND, version=STORAGE_VERSION + 1), "the whole file"),
        ({"version": STORAGE_VERSION}, "the whole file"),
        (_envelope([1, 2]), "the whole file"),
        (_envelope([1, 2], version=1), "the whole file"),
        (_envelope("vehicle"), "the whole file"),
        (_envelope({**SOUND, "vehicle": [1, 2]}), "vehicle"),
        (_envelope({**SOUND, "vehicle": "parked"}), "vehicle"),
        (_envelope({**SOUND, "vehicle": 3}), "vehicle"),
        (_envelope({**SOUND, "vehicle": True}), "vehicle"),
        (_vehicle(consumption_wh_per_km=0), "vehicle.consumption"),
        (_vehicle(consumption_wh_per_km="inf"), "vehicle.consumption"),
        (_vehicle(latitude="nan"), "vehicle.position"),
        (_vehicle(latitude=91.0), "vehicle.position"),
        (_vehicle(longitude=None), "vehicle.position"),
        (_vehicle(energy_wh="nan"), "vehicle.battery"),
        (_vehicle(energy_wh=-50_000.0), "vehicle.battery"),
        (_vehicle(energy_wh=1e12), "vehicle.battery"),
        (_vehicle(odometer_m=-5_000_000.0), "vehicle.odometer"),
        (_vehicle(odometer_m=1e308), "vehicle.odometer"),
        (_vehicle(charge_limit=5000), "vehicle.charge_limit"),
        (_vehicle(charge_limit=5), "vehicle.charge_limit"),
        (_vehicle(speed=1_000_000.0), "vehicle.speed"),
        (_vehicle(destination="home"), "vehicle.destination"),
        (_vehicle(locked="no"), "vehicle.locked"),
        (_vehicle(climate_target=1e308), "vehicle.climate_target"),
        (_envelope({**SOUND, "home": [1, 2, 3]}), "home"),
        (_envelope({**SOUND, "home": {"latitude": "nan"}}), "home"),
        (_envelope({**SOUND, "battery_start": "inf"}), "battery_start"),
        (_envelope({**SOUND, "approach": [1]}), "approach"),
        (_envelope({**SOUND, "approach": {"latitude": 1}}), "approach"),
    ],
)
@pytest.mark.usefixtures("home_zone")
async def test_damaged_file_loads_sane_with_one_warning(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    content: Any,
    discarded: str,
) -> None:
    _write(hass, mock_config_entry, content)
    await _setup(hass, mock_config_entry)
    _assert_sane(hass)
    warnings = _our_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert discarded in warnings[0]
    if discarded.startswith("vehicle.") and discarded != "vehicle.odometer":
        # the sound values of the file are kept
        assert hass.states.get("sensor.su7_odometer").state == "1234.5"
    if discarded == "vehicle.position":
        # a car whose position is lost starts where a new one would
        assert _number(hass, "sensor.su7_distance_to_home") == pytest.approx(7.9, abs=0.05)


async def test_unreadable_file_is_kept_aside(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """Truncated JSON: HA moves it aside and raises a repair; the car starts afresh."""
    path = _write(hass, mock_config_entry, json.dumps(_vehicle())[:-40])
    await _setup(hass, mock_config_entry)
    _assert_sane(hass)
    assert _number(hass, "sensor.su7_distance_to_home") == pytest.approx(7.9, abs=0.05)
    assert list(path.parent.glob(f"{path.name}.corrupt.*"))
    assert len(_our_warnings(caplog)) == 1


@pytest.mark.parametrize("version", ["1", STORAGE_VERSION + 1])
async def test_unusable_envelope_is_kept_aside_then_replaced(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    version: Any,
) -> None:
    path = _write(hass, mock_config_entry, _envelope(SOUND, version=version))
    await _setup(hass, mock_config_entry)
    aside = list(path.parent.glob(f"{path.name}.discarded.*"))
    assert len(aside) == 1
    assert json.loads(aside[0].read_text())["version"] == version
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert json.loads(path.read_text())["version"] == STORAGE_VERSION


async def test_sound_file_is_restored_without_warning(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    _write(hass, mock_config_entry, _vehicle())
    await _setup(hass, mock_config_entry)
    assert not _our_warnings(caplog)
    assert hass.states.get("sensor.su7_battery").state == "50.0"
    assert hass.states.get("sensor.su7_odometer").state == "1234.5"
    assert hass.states.get("number.su7_charge_limit").state == "90"
    assert hass.states.get("lock.su7_doors").state == "unlocked"
    assert _number(hass, "sensor.su7_distance_to_home") == pytest.approx(3.24, abs=0.05)


@pytest.mark.parametrize("entry_options", [{"zone": "zone.gone"}])
async def test_version_1_file_is_migrated(
    hass: HomeAssistant,
    home_zone: None,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A 1.x file kept home as a list; it still gives the last known home."""
    far_home = [HOME_LAT + 0.5, HOME_LON, 100.0]
    path = _write(hass, mock_config_entry, _envelope({**SOUND, "home": far_home}, version=1))
    await _setup(hass, mock_config_entry)
    assert not _our_warnings(caplog)
    assert hass.states.get("sensor.su7_odometer").state == "1234.5"
    # 0.47° of latitude from the saved home, not from HA's own location
    assert _number(hass, "sensor.su7_distance_to_home") > 40
    migrated = json.loads(path.read_text())
    assert migrated["version"] == STORAGE_VERSION
    assert migrated["data"]["home"] == {
        "latitude": far_home[0],
        "longitude": far_home[1],
        "radius": far_home[2],
    }


def _approach_save(*, towards: bool = True) -> dict[str, Any]:
    """A sound engine save of a car heading home, 3.2 km out (where SOUND's car is)."""
    engine = ApproachEngine(ApproachConfig(), Home(HOME_LAT, HOME_LON, 100.0))
    now = datetime.now(UTC) - timedelta(seconds=60)
    for i in range(60):
        lat = HOME_LAT + 0.035 - (i * 0.0001 if towards else 0)
        engine.update(Fix(latitude=lat, longitude=HOME_LON, accuracy=5.0), now)
        now += timedelta(seconds=1)
    saved = engine.as_dict()
    assert saved is not None
    return json.loads(json.dumps(saved))


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ({"speed": "fast"}, "approach speed"),
        ({"pending": [{"latitude": 1}]}, "approach pending"),
        ({"still": [0]}, "approach still"),
        ({"crossings": {"5.0": "yes"}}, "approach crossings 5.0"),
    ],
)
@pytest.mark.usefixtures("home_zone")
async def test_one_bad_part_of_the_approach_save_is_named_and_the_rest_kept(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    damage: dict[str, Any],
    named: str,
) -> None:
    approach = {**_approach_save(), **damage}
    _write(hass, mock_config_entry, _envelope({**SOUND, "approach": approach}))
    await _setup(hass, mock_config_entry)
    _assert_sane(hass)
    (warning,) = _our_warnings(caplog)
    assert named in warning
    assert "approach," not in f"{warning},"  # not the whole approach state
    # The saved direction survives (towards: it was heading home).
    assert hass.states.get("sensor.su7_direction_of_travel").state == "towards"


@pytest.mark.parametrize(
    ("damage", "named"),
    [
        ({"time_to_home_min": 10**18}, "approach state time_to_home_min"),
        ({"home": [HOME_LAT, HOME_LON, 1e300]}, "approach home"),
        ({"home": [500.0, HOME_LON, 100.0]}, "approach home"),
        ({"home": [HOME_LAT, HOME_LON, -5.0]}, "approach home"),
    ],
)
@pytest.mark.usefixtures("home_zone")
async def test_a_saved_approach_value_beyond_its_physical_range_is_discarded_alone(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    damage: dict[str, Any],
    named: str,
) -> None:
    """A saved time to home of 10^18 min crashed the sensor at setup; any home size was kept."""
    approach = _approach_save()
    if "time_to_home_min" in damage:
        approach["state"] = {**approach["state"], **damage}
    else:
        approach = {**approach, **damage}
    _write(hass, mock_config_entry, _envelope({**SOUND, "approach": approach}))
    await _setup(hass, mock_config_entry)
    _assert_sane(hass)
    (warning,) = _our_warnings(caplog)
    assert named in warning
    assert not [r for r in caplog.records if r.levelno >= logging.ERROR]


@pytest.mark.parametrize("part", ["state", "last"])
@pytest.mark.usefixtures("home_zone")
async def test_a_saved_negative_zero_coordinate_shows_as_zero(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry, part: str
) -> None:
    """A hand-edited -0.0 longitude was shown on the tracker as -0.0."""
    approach = _approach_save()
    approach["state"] = {**approach["state"], "longitude": -0.0}
    approach[part] = {**approach[part], "longitude": -0.0}
    _write(hass, mock_config_entry, _envelope({**SOUND, "approach": approach}))
    await _setup(hass, mock_config_entry)
    longitude = hass.states.get("device_tracker.su7").attributes["longitude"]
    assert math.copysign(1.0, longitude) > 0


@pytest.mark.parametrize(
    ("data", "said"),
    [
        (None, "its data is null"),
        ([SOUND], "a list, not an object"),
        (42, "a number, not an object"),
        ("vehicle", "a string, not an object"),
    ],
)
@pytest.mark.usefixtures("home_zone")
async def test_a_file_whose_data_is_not_an_object_is_moved_aside_never_overwritten(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    data: Any,
    said: str,
) -> None:
    """A list may hold a sound save: it is kept beside the new file, and the warning says so."""
    path = _write(hass, mock_config_entry, _envelope(data))
    original = path.read_text()
    await _setup(hass, mock_config_entry)
    _assert_sane(hass)
    warnings = _our_warnings(caplog)
    assert len(warnings) == 1, warnings
    assert said in warnings[0]
    assert ".corrupt" not in warnings[0]  # HA did not move it: Car Bridge did
    aside = list(path.parent.glob(f"{path.name}.discarded.*"))
    assert len(aside) == 1
    assert aside[0].name in warnings[0]
    assert aside[0].read_text() == original
    assert await hass.config_entries.async_unload(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    assert json.loads(path.read_text())["data"]["vehicle"]
    assert aside[0].read_text() == original


@pytest.mark.parametrize("latitude", [0.0, -0.0, HOME_LAT - 10])
def test_the_engine_never_saves_a_time_to_home_average_its_own_check_refuses(
    latitude: float,
) -> None:
    """A saved last fix far away made a closing speed beyond any car, saved and then refused."""
    saved = _approach_save()
    saved["last"] = {**saved["last"], "latitude": latitude}
    engine = ApproachEngine(ApproachConfig(), Home(HOME_LAT, HOME_LON, 100.0))
    engine.restore(saved)
    now = datetime.fromisoformat(saved["last"]["time"])
    for i in range(1, 4):  # the jump is confirmed by the second fix, and saved at once
        lat = HOME_LAT + 0.03 - i * 0.0001
        engine.update(
            Fix(latitude=lat, longitude=HOME_LON, accuracy=5.0), now + timedelta(seconds=10 * i)
        )
    again = ApproachEngine(ApproachConfig(), Home(HOME_LAT, HOME_LON, 100.0))
    assert again.restore(json.loads(json.dumps(engine.as_dict()))) == []
