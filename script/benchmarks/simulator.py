"""Simulator: CPU and state writes per tick, and the catch-up after a stalled host."""

from __future__ import annotations

from datetime import datetime, timedelta
import time
from typing import Any

from custom_components.car_bridge.vehicle.model import Command
from custom_components.car_bridge.vehicle.simulator import (
    MAX_STEPS_PER_TICK,
    SimulatedVehicle,
    SimulatorOptions,
)
from custom_components.car_bridge.vehicle.source import VehicleSource
from homeassistant.core import HomeAssistant
from homeassistant.util import dt as dt_util

from .common import HOME, T0, Recorder, add_car


async def _ticks(hass: HomeAssistant, source: VehicleSource, ticks: int) -> int:
    """Tick ``source`` once a second of its clock ``ticks`` times; return the CPU it took (ns).

    ``VehicleSource.tick`` is what the 1 s timer calls; calling it directly
    keeps Home Assistant's own timers (the 30 s save) on their real schedule.
    """
    now = dt_util.utcnow()
    cpu = time.process_time_ns()
    for _ in range(ticks):
        now += timedelta(seconds=1)
        source.tick(now)
        await hass.async_block_till_done()
    return time.process_time_ns() - cpu


async def bench_simulator(hass: HomeAssistant, rec: Recorder) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for label, start, action in (("driving", 8.0, True), ("parked", 0.0, False)):
        entry = await add_car(hass, f"Sim{label}", start)
        coordinator = entry.runtime_data.coordinator
        if action:
            await coordinator.async_command(
                Command.NAVIGATE, lambda s: s.async_navigate_to(HOME[0], HOME[1], "Home")
            )
        else:  # parked and finished charging, as a car sits most of the day
            await coordinator.async_command(Command.CHARGING, lambda s: s.async_set_charging(False))
        await hass.async_block_till_done()
        ticks = 580 if action else 600
        rec.reset()
        cpu = await _ticks(hass, coordinator.source, ticks)
        prefix = f"sim{label}"
        # The source alone, without Home Assistant
        sim = SimulatedVehicle(
            now=T0, home=HOME, options=SimulatorOptions(), seed=1, start_distance_km=start
        )
        if action:
            sim.navigate_to(HOME[0], HOME[1])
        pure = time.process_time_ns()
        t = T0
        for _ in range(ticks):
            t += timedelta(seconds=1)
            sim.tick(t)
        pure = time.process_time_ns() - pure
        out[label] = {
            "ticks": ticks,
            "cpu_us_per_tick_with_ha": round(cpu / ticks / 1000, 1),
            "simulator_cpu_us_per_tick": round(pure / ticks / 1000, 1),
            "state_writes_per_tick": round(
                rec.total(lambda e, p=prefix: e.split(".")[1].startswith(p)) / ticks, 3
            ),
        }
    return out


def _timed_tick(car: SimulatedVehicle, now: datetime, wall: list[float], cpu: list[float]) -> None:
    started, started_cpu = time.perf_counter(), time.thread_time()
    car.tick(now)
    wall.append((time.perf_counter() - started) * 1000)
    cpu.append((time.thread_time() - started_cpu) * 1000)


def bench_catch_up() -> dict[str, Any]:
    """Tick cost (ms) at time factor 3600 while driving, and after a one-hour stall.

    Wall-clock figures include time other processes took the CPU; CPU figures
    are what the tick itself cost the event loop's thread.
    """
    options = SimulatorOptions(time_factor=3600.0)
    car = SimulatedVehicle(now=T0, home=HOME, options=options, seed=5, start_distance_km=400)
    car.navigate_to(HOME[0], HOME[1])
    now = T0
    driving_wall: list[float] = []
    driving_cpu: list[float] = []
    for _ in range(2):  # two simulated hours: 100 km of 400
        now += timedelta(seconds=1)
        _timed_tick(car, now, driving_wall, driving_cpu)
    now += timedelta(hours=1)  # the host was suspended for an hour
    before_km = car.state.odometer
    stall_wall: list[float] = []
    stall_cpu: list[float] = []
    for _ in range(31):
        _timed_tick(car, now, stall_wall, stall_cpu)
        now += timedelta(seconds=1)
        if len(stall_wall) == 1:
            first_km = car.state.odometer - before_km
    return {
        "time_factor": 3600,
        "max_steps_per_tick": MAX_STEPS_PER_TICK,
        "worst_tick_driving_ms": {
            "wall": round(max(driving_wall), 2),
            "cpu": round(max(driving_cpu), 2),
        },
        "worst_tick_in_31_after_1h_stall_ms": {
            "wall": round(max(stall_wall), 2),
            "cpu": round(max(stall_cpu), 2),
        },
        "km_driven_by_first_tick_after_stall": round(first_km, 1),
        "km_driven_in_31_ticks_after_stall": round(car.state.odometer - before_km, 1),
    }
