"""A vehicle mirrored from entities Home Assistant already has."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
)

from custom_components.car_bridge.approach.geo import destination_point
from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType, InvalidData
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component

from .conftest import HOME_LAT, HOME_LON

pytestmark = pytest.mark.usefixtures("home_zone")

TRACKER = "device_tracker.tesla_location"
BATTERY = "sensor.tesla_battery_level"
CHARGING = "sensor.tesla_charging"


def _at(km: float, bearing: float = 0.0) -> tuple[float, float]:
    return destination_point(HOME_LAT, HOME_LON, bearing, km * 1000 + 100 * (km > 0))


def set_tracker(
    hass: HomeAssistant, km: float | None, *, state: str = "not_home", **extra: Any
) -> None:
    """Report a fix ``km`` from the zone's edge (None: no coordinates)."""
    attributes: dict[str, Any] = {"source_type": "gps", **extra}
    if km is not None:
        lat, lon = _at(km)
        attributes |= {"latitude": lat, "longitude": lon, "gps_accuracy": 10}
    hass.states.async_set(TRACKER, state, attributes)


def set_teslamate_states(hass: HomeAssistant) -> None:
    """The entities a TeslaMate (MQTT) car brings."""
    set_tracker(hass, 8.0, speed=0)
    hass.states.async_set(BATTERY, "64", {"unit_of_measurement": "%", "device_class": "battery"})
    hass.states.async_set(CHARGING, "Disconnected", {})


async def _add(hass: HomeAssistant, **fields: Any) -> dict[str, Any]:
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mirror"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "mirror"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Model Y", "zone": "zone.home", **fields}
    )
    await hass.async_block_till_done()
    return result


@pytest.fixture
async def model_y(hass: HomeAssistant) -> MockConfigEntry:
    """A mirror vehicle from a tracker, a battery and a charging-state sensor."""
    set_teslamate_states(hass)
    result = await _add(hass, tracker=TRACKER, battery=BATTERY, charge_state=CHARGING)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: MockConfigEntry = result["result"]
    assert entry.state is ConfigEntryState.LOADED
    return entry


def state(hass: HomeAssistant, entity_id: str) -> str:
    st = hass.states.get(entity_id)
    assert st is not None, entity_id
    return st.state


async def test_only_entities_it_can_back(hass: HomeAssistant, model_y: MockConfigEntry) -> None:
    ids = {
        e.entity_id for e in er.async_entries_for_config_entry(er.async_get(hass), model_y.entry_id)
    }
    assert ids == {
        "device_tracker.model_y",
        "sensor.model_y_battery",
        "sensor.model_y_charge_state",
        "binary_sensor.model_y_charging",
        "binary_sensor.model_y_plugged_in",
        "binary_sensor.model_y_moving",
        "binary_sensor.model_y_at_home",
        "sensor.model_y_speed",
        "sensor.model_y_distance_to_home",
        "sensor.model_y_direction_of_travel",
        "sensor.model_y_time_to_home",
        "sensor.model_y_next_departure",
        "sensor.model_y_charging_status_evcc",
    }
    assert state(hass, "sensor.model_y_battery") == "64.0"
    assert state(hass, "sensor.model_y_charge_state") == "disconnected"
    assert state(hass, "binary_sensor.model_y_plugged_in") == "off"
    assert float(state(hass, "sensor.model_y_distance_to_home")) == pytest.approx(8.0, abs=0.05)
    assert model_y.unique_id == TRACKER  # not in the registry: its entity id
    device = dr.async_get(hass).async_get_device_by_identifier((DOMAIN, TRACKER), model_y.entry_id)
    assert device is not None
    assert device.model == "Mirrored vehicle"


async def test_follows_every_change_and_unknown_is_unknown(
    hass: HomeAssistant, model_y: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    hass.states.async_set(BATTERY, "63", {"unit_of_measurement": "%"})
    hass.states.async_set(CHARGING, "Charging", {})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_battery") == "63.0"
    assert state(hass, "sensor.model_y_charge_state") == "charging"
    assert state(hass, "binary_sensor.model_y_charging") == "on"

    hass.states.async_set(BATTERY, "unknown", {"unit_of_measurement": "%"})
    hass.states.async_set(CHARGING, "Defrosting", {})
    hass.states.async_set(CHARGING, "Defrosting", {"x": 1})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_battery") == "unknown"
    assert state(hass, "sensor.model_y_charge_state") == "unknown"
    assert state(hass, "binary_sensor.model_y_charging") == "unknown"
    assert caplog.text.count("'Defrosting'") == 1


async def test_unavailable_source_makes_entities_unavailable(
    hass: HomeAssistant, model_y: MockConfigEntry, caplog: pytest.LogCaptureFixture
) -> None:
    hass.states.async_set(BATTERY, "unavailable", {})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_battery") == "unavailable"
    assert state(hass, "sensor.model_y_charge_state") == "disconnected"
    hass.states.async_set(BATTERY, "unavailable", {"again": True})
    await hass.async_block_till_done()
    assert caplog.text.count("source data unavailable") == 1

    hass.states.async_set(BATTERY, "61", {"unit_of_measurement": "%"})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_battery") == "61.0"
    assert caplog.text.count("source data available again") == 1


async def test_units_are_converted(hass: HomeAssistant) -> None:
    set_teslamate_states(hass)
    hass.states.async_set("sensor.tesla_range", "100", {"unit_of_measurement": "mi"})
    hass.states.async_set("sensor.tesla_odometer", "1000", {"unit_of_measurement": "mi"})
    hass.states.async_set("sensor.tesla_inside", "68", {"unit_of_measurement": "°F"})
    hass.states.async_set("sensor.tesla_outside", "14", {"unit_of_measurement": "°C"})
    result = await _add(
        hass,
        tracker=TRACKER,
        range="sensor.tesla_range",
        odometer="sensor.tesla_odometer",
        cabin_temperature="sensor.tesla_inside",
        outside_temperature="sensor.tesla_outside",
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert float(state(hass, "sensor.model_y_range")) == pytest.approx(160.934, abs=0.001)
    assert float(state(hass, "sensor.model_y_odometer")) == pytest.approx(1609.344, abs=0.001)
    assert float(state(hass, "sensor.model_y_cabin_temperature")) == pytest.approx(20.0)
    assert float(state(hass, "sensor.model_y_outside_temperature")) == pytest.approx(14.0)
    assert hass.states.get("sensor.model_y_battery") is None


async def test_binary_sensors_make_a_charge_state(hass: HomeAssistant) -> None:
    set_tracker(hass, 8.0)
    hass.states.async_set("binary_sensor.car_plug", "off", {"device_class": "plug"})
    hass.states.async_set("binary_sensor.car_charging", "off", {})
    result = await _add(
        hass,
        tracker=TRACKER,
        plugged_in="binary_sensor.car_plug",
        charge_state="binary_sensor.car_charging",
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert state(hass, "sensor.model_y_charge_state") == "disconnected"
    hass.states.async_set("binary_sensor.car_plug", "on", {"device_class": "plug"})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_charge_state") == "plugged_in"
    hass.states.async_set("binary_sensor.car_charging", "on", {})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_charge_state") == "charging"
    assert state(hass, "binary_sensor.model_y_charging") == "on"


async def test_recorded_drive_fires_each_event_once(
    hass: HomeAssistant, model_y: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)

    async def drive(kms: list[float]) -> None:
        for km in kms:
            freezer.tick(timedelta(seconds=15))
            set_tracker(hass, km, speed=60)
            await hass.async_block_till_done()

    home_run = [8 - 0.25 * i for i in range(1, 33)]  # 7.75 … 0.0 km
    await drive(home_run)
    await drive([0.0, 0.0])
    assert state(hass, "binary_sensor.model_y_at_home") == "on"
    assert state(hass, "device_tracker.model_y") == "home"
    await drive([0.25 * i for i in range(1, 33)])
    types = [(e.data["type"], e.data.get("threshold_km")) for e in events]
    assert types == [
        ("approaching", 5.0),
        ("approaching", 1.0),
        ("arrived_home", None),
        ("left_home", None),
        ("leaving", 1.0),
        ("leaving", 5.0),
    ]

    # The tracker goes away and comes back where it was: nothing moves, nothing fires.
    before = hass.states.get("device_tracker.model_y")
    hass.states.async_set(TRACKER, "unavailable", {})
    await hass.async_block_till_done()
    assert state(hass, "device_tracker.model_y") == "unavailable"
    assert state(hass, "sensor.model_y_distance_to_home") == "unavailable"
    assert state(hass, "sensor.model_y_battery") == "64.0"
    freezer.tick(timedelta(minutes=30))
    set_tracker(hass, 8.0)
    await hass.async_block_till_done()
    after = hass.states.get("device_tracker.model_y")
    assert after.attributes["latitude"] == before.attributes["latitude"]
    assert after.state == before.state
    # A tracker state without coordinates is no fix either.
    set_tracker(hass, None, state="Work")
    await hass.async_block_till_done()
    assert (
        hass.states.get("device_tracker.model_y").attributes["latitude"]
        == (before.attributes["latitude"])
    )
    assert len(events) == 6


async def test_tracker_coming_back_far_away_fires_nothing(
    hass: HomeAssistant, model_y: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    hass.states.async_set(TRACKER, "unavailable", {})
    await hass.async_block_till_done()
    freezer.tick(timedelta(minutes=30))
    set_tracker(hass, 0.0, state="home")
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.model_y_at_home") == "on"
    assert events == []


@pytest.fixture
async def car_entities(hass: HomeAssistant) -> None:
    """A car integration's controllable entities, made of real template and helper entities."""
    assert await async_setup_component(
        hass,
        "input_boolean",
        {"input_boolean": {"car_locked": {"initial": True}, "car_charge": {"initial": False}}},
    )
    assert await async_setup_component(
        hass,
        "input_number",
        {
            "input_number": {
                "car_limit": {"min": 50, "max": 100, "step": 1, "initial": 80},
                "car_target": {"min": 5, "max": 35, "step": 0.5, "initial": 20},
            }
        },
    )
    assert await async_setup_component(
        hass, "input_text", {"input_text": {"car_hvac": {"initial": "off"}}}
    )
    toggle = "input_boolean.turn_{}"
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "lock": [
                        {
                            "name": "Tesla doors",
                            "state": "{{ is_state('input_boolean.car_locked', 'on') }}",
                            "lock": {
                                "action": toggle.format("on"),
                                "target": {"entity_id": "input_boolean.car_locked"},
                            },
                            "unlock": {
                                "action": toggle.format("off"),
                                "target": {"entity_id": "input_boolean.car_locked"},
                            },
                        }
                    ],
                    "switch": [
                        {
                            "name": "Tesla charger",
                            "state": "{{ is_state('input_boolean.car_charge', 'on') }}",
                            "turn_on": {
                                "action": toggle.format("on"),
                                "target": {"entity_id": "input_boolean.car_charge"},
                            },
                            "turn_off": {
                                "action": toggle.format("off"),
                                "target": {"entity_id": "input_boolean.car_charge"},
                            },
                        }
                    ],
                    "climate": [
                        {
                            "name": "Tesla climate",
                            "hvac_modes": "{{ ['off', 'heat_cool'] }}",
                            "hvac_mode": "{{ states('input_text.car_hvac') }}",
                            "target_temperature": "{{ states('input_number.car_target') }}",
                            "current_temperature": "{{ 17.5 }}",
                            "set_hvac_mode": {
                                "action": "input_text.set_value",
                                "target": {"entity_id": "input_text.car_hvac"},
                                "data": {"value": "{{ hvac_mode }}"},
                            },
                            "set_temperature": {
                                "action": "input_number.set_value",
                                "target": {"entity_id": "input_number.car_target"},
                                "data": {"value": "{{ temperature }}"},
                            },
                        }
                    ],
                }
            ]
        },
    )
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "tesla_navigate": {
                    "fields": {"latitude": {}, "longitude": {}, "name": {}},
                    "sequence": [
                        {
                            "event": "tesla_navigation",
                            "event_data": {
                                "latitude": "{{ latitude }}",
                                "longitude": "{{ longitude }}",
                                "name": "{{ name }}",
                            },
                        }
                    ],
                }
            }
        },
    )
    await hass.async_block_till_done()


@pytest.mark.usefixtures("car_entities")
async def test_commands_reach_the_mirrored_entities(hass: HomeAssistant) -> None:
    set_teslamate_states(hass)
    result = await _add(
        hass,
        tracker=TRACKER,
        lock="lock.tesla_doors",
        charging_switch="switch.tesla_charger",
        charge_limit="input_number.car_limit",
        climate="climate.tesla_climate",
        destination_script="script.tesla_navigate",
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert state(hass, "lock.model_y_doors") == "locked"
    assert state(hass, "number.model_y_charge_limit") == "80"
    assert state(hass, "switch.model_y_charging_enabled") == "off"
    assert state(hass, "climate.model_y_cabin") == "off"
    assert hass.states.get("climate.model_y_cabin").attributes["current_temperature"] == 17.5

    await hass.services.async_call(
        "lock", "unlock", {"entity_id": "lock.model_y_doors"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state(hass, "input_boolean.car_locked") == "off"
    assert state(hass, "lock.model_y_doors") == "unlocked"

    await hass.services.async_call(
        "switch", "turn_on", {"entity_id": "switch.model_y_charging_enabled"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state(hass, "input_boolean.car_charge") == "on"
    assert state(hass, "switch.model_y_charging_enabled") == "on"

    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.model_y_charge_limit", "value": 90},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert float(state(hass, "input_number.car_limit")) == 90
    assert state(hass, "number.model_y_charge_limit") == "90"

    await hass.services.async_call(
        "climate",
        "set_temperature",
        {"entity_id": "climate.model_y_cabin", "temperature": 22.5, "hvac_mode": "heat_cool"},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert float(state(hass, "input_number.car_target")) == 22.5
    assert state(hass, "input_text.car_hvac") == "heat_cool"
    assert state(hass, "climate.model_y_cabin") == "heat_cool"
    await hass.services.async_call(
        "climate", "turn_off", {"entity_id": "climate.model_y_cabin"}, blocking=True
    )
    await hass.async_block_till_done()
    assert state(hass, "climate.model_y_cabin") == "off"

    navigation = async_capture_events(hass, "tesla_navigation")
    await hass.services.async_call(
        DOMAIN,
        "send_destination",
        {"entity_id": "device_tracker.model_y", "zone": "zone.home"},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert len(navigation) == 1
    assert navigation[0].data["name"] == hass.states.get("zone.home").name
    assert float(navigation[0].data["latitude"]) == pytest.approx(HOME_LAT)


async def test_missing_command_is_a_translated_error(
    hass: HomeAssistant, model_y: MockConfigEntry
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN,
            "send_destination",
            {"entity_id": "device_tracker.model_y", "zone": "zone.home"},
            blocking=True,
        )
    assert err.value.translation_domain == DOMAIN
    assert err.value.translation_key == "command_not_supported"


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"tracker": "device_tracker.nowhere"}, {"tracker": "entity_not_found"}),
        ({"lock": "lock.gone"}, {"lock": "entity_not_found"}),
    ],
)
async def test_field_errors_recover(
    hass: HomeAssistant, fields: dict[str, Any], errors: dict[str, str]
) -> None:
    set_teslamate_states(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mirror"}
    )
    flow_id = result["flow_id"]
    base = {CONF_NAME: "Model Y", "zone": "zone.home", "tracker": TRACKER}
    result = await hass.config_entries.flow.async_configure(flow_id, {**base, **fields})
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == errors
    result = await hass.config_entries.flow.async_configure(flow_id, base)
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY


@pytest.mark.parametrize(
    ("fields", "field"),
    [({"tracker": BATTERY}, "tracker"), ({"battery": "light.kitchen"}, "battery")],
)
async def test_wrong_domain_is_a_field_error(
    hass: HomeAssistant, fields: dict[str, Any], field: str
) -> None:
    set_teslamate_states(hass)
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mirror"}
    )
    base = {CONF_NAME: "Model Y", "zone": "zone.home", "tracker": TRACKER}
    with pytest.raises(InvalidData) as err:
        await hass.config_entries.flow.async_configure(result["flow_id"], {**base, **fields})
    assert set(err.value.schema_errors) == {field}
    assert hass.config_entries.async_entries(DOMAIN) == []


async def test_same_tracker_twice_aborts(hass: HomeAssistant) -> None:
    registry = er.async_get(hass)
    tracker = registry.async_get_or_create(
        "device_tracker", "teslamate", "car1", suggested_object_id="tesla_location"
    )
    assert tracker.entity_id == TRACKER
    set_teslamate_states(hass)
    result = await _add(hass, tracker=TRACKER)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert result["result"].unique_id == tracker.id

    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mirror"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Other", "zone": "zone.home", "tracker": TRACKER}
    )
    assert result["type"] is FlowResultType.ABORT
    assert result["reason"] == "already_configured"


async def test_options_change_the_mirrored_entities(
    hass: HomeAssistant, model_y: MockConfigEntry
) -> None:
    hass.states.async_set("sensor.tesla_range", "300", {"unit_of_measurement": "km"})
    result = await hass.config_entries.options.async_init(model_y.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "mirror"

    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "tracker": TRACKER,
            "battery": "sensor.gone",
            "thresholds": ["3"],
            "hysteresis": 200,
            "max_accuracy": 200,
            "zone": "zone.home",
        },
    )
    assert result["errors"] == {"battery": "entity_not_found"}
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {
            "tracker": TRACKER,
            "range": "sensor.tesla_range",
            "thresholds": ["3"],
            "hysteresis": 200,
            "max_accuracy": 200,
            "zone": "zone.home",
        },
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert model_y.options["battery"] is None
    assert model_y.options["thresholds"] == [3.0]
    assert state(hass, "sensor.model_y_range") == "300.0"
    # the battery sensor is no longer backed: it is gone
    assert hass.states.get("sensor.model_y_battery") is None
    assert er.async_get(hass).async_get("sensor.model_y_battery") is None


async def test_mirror_sensor_changes_between_fixes_do_not_hold_the_drive_back(
    hass: HomeAssistant, model_y: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """A battery update is not a fix: the tracker's next fix is judged on its own time.

    A car at 120 km/h reports every 30 s; its battery sensor changes a second
    before each fix. Were the battery's update time taken for a fix at the old
    place, the next real fix would look like 1 km in one second and be held back.
    """
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    battery = 64
    for km in (7.0, 6.0, 5.0, 4.0, 3.0):
        freezer.tick(timedelta(seconds=29))
        battery -= 1
        hass.states.async_set(BATTERY, str(battery), {"unit_of_measurement": "%"})
        await hass.async_block_till_done()
        freezer.tick(timedelta(seconds=1))
        set_tracker(hass, km, speed=120)
        await hass.async_block_till_done()
        assert float(state(hass, "sensor.model_y_distance_to_home")) == pytest.approx(km, abs=0.05)
    assert [e.data["type"] for e in events] == ["approaching"]


async def test_a_tracker_changed_in_the_options_follows_the_unique_id(
    hass: HomeAssistant,
) -> None:
    """The unique id is the tracked entity's: a new tracker in the options moves it.

    Otherwise the old tracker could not be added again (it would abort as
    already configured) while the new one could be added twice.
    """
    registry = er.async_get(hass)
    first = registry.async_get_or_create(
        "device_tracker", "teslamate", "car1", suggested_object_id="tesla_location"
    )
    second = registry.async_get_or_create(
        "device_tracker", "teslamate", "car2", suggested_object_id="other_location"
    )
    set_teslamate_states(hass)
    hass.states.async_set(second.entity_id, "not_home", {"latitude": HOME_LAT, "longitude": 5.0})
    entry = (await _add(hass, tracker=TRACKER))["result"]
    options = {
        "thresholds": ["5"],
        "hysteresis": 200,
        "max_accuracy": 200,
        "zone": "zone.home",
    }

    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**options, "tracker": second.entity_id}
    )
    assert result["type"] is FlowResultType.CREATE_ENTRY
    await hass.async_block_till_done()
    assert entry.unique_id == second.id
    assert entry.state is ConfigEntryState.LOADED
    # The same entities and device, now under the new id.
    moved = registry.async_get("sensor.model_y_distance_to_home")
    assert moved is not None
    assert moved.unique_id == f"{second.id}_distance_to_home"
    assert hass.states.get("sensor.model_y_distance_to_home").state != "unavailable"
    assert (
        dr.async_get(hass).async_get_device_by_identifier((DOMAIN, second.id), entry.entry_id)
        is not None
    )

    # The first tracker is free again; the second is taken.
    other = await _add(hass, tracker=TRACKER, name="Other")
    assert other["type"] is FlowResultType.CREATE_ENTRY
    assert other["result"].unique_id == first.id
    again = await _add(hass, tracker=second.entity_id, name="Again")
    assert again["type"] is FlowResultType.ABORT
    assert again["reason"] == "already_configured"

    # Moving a vehicle onto a tracker another vehicle mirrors is a field error.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {**options, "tracker": TRACKER}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {"tracker": "tracker_in_use"}
    assert entry.unique_id == second.id


@pytest.mark.parametrize(
    ("platform", "reported", "kmh"),
    [("mobile_app", 13.9, 50.0), ("tessie", 31.0, 49.9), ("traccar", 27.0, 50.0)],
)
async def test_tracker_speed_is_read_in_its_integrations_unit(
    hass: HomeAssistant, platform: str, reported: float, kmh: float
) -> None:
    """A tracker's ``speed`` has no unit: phones say m/s, Tesla's API mph, OsmAnd knots."""
    registry = er.async_get(hass)
    tracker = registry.async_get_or_create(
        "device_tracker", platform, "car1", suggested_object_id="tesla_location"
    )
    assert tracker.entity_id == TRACKER
    set_teslamate_states(hass)
    set_tracker(hass, 8.0, speed=reported, course=180)
    result = await _add(hass, tracker=TRACKER)
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert float(state(hass, "sensor.model_y_speed")) == pytest.approx(kmh, abs=0.1)


async def test_a_silent_tracker_counts_as_stationary_when_other_values_arrive(
    hass: HomeAssistant, model_y: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Value updates are no fixes, but they still tell that time passed without a move."""
    for km in (7.0, 6.5, 6.0):
        freezer.tick(timedelta(seconds=30))
        set_tracker(hass, km, speed=60)
        await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_direction_of_travel") == "towards"
    freezer.tick(timedelta(minutes=4))
    hass.states.async_set(BATTERY, "60", {"unit_of_measurement": "%"})
    await hass.async_block_till_done()
    assert state(hass, "sensor.model_y_direction_of_travel") == "stationary"
    assert state(hass, "sensor.model_y_time_to_home") == "unknown"
    assert float(state(hass, "sensor.model_y_distance_to_home")) == pytest.approx(6.0, abs=0.05)
