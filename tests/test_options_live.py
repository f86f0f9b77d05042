"""Options apply to a running vehicle: nothing goes unavailable, nothing is announced."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import (
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
    CONF_THRESHOLDS,
    CONF_TIME_FACTOR,
    CONF_ZONE,
    DOMAIN,
    EVENT_CAR_BRIDGE,
)
from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import CONF_NAME, STATE_UNAVAILABLE
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.helpers import entity_registry as er, issue_registry as ir

from .conftest import HOME_LAT, HOME_LON, send_destination
from .test_mirror import (  # noqa: F401 - the mirror vehicle fixture
    BATTERY,
    CHARGING,
    TRACKER,
    model_y,
)


class Recorder:
    """Every state write of the vehicle's entities and every Car Bridge event."""

    def __init__(self, hass: HomeAssistant, entry: MockConfigEntry) -> None:
        self.entity_ids = {
            e.entity_id
            for e in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id)
        }
        self.writes: list[tuple[str, str]] = []
        self.events: list[dict[str, Any]] = []

        @callback
        def on_state(event: Event[Any]) -> None:
            if event.data["entity_id"] in self.entity_ids and event.data["new_state"]:
                self.writes.append((event.data["entity_id"], event.data["new_state"].state))

        hass.bus.async_listen("state_changed", on_state)
        hass.bus.async_listen(EVENT_CAR_BRIDGE, lambda e: self.events.append(dict(e.data)))

    def clear(self) -> None:
        self.writes.clear()
        self.events.clear()


async def set_options(hass: HomeAssistant, entry: MockConfigEntry, **changes: Any) -> None:
    result = await hass.config_entries.options.async_init(entry.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], changes)
    assert result["type"] is FlowResultType.CREATE_ENTRY, result.get("errors")
    await hass.async_block_till_done()


async def test_thresholds_change_while_driving(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    seen = Recorder(hass, init_integration)
    await send_destination(hass, zone="zone.home")
    await tick(60)
    distance = float(hass.states.get("sensor.su7_distance_to_home").state)
    assert 5 < distance < 7.9  # driving, before the first threshold
    assert seen.writes  # the drive writes states...
    seen.clear()

    await set_options(
        hass,
        init_integration,
        **{CONF_THRESHOLDS: ["3", "0.5"], CONF_HYSTERESIS: 100, CONF_MAX_ACCURACY: 150},
    )
    # ...the change writes none, fires nothing and keeps the same running vehicle
    assert seen.writes == []
    assert seen.events == []
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data.coordinator is coordinator
    assert init_integration.runtime_data.engines.approach.engine.thresholds_km == [0.5, 3.0]
    assert init_integration.runtime_data.engines.approach.engine.config.hysteresis_m == 100
    assert init_integration.runtime_data.engines.approach.engine.config.max_accuracy_m == 150

    await tick(1200)
    assert not any(state == STATE_UNAVAILABLE for _, state in seen.writes)
    fired = [(e["type"], e.get("threshold_km")) for e in seen.events]
    assert fired == [("approaching", 3.0), ("approaching", 0.5), ("arrived_home", None)]


async def test_threshold_already_inside_does_not_fire(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    seen = Recorder(hass, init_integration)
    await send_destination(hass, zone="zone.home")
    await tick(150)
    distance = float(hass.states.get("sensor.su7_distance_to_home").state)
    assert 5 < distance < 6.5
    seen.clear()
    # a new 6.5 km threshold is already behind the car: it does not fire late
    await set_options(hass, init_integration, **{CONF_THRESHOLDS: ["6.5", "5"]})
    await tick(1200)
    fired = [(e["type"], e.get("threshold_km")) for e in seen.events]
    assert fired == [("approaching", 5.0), ("arrived_home", None)]


async def test_physics_apply_live(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    seen = Recorder(hass, init_integration)
    await set_options(hass, init_integration, cruise_speed=100, outside_temperature=-5)
    await tick(1)
    # only the value that changed was written
    assert seen.writes == [("sensor.su7_outside_temperature", "-5.0")]
    assert coordinator.source.options.cruise_speed == 100
    assert init_integration.runtime_data.coordinator is coordinator


@pytest.mark.parametrize("start_distance", [30.0])
async def test_time_to_home_is_in_the_cars_minutes_when_time_runs_fast(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    await set_options(hass, init_integration, **{CONF_TIME_FACTOR: 20})
    await send_destination(hass, zone="zone.home")
    readings = []
    for _ in range(2):
        await tick(30)
        distance = float(hass.states.get("sensor.su7_distance_to_home").state)
        minutes = float(hass.states.get("sensor.su7_time_to_home").state)
        readings.append(minutes)
        # the car's own minutes at 50 km/h, not the real ones (which would be 20 times fewer)
        assert minutes == pytest.approx(distance / 50 * 60, abs=2)
    # 30 real seconds at x20 are 10 minutes of driving
    assert readings[0] - readings[1] == pytest.approx(10, abs=2)


async def test_home_zone_applies_live(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    hass.states.async_set(
        "zone.work", "0", {"latitude": HOME_LAT + 0.05, "longitude": HOME_LON, "radius": 100}
    )
    seen = Recorder(hass, init_integration)
    await set_options(hass, init_integration, **{CONF_ZONE: "zone.work"})
    assert init_integration.runtime_data.coordinator is coordinator
    assert init_integration.runtime_data.engines.approach.engine.home.latitude == pytest.approx(
        HOME_LAT + 0.05
    )
    assert seen.events == []
    assert not any(state == STATE_UNAVAILABLE for _, state in seen.writes)
    # the zone is watched: removing it raises the repair issue
    hass.states.async_remove("zone.work")
    await hass.async_block_till_done()
    issues = ir.async_get(hass).issues
    assert (DOMAIN, f"home_zone_missing_{init_integration.entry_id}") in issues
    # the old zone is no longer watched
    hass.states.async_set(
        "zone.home", "0", {"latitude": HOME_LAT + 0.01, "longitude": HOME_LON, "radius": 100}
    )
    await hass.async_block_till_done()
    assert init_integration.runtime_data.engines.approach.engine.home.latitude == pytest.approx(
        HOME_LAT + 0.05
    )


async def test_options_with_a_missing_zone_raise_the_repair_issue(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    coordinator = init_integration.runtime_data.coordinator
    hass.config_entries.async_update_entry(
        init_integration, options={**init_integration.options, CONF_ZONE: "zone.nowhere"}
    )
    await hass.async_block_till_done()
    assert init_integration.runtime_data.coordinator is coordinator
    issues = ir.async_get(hass).issues
    assert (DOMAIN, f"home_zone_missing_{init_integration.entry_id}") in issues


async def test_rename_reloads(hass: HomeAssistant, init_integration: MockConfigEntry) -> None:
    coordinator = init_integration.runtime_data.coordinator
    hass.config_entries.async_update_entry(
        init_integration,
        title="SU7 Max",
        data={**init_integration.data, CONF_NAME: "SU7 Max"},
    )
    await hass.async_block_till_done()
    assert init_integration.state is ConfigEntryState.LOADED
    assert init_integration.runtime_data.coordinator is not coordinator


@pytest.mark.usefixtures("home_zone")
async def test_mirror_thresholds_apply_live_and_entity_choices_reload(
    hass: HomeAssistant,
    model_y: MockConfigEntry,  # noqa: F811 - the fixture's value
) -> None:
    coordinator = model_y.runtime_data.coordinator
    options = {
        **{k: v for k, v in model_y.options.items() if v is not None},
        "tracker": TRACKER,
        "battery": BATTERY,
        "charge_state": CHARGING,
        CONF_THRESHOLDS: ["3"],
    }
    await set_options(hass, model_y, **options)
    assert model_y.runtime_data.coordinator is coordinator
    assert model_y.runtime_data.engines.approach.engine.thresholds_km == [3.0]
    # choosing another entity to mirror needs a new source: a reload
    hass.states.async_set("sensor.tesla_range", "300", {"unit_of_measurement": "km"})
    await set_options(hass, model_y, **{**options, "range": "sensor.tesla_range"})
    assert model_y.runtime_data.coordinator is not coordinator
    assert model_y.state is ConfigEntryState.LOADED
