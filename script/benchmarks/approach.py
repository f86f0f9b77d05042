"""Approach: one fix sequence through core proximity and through Car Bridge, same process.

Both are fed by writes to a tracker of their own, so Car Bridge's figure, like
proximity's net one, is what it costs beyond the write of its input (a mirror
vehicle: before the bench was split it was handed the fixes by a call into the
coordinator's private listener, so it did not include reading a tracker).
"""

from __future__ import annotations

from collections.abc import Callable
import time
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.vehicle.model import Position
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.setup import async_setup_component

from .common import Recorder, add_mirror, fix_sequence

CAR_TRACKER = "device_tracker.bench_car"


async def bench_approach(hass: HomeAssistant, rec: Recorder) -> dict[str, Any]:
    drive, parked = fix_sequence()
    # Core proximity, tracking a device_tracker the fixes are written to.
    prox_entry = MockConfigEntry(
        domain="proximity",
        title="home",
        data={
            "zone": "zone.home",
            "tracked_entities": ["device_tracker.bench_phone"],
            "ignored_zones": [],
            "tolerance": 1,
        },
    )
    prox_entry.add_to_hass(hass)
    hass.states.async_set("device_tracker.bench_phone", "not_home", {})
    assert await hass.config_entries.async_setup(prox_entry.entry_id)
    await hass.async_block_till_done()
    # Car Bridge: a mirror vehicle on a tracker of its own, fed the same fixes.
    hass.states.async_set(CAR_TRACKER, "not_home", {})
    await add_mirror(hass, "Bench", CAR_TRACKER)

    ents = er.async_get(hass)
    prox_ids = [e.entity_id for e in ents.entities.values() if e.platform == "proximity"]
    prox_dist = next(
        i for i in prox_ids if "bench_phone" in i and "distance" in i and "nearest" not in i
    )
    prox_dir = next(
        i for i in prox_ids if "bench_phone" in i and "direction" in i and "nearest" not in i
    )
    fired = {"proximity": 0, "car_bridge": 0}

    def counter(key: str) -> Callable[[Any], None]:
        def inc(_call: Any) -> None:
            fired[key] += 1

        return inc

    hass.services.async_register("bench", "prox", counter("proximity"))
    hass.services.async_register("bench", "cb", counter("car_bridge"))
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": [
                {
                    "triggers": [
                        {"trigger": "numeric_state", "entity_id": prox_dist, "below": 5000}
                    ],
                    "actions": [{"action": "bench.prox"}],
                },
                {
                    "triggers": [
                        {
                            "trigger": "numeric_state",
                            "entity_id": "sensor.bench_distance_to_home",
                            "below": 5,
                        }
                    ],
                    "actions": [{"action": "bench.cb"}],
                },
            ]
        },
    )
    await hass.async_block_till_done()
    # Each fix is one second after the last (the engine drops older ones).
    clock = time.time()

    async def feed_tracker(entity_id: str, fixes: list[Position]) -> int:
        cpu = time.process_time_ns()
        for p in fixes:
            attrs = {"latitude": p.latitude, "longitude": p.longitude, "gps_accuracy": p.accuracy}
            hass.states.async_set(entity_id, "not_home", attrs)
            await hass.async_block_till_done()
        return time.process_time_ns() - cpu

    async def feed_car(fixes: list[Position]) -> int:
        nonlocal clock
        cpu = time.process_time_ns()
        for p in fixes:
            clock += 1
            attrs = {"latitude": p.latitude, "longitude": p.longitude, "gps_accuracy": p.accuracy}
            hass.states.async_set(CAR_TRACKER, "not_home", attrs, timestamp=clock)
            await hass.async_block_till_done()
        return time.process_time_ns() - cpu

    results: dict[str, Any] = {}
    # The first fix of a phase moves both systems to its start. On the parked
    # trace the first 200 s are not measured either: a car that has just
    # stopped keeps its direction for 180 s before it counts as stationary.
    phases = (("drive_home_sigma25", drive, 1), ("parked_5km_ring_sigma30", parked, 200))
    for phase, fixes, warm_up in phases:
        await feed_tracker("device_tracker.bench_phone", fixes[:warm_up])
        await feed_car(fixes[:warm_up])
        fixes = fixes[warm_up:]  # noqa: PLW2901
        fired.update({"proximity": 0, "car_bridge": 0})
        # Baseline: writing the fixes to an entity nobody watches.
        baseline = await feed_tracker("device_tracker.bench_unwatched", fixes)
        rec.reset()
        prox_cpu = await feed_tracker("device_tracker.bench_phone", fixes)
        prox_writes = rec.total(lambda e: e.startswith("sensor.home_"))
        prox_dir_changes = rec.changes(lambda e: e == prox_dir)
        rec.reset()
        cb_cpu = await feed_car(fixes)
        cb_writes = rec.total(lambda e: e.split(".")[1].startswith("bench") and e != CAR_TRACKER)
        n = len(fixes)
        results[phase] = {
            "fixes": n,
            "warm_up_fixes_not_measured": warm_up,
            "proximity": {
                "cpu_us_per_fix_incl_input_write": round(prox_cpu / n / 1000, 1),
                "cpu_us_per_fix_net": round((prox_cpu - baseline) / n / 1000, 1),
                "state_writes_per_fix": round(prox_writes / n, 3),
                "direction_changes": prox_dir_changes,
                "below_5km_automation_fired": fired["proximity"],
            },
            "car_bridge": {
                "cpu_us_per_fix": round((cb_cpu - baseline) / n / 1000, 1),
                "state_writes_per_fix": round(cb_writes / n, 3),
                "direction_changes": rec.changes(lambda e: e == "sensor.bench_direction_of_travel"),
                "below_5km_automation_fired": fired["car_bridge"],
            },
            "cpu_ratio_car_bridge_over_proximity_net": round(
                (cb_cpu - baseline) / max(1, prox_cpu - baseline), 3
            ),
        }
    return results
