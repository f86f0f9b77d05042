"""Fair comparison: core proximity and a Car Bridge mirror vehicle watch the same tracker."""

from __future__ import annotations

import time
from typing import Any

from custom_components.car_bridge.vehicle.model import Position
from homeassistant.core import HomeAssistant

from .common import T0, Recorder, add_mirror, add_proximity, fix_sequence


async def bench_fair(hass: HomeAssistant, rec: Recorder) -> dict[str, Any]:
    """Core proximity and a Car Bridge mirror vehicle watch the same trackers' writes.

    Writes and events: both watch ``device_tracker.fair_shared``. CPU: each
    fix is written, in turn, to a tracker nobody watches (the baseline), one
    only proximity watches and one only a mirror vehicle watches, so each
    system's cost is its own, measured on the same writes in the same run.
    """
    drive, parked = fix_sequence()
    shared, alone_prox, alone_cb, unwatched = (
        "device_tracker.fair_shared",
        "device_tracker.fair_prox",
        "device_tracker.fair_cb",
        "device_tracker.fair_unwatched",
    )
    for tracker in (shared, alone_prox, alone_cb, unwatched):
        hass.states.async_set(tracker, "not_home", {})
    await add_proximity(hass, shared)
    await add_proximity(hass, alone_prox)
    await add_mirror(hass, "Fairshared", shared)
    await add_mirror(hass, "Faircb", alone_cb)
    events: list[str] = []
    hass.bus.async_listen(
        "car_bridge_event",
        lambda e: events.append(e.data["type"]) if e.data["vehicle"] == "Fairshared" else None,
    )
    clock = T0.timestamp() + 86_400  # after the other sections' simulated time

    def write(entity_id: str, p: Position, at: float) -> None:
        attrs = {"latitude": p.latitude, "longitude": p.longitude, "gps_accuracy": p.accuracy}
        # The fix time is the write's timestamp, as a phone or car integration gives it.
        hass.states.async_set(entity_id, "not_home", attrs, timestamp=at)

    async def timed(entity_id: str, p: Position, at: float) -> int:
        cpu = time.process_time_ns()
        write(entity_id, p, at)
        await hass.async_block_till_done()
        return time.process_time_ns() - cpu

    results: dict[str, Any] = {}
    phases = (("drive_home_sigma25", drive, 1), ("parked_5km_ring_sigma30", parked, 200))
    for phase, fixes, warm_up in phases:
        for p in fixes[:warm_up]:
            clock += 1
            for tracker in (shared, alone_prox, alone_cb, unwatched):
                write(tracker, p, clock)
            await hass.async_block_till_done()
        measured = fixes[warm_up:]
        cpu = {"base": 0, "prox": 0, "cb": 0}
        rec.reset()
        events.clear()
        for p in measured:
            clock += 1
            cpu["base"] += await timed(unwatched, p, clock)
            cpu["prox"] += await timed(alone_prox, p, clock)
            cpu["cb"] += await timed(alone_cb, p, clock)
            write(shared, p, clock)
            await hass.async_block_till_done()
        n = len(measured)
        prox_net = max(1, cpu["prox"] - cpu["base"])
        cb_net = max(1, cpu["cb"] - cpu["base"])
        results[phase] = {
            "fixes": n,
            "warm_up_fixes_not_measured": warm_up,
            "baseline_cpu_us_per_write": round(cpu["base"] / n / 1000, 1),
            "proximity": {
                "cpu_us_per_fix_net": round(prox_net / n / 1000, 1),
                "state_writes_per_fix": round(
                    rec.total(lambda e: e.startswith("sensor.fair_shared_")) / n, 3
                ),
            },
            "car_bridge_mirror": {
                "cpu_us_per_fix_net": round(cb_net / n / 1000, 1),
                "state_writes_per_fix": round(
                    rec.total(lambda e: e.split(".")[1].startswith("fairshared")) / n, 3
                ),
                "events": dict(sorted({t: events.count(t) for t in set(events)}.items())),
            },
            "cpu_ratio_car_bridge_over_proximity": round(cb_net / prox_net, 3),
        }
    return results
