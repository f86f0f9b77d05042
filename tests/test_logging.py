"""The debug log a developer reads: one line per meaningful change, not per tick."""

from __future__ import annotations

from collections.abc import Callable
import logging
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from homeassistant.core import HomeAssistant

from .conftest import send_destination


@pytest.mark.parametrize("start_distance", [1.3])
async def test_debug_log_has_events_not_ticks(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    """A drive home logs its events, and no line for every update of the car."""
    caplog.set_level(logging.DEBUG, logger="custom_components.car_bridge")
    await send_destination(hass, zone="zone.home")
    await tick(300, until=lambda: hass.states.get("binary_sensor.su7_at_home").state == "on")
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"
    car_bridge = [r.getMessage() for r in caplog.records if r.name.startswith("custom_components")]
    assert not [m for m in car_bridge if "Manually updated" in m]
    assert any("arrived_home" in m for m in car_bridge)
    # Far fewer lines than updates: the drive took well over a hundred ticks.
    assert len(car_bridge) < 20, car_bridge
