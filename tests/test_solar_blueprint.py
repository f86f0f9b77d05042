"""The "Charge from solar surplus" blueprint, run on synthetic 1-minute days."""

from __future__ import annotations

from datetime import datetime, timedelta

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .conftest import vehicle_device_id
from .solar import MINUTES, Minute, RunFigures, run_day, solar_day, use_solar_blueprint, write_grid

SWITCH = "switch.su7_charging_enabled"


async def _start(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    entry: MockConfigEntry,
    **inputs: object,
) -> None:
    # Sunrise, on a whole minute (the blueprint follows the surplus every minute).
    sunrise = datetime(2026, 6, 21, 6, 0, tzinfo=dt_util.get_default_time_zone())
    freezer.move_to(sunrise)
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    write_grid(hass, 400)
    await use_solar_blueprint(hass, vehicle_device_id(hass, entry), **inputs)


def _advance(hass: HomeAssistant, freezer: FrozenDateTimeFactory):  # type: ignore[no-untyped-def]
    async def advance(seconds: int) -> None:
        freezer.tick(timedelta(seconds=seconds))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    return advance


async def _day(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, entry: MockConfigEntry, *, cloudy: bool
) -> RunFigures:
    await _start(hass, freezer, entry)
    # The car sits plugged in, not charging, as the blueprint finds it in the morning.
    await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    figures = await run_day(hass, _advance(hass, freezer), solar_day(cloudy=cloudy))
    await _stop(hass)
    return figures


async def _stop(hass: HomeAssistant) -> None:
    """Detach the blueprint's time triggers, which would outlive the test."""
    await hass.services.async_call("automation", "turn_off", {"entity_id": "all"}, blocking=True)


AT_HOME_20 = pytest.mark.parametrize(
    ("start_distance", "entry_options"), [(0.0, {"battery_start": 20.0})]
)


@AT_HOME_20
@pytest.mark.usefixtures("home_zone")
async def test_a_sunny_day_charges_almost_all_from_the_sun(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    figures = await _day(hass, freezer, mock_config_entry, cloudy=False)
    assert figures.charged_kwh > 25
    assert figures.grid_share <= 0.05, figures.as_dict()
    assert figures.lowest_current_while_charging is not None
    assert figures.lowest_current_while_charging >= 6


@AT_HOME_20
@pytest.mark.usefixtures("home_zone")
async def test_a_cloudy_day_does_not_wear_the_contactor(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    figures = await _day(hass, freezer, mock_config_entry, cloudy=True)
    mean, busiest = figures.toggles_per_hour()
    assert busiest <= 6, figures.as_dict()
    assert figures.charged_kwh > 5
    assert figures.lowest_current_while_charging is not None
    assert figures.lowest_current_while_charging >= 6
    assert mean <= 6


@pytest.mark.parametrize(("start_distance", "entry_options"), [(8.0, {"battery_start": 20.0})])
@pytest.mark.usefixtures("home_zone")
async def test_never_charges_away_or_unplugged(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    """8 km from home, no cable: a big surplus and a minimum level change nothing."""
    await _start(hass, freezer, mock_config_entry, min_charge_level=50)
    await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    sunny_noon = [Minute(solar=9000, load=400)] * 60
    figures = await run_day(hass, _advance(hass, freezer), sunny_noon)
    await _stop(hass)
    assert figures.toggles == []
    assert figures.charged_kwh == 0
    assert hass.states.get(SWITCH).state == "off"  # type: ignore[union-attr]
    assert len(sunny_noon) < MINUTES


@AT_HOME_20
@pytest.mark.usefixtures("home_zone")
async def test_below_the_minimum_level_it_charges_at_full_current(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, mock_config_entry: MockConfigEntry
) -> None:
    await _start(hass, freezer, mock_config_entry, min_charge_level=30)
    await hass.services.async_call("switch", "turn_off", {"entity_id": SWITCH}, blocking=True)
    night = [Minute(solar=0, load=400)] * 3
    await run_day(hass, _advance(hass, freezer), night)
    await _stop(hass)
    assert hass.states.get(SWITCH).state == "on"  # type: ignore[union-attr]
    assert hass.states.get("number.su7_charging_current").state == "16"  # type: ignore[union-attr]
