"""Synthetic solar days and a runner for the "Charge from solar surplus" blueprint.

Shared by ``tests/test_solar_blueprint.py`` and ``script/bench_energy.py``: a
1-minute trace of solar production and house load (a sunny and a cloudy day),
and a run of a simulated car, at home and plugged in, under the bundled
blueprint, with the grid's net power written from the trace and the car's own
charging power. The figures: the share of the charged energy that came from
the grid, switch toggles per hour, and the lowest current set while charging.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
import math
import random
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

GRID = "sensor.grid_power"
SUNRISE_H, SUNSET_H = 6.0, 20.0
MINUTES = int((SUNSET_H - SUNRISE_H) * 60)
#: The grid meter reports this often (s); the runner advances time in these steps.
STEP_S = 15


@dataclass(frozen=True, slots=True)
class Minute:
    """One minute of the trace, in W."""

    solar: float
    load: float


def solar_day(*, cloudy: bool, seed: int = 20, peak_w: float = 10_000.0) -> list[Minute]:
    """Return a day from sunrise to sunset, one sample a minute."""
    rng = random.Random(seed)
    # Appliances: (start minute after sunrise, minutes, W).
    appliances = [(90, 4, 2000), (240, 15, 2000), (375, 4, 2000), (600, 4, 2000), (720, 40, 2500)]
    cloud, left = 1.0, 0
    trace: list[Minute] = []
    for minute in range(MINUTES):
        sun = max(0.0, math.sin(math.pi * minute / MINUTES)) ** 1.3 * peak_w
        if cloudy:
            if left <= 0:
                cloud, left = rng.uniform(0.15, 1.0), rng.randint(3, 20)
            left -= 1
            sun *= cloud
        load = 350 + rng.uniform(-100, 150)
        load += sum(w for start, n, w in appliances if start <= minute < start + n)
        trace.append(Minute(solar=sun, load=load))
    return trace


@dataclass
class RunFigures:
    """What a day under the blueprint measured."""

    charged_kwh: float = 0.0
    from_grid_kwh: float = 0.0
    toggles: list[int] = field(default_factory=list)  # minute of each on/off switch
    lowest_current_while_charging: float | None = None

    @property
    def grid_share(self) -> float:
        return self.from_grid_kwh / self.charged_kwh if self.charged_kwh else 0.0

    def toggles_per_hour(self) -> tuple[float, int]:
        """Return the mean over the day and the most in any hour since sunrise."""
        hours = MINUTES / 60
        per_hour = [sum(1 for m in self.toggles if h * 60 <= m < h * 60 + 60) for h in range(14)]
        return len(self.toggles) / hours, max(per_hour, default=0)

    def as_dict(self) -> dict[str, Any]:
        mean, most = self.toggles_per_hour()
        return {
            "charged_kwh": round(self.charged_kwh, 2),
            "grid_share_percent": round(100 * self.grid_share, 2),
            "toggles_per_hour_mean": round(mean, 2),
            "toggles_in_busiest_hour": most,
            "lowest_current_while_charging_a": self.lowest_current_while_charging,
        }


async def use_solar_blueprint(hass: HomeAssistant, device_id: str, **inputs: Any) -> None:
    """Set up an automation from the bundled blueprint for ``device_id``."""
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": "car_bridge/solar_charging.yaml",
                    "input": {"vehicle": device_id, "grid_power": GRID, **inputs},
                }
            }
        },
    )
    await hass.async_block_till_done()


def write_grid(hass: HomeAssistant, watts: float) -> None:
    hass.states.async_set(
        GRID, str(round(watts)), {"unit_of_measurement": "W", "device_class": "power"}
    )


async def run_day(
    hass: HomeAssistant,
    advance: Callable[[int], Awaitable[None]],
    trace: list[Minute],
    *,
    name: str = "su7",
) -> RunFigures:
    """Run ``trace`` (one minute a sample), writing the grid every ``STEP_S`` seconds."""
    power, switch = f"sensor.{name}_charging_power", f"switch.{name}_charging_enabled"
    current, charging = f"number.{name}_charging_current", f"binary_sensor.{name}_charging"
    figures = RunFigures()
    was_on = hass.states.get(switch).state == "on"  # type: ignore[union-attr]
    for minute, sample in enumerate(trace):
        for _ in range(60 // STEP_S):
            car_w = float(hass.states.get(power).state) * 1000  # type: ignore[union-attr]
            grid_w = sample.load + car_w - sample.solar
            write_grid(hass, grid_w)
            await advance(STEP_S)
            hours = STEP_S / 3600
            figures.charged_kwh += car_w * hours / 1000
            figures.from_grid_kwh += min(car_w, max(0.0, grid_w)) * hours / 1000
            is_on = hass.states.get(switch).state == "on"  # type: ignore[union-attr]
            if is_on != was_on:
                figures.toggles.append(minute)
                was_on = is_on
            if hass.states.get(charging).state == "on":  # type: ignore[union-attr]
                amps = float(hass.states.get(current).state)  # type: ignore[union-attr]
                low = figures.lowest_current_while_charging
                figures.lowest_current_while_charging = amps if low is None else min(low, amps)
    return figures
