"""The car in the home's energy: energy charged, charge timing, evcc's status, the current."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
import random
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from custom_components.car_bridge.const import DOMAIN
from homeassistant.config_entries import SOURCE_USER
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component

from .conftest import HOME_LAT, HOME_LON

TOTAL = "sensor.su7_energy_charged"
AT_HOME = "sensor.su7_energy_charged_at_home"
CURRENT = "number.su7_charging_current"
COMPLETE_AT = "sensor.su7_charge_complete_at"
EVCC = "sensor.su7_charging_status_evcc"

#: evcc's ``vehicle/homeassistant.go`` status map (lower-cased states), as read there.
EVCC_MAP = {
    "charging": "C",
    "on": "C",
    "true": "C",
    "active": "C",
    "connected": "B",
    "ready": "B",
    "plugged": "B",
    "charging_completed": "B",
    "disconnected": "A",
    "off": "A",
    "none": "A",
    "not_plugged": "A",
}


def value(hass: HomeAssistant, entity_id: str) -> float:
    st = hass.states.get(entity_id)
    assert st is not None, entity_id
    return float(st.state)


def state(hass: HomeAssistant, entity_id: str) -> str:
    st = hass.states.get(entity_id)
    assert st is not None, entity_id
    return st.state


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 40.0})])
async def test_an_hour_at_11_kw_at_home_is_11_kwh_in_both(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    st = hass.states.get(TOTAL)
    assert st is not None
    assert st.attributes["device_class"] == "energy"
    assert st.attributes["state_class"] == "total_increasing"
    assert st.attributes["unit_of_measurement"] == "kWh"
    total, home = value(hass, TOTAL), value(hass, AT_HOME)
    await tick(1)
    assert value(hass, "sensor.su7_charging_power") == pytest.approx(11.0)
    await tick(3600)
    assert value(hass, TOTAL) - total == pytest.approx(11.0, abs=0.11)
    assert value(hass, AT_HOME) - home == pytest.approx(11.0, abs=0.11)


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 40.0})])
async def test_charging_away_from_home_adds_nothing_at_home(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(1)
    # Home moves 5 km away: the car, still on its cable, is now charging away.
    await hass.config.async_update(latitude=HOME_LAT + 0.045)
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.su7_at_home") == "off"
    total, home = value(hass, TOTAL), value(hass, AT_HOME)
    await tick(3600)
    assert value(hass, TOTAL) - total == pytest.approx(11.0, abs=0.11)
    assert value(hass, AT_HOME) == home


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 20.0})])
async def test_reloads_and_restarts_mid_charge_never_decrease(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    rng = random.Random(20)
    seen: list[float] = [value(hass, TOTAL)]
    battery = value(hass, "sensor.su7_battery")
    for _ in range(12):
        await tick(rng.randint(20, 200))
        seen.append(value(hass, TOTAL))
        assert await hass.config_entries.async_reload(init_integration.entry_id)
        await hass.async_block_till_done()
        seen.append(value(hass, TOTAL))
    assert seen == sorted(seen)
    # The counter follows the battery across every reload (101 kWh battery).
    charged = (value(hass, "sensor.su7_battery") - battery) * 1.01
    assert seen[-1] - seen[0] == pytest.approx(charged, abs=0.15)
    assert value(hass, AT_HOME) == pytest.approx(seen[-1])


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 50.0})])
async def test_charging_current_sets_the_power(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(1)
    st = hass.states.get(CURRENT)
    assert st is not None
    assert st.state == "16"
    assert (st.attributes["min"], st.attributes["max"]) == (6, 16)
    assert st.attributes["unit_of_measurement"] == "A"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": CURRENT, "value": 8}, blocking=True
    )
    assert state(hass, CURRENT) == "8"
    assert value(hass, "sensor.su7_charging_power") == pytest.approx(8 * 230 * 3 / 1000, abs=0.01)
    with pytest.raises(ServiceValidationError):
        await hass.services.async_call(
            "number", "set_value", {"entity_id": CURRENT, "value": 5}, blocking=True
        )


@pytest.mark.parametrize(("start_distance", "entry_options"), [(0.0, {"battery_start": 50.0})])
async def test_charge_complete_at_and_evcc_status(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await tick(600)
    assert state(hass, EVCC) == "charging"
    complete = datetime.fromisoformat(state(hass, COMPLETE_AT))
    # 80 % limit from about 51.8 % at 10.9 %/h: about 2 h 35 min from now.
    battery = value(hass, "sensor.su7_battery")
    hours = (80 - battery) / (11.0 / 1.01)
    expected = hass.states.get("sensor.su7_battery").last_updated.timestamp() + hours * 3600
    assert complete.timestamp() == pytest.approx(expected, abs=5 * 60)
    await hass.services.async_call(
        "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
    )
    assert state(hass, COMPLETE_AT) == "unknown"
    assert state(hass, EVCC) == "connected"
    await hass.services.async_call(
        "number", "set_value", {"entity_id": "number.su7_charge_limit", "value": 50}, blocking=True
    )
    assert state(hass, "sensor.su7_charge_state") == "complete"
    assert state(hass, EVCC) == "connected"


async def test_every_evcc_status_is_in_evccs_table(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    st = hass.states.get(EVCC)
    assert st is not None
    assert st.state == "disconnected"  # 8 km from home, no cable
    assert {EVCC_MAP[option] for option in st.attributes["options"]} == {"A", "B", "C"}


# -- a mirrored car ------------------------------------------------------------

TRACKER = "device_tracker.ev_location"
ENERGY = "sensor.ev_charge_energy_added"
POWER = "sensor.ev_charger_power"
AMPS = "input_number.ev_charging_amps"
CHARGING = "sensor.ev_charging_state"


async def _mirror(hass: HomeAssistant, **fields: Any) -> MockConfigEntry:
    hass.states.async_set(
        TRACKER,
        "home",
        {"latitude": HOME_LAT, "longitude": HOME_LON, "gps_accuracy": 5, "source_type": "gps"},
    )
    hass.states.async_set(CHARGING, "Charging")
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "mirror"}
    )
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"],
        {CONF_NAME: "EV", "zone": "zone.home", "tracker": TRACKER, "charge_state": CHARGING}
        | fields,
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry: MockConfigEntry = result["result"]
    return entry


def _energy(hass: HomeAssistant, kwh: float | str, unit: str = "kWh") -> None:
    hass.states.async_set(ENERGY, str(kwh), {"unit_of_measurement": unit, "device_class": "energy"})


@pytest.mark.usefixtures("home_zone")
async def test_a_mirrored_counter_that_dips_to_zero_gives_no_spike(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    _energy(hass, 5.0)
    hass.states.async_set(POWER, "11", {"unit_of_measurement": "kW"})
    await _mirror(hass, energy_added=ENERGY, charging_power=POWER)
    assert value(hass, "sensor.ev_energy_charged") == 0
    readings = [5.2, 5.4, 0.0, "unavailable", 5.6, 5800, 6.0]
    for reading in readings:
        freezer.tick(60)
        if reading == 5800:
            _energy(hass, 5.8e3, "Wh")  # the same counter in another unit
        else:
            _energy(hass, reading)
        await hass.async_block_till_done()
    assert value(hass, "sensor.ev_energy_charged") == pytest.approx(1.0)
    assert value(hass, "sensor.ev_energy_charged_at_home") == pytest.approx(1.0)
    assert value(hass, "sensor.ev_charging_power") == pytest.approx(11.0)


@pytest.mark.usefixtures("home_zone")
async def test_a_mirrored_power_is_integrated_while_charging(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    hass.states.async_set(POWER, "7400", {"unit_of_measurement": "W"})
    await _mirror(hass, charging_power=POWER)
    for minute in range(1, 31):
        freezer.tick(60)
        hass.states.async_set(POWER, str(7400 + minute % 2), {"unit_of_measurement": "W"})
        await hass.async_block_till_done()
    assert value(hass, "sensor.ev_energy_charged") == pytest.approx(3.7, abs=0.01)


@pytest.mark.usefixtures("home_zone")
async def test_a_mirrored_charging_current_drives_the_cars_number(hass: HomeAssistant) -> None:
    assert await async_setup_component(
        hass,
        "input_number",
        {"input_number": {"ev_charging_amps": {"min": 5, "max": 32, "step": 1, "initial": 16}}},
    )
    await hass.async_block_till_done()
    await _mirror(hass, charging_current=AMPS)
    st = hass.states.get("number.ev_charging_current")
    assert st is not None
    assert st.state == "16.0"
    assert (st.attributes["min"], st.attributes["max"]) == (5.0, 32.0)
    await hass.services.async_call(
        "number",
        "set_value",
        {"entity_id": "number.ev_charging_current", "value": 10},
        blocking=True,
    )
    await hass.async_block_till_done()
    assert state(hass, AMPS) == "10.0"
    assert state(hass, "number.ev_charging_current") == "10.0"


async def test_diagnostics_show_the_energy_meter(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_client: ClientSessionGenerator
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert result["energy"]["method"] == "counter"
    assert result["energy"]["total_kwh"] == 0
    assert result["vehicle"]["charging_current"] == 16
