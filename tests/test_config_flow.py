"""Config, reconfigure and options flows."""

from __future__ import annotations

import re
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import (
    CONF_AUTO_PLUG_IN,
    CONF_BATTERY_START,
    CONF_CRUISE_SPEED,
    CONF_GPS_NOISE,
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_SOURCE,
    CONF_START_DISTANCE,
    CONF_THRESHOLDS,
    CONF_TIME_FACTOR,
    CONF_ZONE,
    DOMAIN,
)
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers.translation import async_get_translations

from .conftest import VEHICLE_ID

pytestmark = pytest.mark.usefixtures("home_zone")

SIM_INPUT = {CONF_NAME: "SU7", CONF_ZONE: "zone.home", CONF_START_DISTANCE: 8}


async def _start(hass: HomeAssistant) -> str:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    assert result["type"] is FlowResultType.MENU
    assert result["menu_options"] == ["simulator", "mirror", "webhook"]
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "simulator"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "simulator"
    assert result["errors"] == {}
    return str(result["flow_id"])


async def test_user_flow_creates_a_working_vehicle(hass: HomeAssistant) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, SIM_INPUT)
    await hass.async_block_till_done()

    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["title"] == "SU7"
    assert result["data"] == {
        CONF_SOURCE: "simulator",
        CONF_NAME: "SU7",
        CONF_ZONE: "zone.home",
        CONF_START_DISTANCE: 8.0,
    }
    entry = result["result"]
    # A generated id, not the name: the car can be renamed and the name reused.
    assert re.fullmatch(r"[0-9a-f]{32}", entry.unique_id)
    assert entry.state is ConfigEntryState.LOADED
    assert entry.options[CONF_CRUISE_SPEED] == 50.0
    assert hass.states.get("sensor.su7_battery") is not None
    assert hass.states.get("device_tracker.su7") is not None


@pytest.mark.parametrize(
    ("user_input", "errors"),
    [
        ({CONF_NAME: "   "}, {CONF_NAME: "name_empty"}),
        ({CONF_NAME: "!!!"}, {CONF_NAME: "name_no_letters"}),
        ({CONF_NAME: "S" * 51}, {CONF_NAME: "name_too_long"}),
        ({CONF_NAME: "ǝ"}, {CONF_NAME: "name_no_entity_id"}),
        ({CONF_NAME: "ǝ ǝ"}, {CONF_NAME: "name_no_entity_id"}),
        ({CONF_ZONE: "zone.nowhere"}, {CONF_ZONE: "zone_not_found"}),
        ({CONF_START_DISTANCE: -1}, {CONF_START_DISTANCE: "out_of_range"}),
        ({CONF_START_DISTANCE: 501}, {CONF_START_DISTANCE: "out_of_range"}),
    ],
)
async def test_user_flow_field_errors_recover(
    hass: HomeAssistant, user_input: dict[str, Any], errors: dict[str, str]
) -> None:
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, {**SIM_INPUT, **user_input})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert hass.config_entries.async_entries(DOMAIN) == []

    result = await hass.config_entries.flow.async_configure(flow_id, SIM_INPUT)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_duplicate_name_is_a_field_error(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SIM_INPUT, CONF_NAME: "su7 "}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_NAME: "name_exists"}
    result = await hass.config_entries.flow.async_configure(
        flow_id, {**SIM_INPUT, CONF_NAME: "Model Y"}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


async def test_renamed_vehicle_frees_its_name(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    # Renaming "SU7" to "Family car" and adding a new "SU7" gives two vehicles.
    result = await init_integration.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Family car", CONF_ZONE: "zone.home"}
    )
    assert result["reason"] == "reconfigure_successful"
    await hass.async_block_till_done()

    flow_id = await _start(hass)
    result = await hass.config_entries.flow.async_configure(flow_id, SIM_INPUT)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    new = result["result"]
    assert new.unique_id != init_integration.unique_id
    assert new.state is ConfigEntryState.LOADED
    assert init_integration.state is ConfigEntryState.LOADED
    assert len(hass.config_entries.async_entries(DOMAIN)) == 2


async def test_reconfigure(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    entry = init_integration
    hass.states.async_set("zone.work", "0", {"latitude": 52.4, "longitude": 4.95, "radius": 50})
    other = MockConfigEntry(domain=DOMAIN, title="Taken", unique_id="simulator_taken")
    other.add_to_hass(hass)
    # a home zone chosen in the options follows the reconfigured one
    hass.config_entries.async_update_entry(entry, options={**entry.options, CONF_ZONE: "zone.home"})
    await hass.async_block_till_done()

    result = await entry.start_reconfigure_flow(hass)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "reconfigure"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "taken", CONF_ZONE: "zone.gone"}
    )
    assert result["errors"] == {CONF_NAME: "name_exists", CONF_ZONE: "zone_not_found"}
    assert entry.title == "SU7"

    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "SU7 Max", CONF_ZONE: "zone.work"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert entry.title == "SU7 Max"
    assert entry.data[CONF_ZONE] == "zone.work"
    assert entry.options[CONF_ZONE] == "zone.work"
    assert entry.unique_id == VEHICLE_ID
    assert entry.state is ConfigEntryState.LOADED


async def test_reconfigure_keeps_own_name(
    hass: HomeAssistant, mock_config_entry: MockConfigEntry
) -> None:
    mock_config_entry.add_to_hass(hass)
    result = await mock_config_entry.start_reconfigure_flow(hass)
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "SU7", CONF_ZONE: "zone.home"}
    )
    await hass.async_block_till_done()  # let the reload finish before teardown
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "reconfigure_successful"
    assert CONF_ZONE not in mock_config_entry.options


OPTIONS = {
    CONF_CRUISE_SPEED: 80,
    CONF_TIME_FACTOR: 10,
    CONF_GPS_NOISE: 20,
    CONF_OUTSIDE_TEMPERATURE: 3,
    CONF_BATTERY_START: 60,
    CONF_AUTO_PLUG_IN: False,
    CONF_THRESHOLDS: ["10", "2,5", "2.5"],
    CONF_HYSTERESIS: 150,
    CONF_MAX_ACCURACY: 100,
    CONF_ZONE: "zone.home",
}


async def test_options_flow(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "simulator"
    result = await hass.config_entries.options.async_configure(result["flow_id"], OPTIONS)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options == {
        CONF_CRUISE_SPEED: 80.0,
        CONF_TIME_FACTOR: 10.0,
        CONF_GPS_NOISE: 20.0,
        CONF_OUTSIDE_TEMPERATURE: 3.0,
        CONF_BATTERY_START: 60.0,
        CONF_AUTO_PLUG_IN: False,
        "routine": "none",  # not in the form submitted: the default
        CONF_THRESHOLDS: [10.0, 2.5],
        CONF_HYSTERESIS: 150.0,
        CONF_MAX_ACCURACY: 100.0,
        CONF_ZONE: "zone.home",
    }
    # the reloaded vehicle runs with the new options
    assert init_integration.state is ConfigEntryState.LOADED
    assert hass.states.get("sensor.su7_battery").state == "60.0"
    assert hass.states.get("sensor.su7_outside_temperature").state == "3.0"


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({CONF_CRUISE_SPEED: 0}, {CONF_CRUISE_SPEED: "out_of_range"}),
        ({CONF_TIME_FACTOR: 0.5}, {CONF_TIME_FACTOR: "out_of_range"}),
        ({CONF_GPS_NOISE: -1}, {CONF_GPS_NOISE: "out_of_range"}),
        ({CONF_OUTSIDE_TEMPERATURE: 80}, {CONF_OUTSIDE_TEMPERATURE: "out_of_range"}),
        ({CONF_BATTERY_START: 101}, {CONF_BATTERY_START: "out_of_range"}),
        ({CONF_HYSTERESIS: 1}, {CONF_HYSTERESIS: "out_of_range"}),
        ({CONF_MAX_ACCURACY: 9000}, {CONF_MAX_ACCURACY: "out_of_range"}),
        ({CONF_THRESHOLDS: ["five"]}, {CONF_THRESHOLDS: "invalid_thresholds"}),
        ({CONF_THRESHOLDS: []}, {CONF_THRESHOLDS: "invalid_thresholds"}),
        ({CONF_THRESHOLDS: ["0"]}, {CONF_THRESHOLDS: "invalid_thresholds"}),
        ({CONF_THRESHOLDS: ["", " "]}, {CONF_THRESHOLDS: "invalid_thresholds"}),
        ({CONF_ZONE: "zone.gone"}, {CONF_ZONE: "zone_not_found"}),
        # options checked against each other, each on the field to change
        (
            {CONF_THRESHOLDS: ["0.1"], CONF_HYSTERESIS: 5000},
            {CONF_HYSTERESIS: "hysteresis_too_large"},
        ),
        (
            {CONF_THRESHOLDS: ["5", "0.2"], CONF_HYSTERESIS: 200},
            {CONF_HYSTERESIS: "hysteresis_too_large"},
        ),
        (
            {CONF_GPS_NOISE: 100, CONF_MAX_ACCURACY: 100},
            {CONF_MAX_ACCURACY: "accuracy_below_noise"},
        ),
        # one reason per field: a value out of range is not also compared
        ({CONF_THRESHOLDS: ["0.1"], CONF_HYSTERESIS: 9000}, {CONF_HYSTERESIS: "out_of_range"}),
        (
            {CONF_GPS_NOISE: 600, CONF_MAX_ACCURACY: 100},
            {CONF_GPS_NOISE: "out_of_range"},
        ),
    ],
)
async def test_options_flow_errors_recover(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    change: dict[str, Any],
    errors: dict[str, str],
) -> None:
    before = dict(init_integration.options)
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**OPTIONS, **change}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    assert dict(init_integration.options) == before

    result = await hass.config_entries.options.async_configure(result["flow_id"], OPTIONS)
    assert result["type"] is FlowResultType.CREATE_ENTRY


async def test_names_that_fit_are_accepted(hass: HomeAssistant) -> None:
    """50 characters, non-Latin script HA can transliterate, a digit after "ǝ"."""
    for name in ("S" * 50, "小米汽车", "ǝ1"):
        flow_id = await _start(hass)
        result = await hass.config_entries.flow.async_configure(
            flow_id, {**SIM_INPUT, CONF_NAME: name}
        )
        assert result["type"] is FlowResultType.CREATE_ENTRY, name


async def test_options_errors_say_why(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**OPTIONS, CONF_THRESHOLDS: ["0.1", "3"], CONF_HYSTERESIS: 5000, CONF_GPS_NOISE: 100},
    )
    assert result["errors"] == {
        CONF_HYSTERESIS: "hysteresis_too_large",
        CONF_MAX_ACCURACY: "accuracy_below_noise",
    }
    assert result["description_placeholders"] == {"smallest_threshold": "100"}
    texts = await async_get_translations(hass, "en", "options", [DOMAIN])
    error = f"component.{DOMAIN}.options.error."
    assert texts[error + "hysteresis_too_large"].format(**result["description_placeholders"]) == (
        "The hysteresis must be smaller than the smallest distance threshold (100 m): otherwise "
        "the car counts as at home, and that threshold stays armed, until it is a whole "
        "hysteresis away."
    )
    assert "1.5 times the noise" in texts[error + "accuracy_below_noise"]


async def test_options_form_reads_naturally(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    fields = {
        str(key): selector.serialize()["selector"]
        for key, selector in result["data_schema"].schema.items()
    }
    # one number box per distance, each with its unit; letters are refused as typed
    assert fields[CONF_THRESHOLDS]["text"] == {
        "multiple": True,
        "multiline": False,
        "type": "number",
        "suffix": "km",
    }
    # a ratio has no unit (a "×" looked like a clear button)
    assert "unit_of_measurement" not in fields[CONF_TIME_FACTOR]["number"]
    assert fields[CONF_HYSTERESIS]["number"]["unit_of_measurement"] == "m"


async def test_options_flow_partial_input_keeps_the_rest(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_TIME_FACTOR: 60, CONF_THRESHOLDS: [3, "0.5"]}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert init_integration.options[CONF_TIME_FACTOR] == 60.0
    assert init_integration.options[CONF_THRESHOLDS] == [3.0, 0.5]
    assert init_integration.options[CONF_CRUISE_SPEED] == 50.0
    assert init_integration.options[CONF_AUTO_PLUG_IN] is True
    assert init_integration.options[CONF_ZONE] == "zone.home"
