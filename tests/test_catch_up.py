"""A stalled host does not make the car leap: one tick catches up a bounded amount."""

from __future__ import annotations

from datetime import timedelta

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.car_bridge.vehicle.simulator import MAX_STEPS_PER_TICK
from homeassistant.core import HomeAssistant

from .conftest import send_destination

CRUISE_KM_PER_S = 50 / 3600


@pytest.mark.parametrize("start_distance", [400.0])
@pytest.mark.parametrize("entry_options", [{"time_factor": 3600.0}])
async def test_an_hour_long_stall_at_time_factor_3600(
    hass: HomeAssistant, init_integration: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    await send_destination(hass, zone="zone.home")
    freezer.tick(timedelta(seconds=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    before = float(hass.states.get("sensor.su7_odometer").state)

    freezer.tick(timedelta(hours=1))  # the host was suspended
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    leap = float(hass.states.get("sensor.su7_odometer").state) - before
    # one tick runs at most MAX_STEPS_PER_TICK ten-second steps, not 3,600 hours
    assert 0 < leap <= MAX_STEPS_PER_TICK * 10 * CRUISE_KM_PER_S + 0.2  # display rounding
