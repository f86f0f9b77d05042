"""Energy figures: the meter across restarts, the solar blueprint on two synthetic days.

1. Meter: 200 random restarts mid-charge (half clean, half power cuts that
   lose up to 30 s of saved state), for a source with an energy-added counter
   and one with only a charging power: the error of the total against the
   truth, and whether what is shown ever decreased.
2. Solar surplus: the bundled blueprint drives a simulated car (home, plugged
   in, 20 % at sunrise) in a real Home Assistant core through a sunny and a
   cloudy day (1-minute solar and house-load traces, tests/solar.py): the share
   of the charged energy that came from the grid, the switch toggles per hour,
   and the lowest current set while charging.

Run: script/bench energy
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import json
import random
import tempfile
from typing import Any

from freezegun import freeze_time
from pytest_homeassistant_custom_component.common import (
    async_fire_time_changed,
    async_test_home_assistant,
)

from benchmarks.common import add_car
from custom_components.car_bridge.approach.model import Home
from custom_components.car_bridge.vehicle.energy import EnergyMeter
from custom_components.car_bridge.vehicle.model import (
    ChargeState,
    Position,
    VehicleState,
)
from homeassistant import loader
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component
from tests.solar import run_day, solar_day, use_solar_blueprint

HOME = Home(52.3676, 4.9041, 100.0)
T0 = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)


def _power_at(seconds: float) -> float:
    return 11.0 if (seconds // 3600) % 2 == 0 else 7.4


def _truth_at(seconds: float) -> float:
    hours, rest = divmod(seconds, 3600)
    return sum(_power_at(h * 3600) for h in range(int(hours))) + _power_at(seconds) * rest / 3600


def bench_restarts(restarts: int = 200, seed: int = 20) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, use_counter in (("counter", True), ("power", False)):
        rng = random.Random(seed)
        meter = EnergyMeter(HOME)
        saved, saved_at, t, first, done, decreased = meter.as_dict(), 0.0, 0.0, None, 0, 0
        last_shown = 0.0
        while done < restarts:
            t += rng.uniform(5, 40)
            first = t if first is None else first
            now = T0 + timedelta(seconds=t)
            meter.update(
                VehicleState(
                    timestamp=now,
                    position=Position(latitude=HOME.latitude, longitude=HOME.longitude),
                    charge_state=ChargeState.CHARGING,
                    charging_power=_power_at(t),
                    energy_added=_truth_at(t) if use_counter else None,
                ),
                now,
            )
            shown = meter.result.total_kwh
            decreased += shown < last_shown - 1e-9
            last_shown = shown
            if t - saved_at >= 30:
                saved, saved_at = json.loads(json.dumps(meter.as_dict())), t
            if rng.random() < 0.1:
                done += 1
                if rng.random() < 0.5:
                    saved, saved_at = json.loads(json.dumps(meter.as_dict())), t
                meter = EnergyMeter(HOME)
                meter.restore(saved)
        assert first is not None
        truth = _truth_at(t) - _truth_at(first)
        out[label] = {
            "restarts": restarts,
            "hours_charged": round((t - first) / 3600, 2),
            "truth_kwh": round(truth, 3),
            "measured_kwh": round(meter.result.total_kwh, 3),
            "error_percent": round(100 * (meter.result.total_kwh - truth) / truth, 3),
            "decreases_shown": decreased,
        }
    return out


async def _solar_day(cloudy: bool) -> dict[str, Any]:
    sunrise = datetime(2026, 6, 21, 4, 0, tzinfo=UTC)
    with tempfile.TemporaryDirectory() as config_dir, freeze_time(sunrise) as frozen:
        async with async_test_home_assistant(config_dir=config_dir) as hass:
            hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
            await hass.config.async_update(
                latitude=HOME.latitude, longitude=HOME.longitude, radius=HOME.radius
            )
            assert await async_setup_component(hass, "zone", {})
            entry = await add_car(hass, "SU7", 0.0, battery_start=20.0)
            await hass.services.async_call(
                "switch", "turn_off", {"entity_id": "switch.su7_charging_enabled"}, blocking=True
            )
            device = dr.async_get(hass).async_get_device_by_identifier(
                ("car_bridge", entry.unique_id or entry.entry_id), entry.entry_id
            )
            assert device is not None

            async def advance(seconds: int) -> None:
                frozen.tick(timedelta(seconds=seconds))
                async_fire_time_changed(hass)
                await hass.async_block_till_done()

            await use_solar_blueprint(hass, device.id)
            figures = await run_day(hass, advance, solar_day(cloudy=cloudy))
            await hass.services.async_call(
                "automation", "turn_off", {"entity_id": "all"}, blocking=True
            )
            await hass.async_stop(force=True)
    return figures.as_dict()


async def bench_solar() -> dict[str, Any]:
    return {"sunny": await _solar_day(cloudy=False), "cloudy": await _solar_day(cloudy=True)}


async def bench_energy() -> dict[str, Any]:
    """Return both figure sets."""
    return {"meter_restarts": bench_restarts(), "solar_surplus": await bench_solar()}
