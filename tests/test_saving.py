"""Saved while it changes: a crash mid-drive loses at most 30 s of the drive."""

from __future__ import annotations

from collections.abc import Callable
import copy
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import DOMAIN, SAVE_DELAY_S
from homeassistant.core import HomeAssistant

from .conftest import send_destination

#: The simulator's cruise speed (50 km/h) in km per second.
KM_PER_S = 50 / 3600
#: The odometer sensor shows 0.1 km.
ROUNDING_KM = 0.05


def _odometer(hass: HomeAssistant) -> float:
    return float(hass.states.get("sensor.su7_odometer").state)


def _saved_odometer(hass_storage: dict[str, Any], entry: MockConfigEntry) -> float | None:
    saved = hass_storage.get(f"{DOMAIN}.{entry.entry_id}")
    if saved is None:
        return None
    return float(saved["data"]["vehicle"]["odometer_m"]) / 1000


async def test_a_drive_is_saved_while_it_changes(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    hass_storage: dict[str, Any],
) -> None:
    """Every second the car changes; the file never lags by more than 30 s."""
    await send_destination(hass, zone="zone.home")
    lags = []
    for second in range(1, 181):
        await tick(1)
        saved = _saved_odometer(hass_storage, init_integration)
        if second > SAVE_DELAY_S:
            assert saved is not None, f"nothing saved after {second} s of driving"
            lags.append(_odometer(hass) - saved)
    assert max(lags) <= SAVE_DELAY_S * KM_PER_S + ROUNDING_KM
    assert min(lags) < 0.1  # and it does catch up, repeatedly
    assert hass.states.get("sensor.su7_speed").state != "0.0"


async def test_a_crash_mid_drive_resumes_from_at_most_30_s_before(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    hass_storage: dict[str, Any],
) -> None:
    key = f"{DOMAIN}.{init_integration.entry_id}"
    await send_destination(hass, zone="zone.home")
    await tick(200)
    # The power goes: what is on disk now is all that survives.
    on_disk = copy.deepcopy(hass_storage[key])
    at_crash = _odometer(hass)
    # Unloading would save the latest state, which a crash never does: put
    # the file back as it was at the crash before starting again.
    assert await hass.config_entries.async_unload(init_integration.entry_id)
    await hass.async_block_till_done()
    hass_storage[key] = on_disk
    assert await hass.config_entries.async_setup(init_integration.entry_id)
    await hass.async_block_till_done()

    resumed = _odometer(hass)
    assert at_crash - SAVE_DELAY_S * KM_PER_S - ROUNDING_KM <= resumed <= at_crash
    assert hass.states.get("sensor.su7_speed").state != "0.0"  # still on its way
    await tick(900, until=lambda: hass.states.get("binary_sensor.su7_at_home").state == "on")
    assert hass.states.get("binary_sensor.su7_at_home").state == "on"


async def test_stop_saves_the_latest_state(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    tick: Callable[..., Any],
    hass_storage: dict[str, Any],
) -> None:
    await send_destination(hass, zone="zone.home")
    await tick(45)  # the last scheduled save was about 14 s (0.19 km) ago
    await hass.async_stop()
    saved = _saved_odometer(hass_storage, init_integration)
    assert saved is not None
    assert round(saved, 1) == _odometer(hass)
