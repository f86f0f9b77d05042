"""Diagnostics redact every location."""

from __future__ import annotations

import json

from pytest_homeassistant_custom_component.common import MockConfigEntry
from pytest_homeassistant_custom_component.components.diagnostics import (
    get_diagnostics_for_config_entry,
)
from pytest_homeassistant_custom_component.typing import ClientSessionGenerator

from homeassistant.core import HomeAssistant

from .conftest import HOME_LAT


async def test_diagnostics_redact_coordinates(
    hass: HomeAssistant,
    hass_client: ClientSessionGenerator,
    init_integration: MockConfigEntry,
) -> None:
    result = await get_diagnostics_for_config_entry(hass, hass_client, init_integration)
    assert result["entry"]["title"] == "SU7"
    assert result["source"] == "SimulatedVehicle"
    assert result["vehicle"]["position"]["latitude"] == "**REDACTED**"
    assert result["vehicle"]["position"]["longitude"] == "**REDACTED**"
    assert result["approach"]["latitude"] == "**REDACTED**"
    assert result["vehicle"]["battery_level"] == 80.0
    assert result["approach"]["direction"] == "stationary"
    assert result["thresholds_km"] == [1.0, 5.0]
    text = json.dumps(result)
    assert str(HOME_LAT)[:5] not in text
