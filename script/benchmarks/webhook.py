"""Webhook: posts over loopback HTTP, flooded and at the senders' real cadence.

The flood (eight concurrent posters, round robin over 1 and 20 vehicles)
measures throughput; there the 10/s coalescing holds most posts back on
purpose, so its latency is not what a user sees. The cadence figure is:
each vehicle posts once a second, as OsmAnd, Traccar Client or ABRP senders
do, with the vehicles' phases spread over the second, for 1, 20 and 100
vehicles; the senders run in a process of their own (as remote senders would,
they take no time from Home Assistant's event loop), and the latency is from
just before the request is sent to the vehicle's odometer state being
written. Goal: p99 under 20 ms.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ProcessPoolExecutor
import gc
import multiprocessing
import os
import time
from typing import Any

import aiohttp
from aiohttp.test_utils import TestClient, TestServer, unused_port
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import COMMON_DEFAULT_OPTIONS, WEBHOOK_DEFAULT_OPTIONS
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

from .common import HOME, percentiles


async def bench_webhook(hass: HomeAssistant, seconds: float = 3.0) -> dict[str, Any]:
    """Sustained posts per second over loopback HTTP, and latency to the state written."""
    await _setup_http(hass)
    client = TestClient(TestServer(hass.http.app))
    await client.start_server()
    try:
        return {
            f"{count}_vehicles": await _webhook_run(hass, client, count, seconds)
            for count in (1, 20)
        }
    finally:
        await client.close()


async def _setup_http(hass: HomeAssistant) -> None:
    if "http" in hass.config.components:
        return
    http = {"server_host": ["127.0.0.1"], "server_port": unused_port()}
    assert await async_setup_component(hass, "http", {"http": http})
    assert await async_setup_component(hass, "webhook", {})  # its view, before the server starts


#: Vehicles, and seconds each of them posts once a second (about 300+ samples
#: a run, but a single vehicle's p99 is its worst of 60).
CADENCE_RUNS = ((1, 60), (20, 15), (100, 10))


async def bench_webhook_cadence(
    hass: HomeAssistant, runs: tuple[tuple[int, int], ...] = CADENCE_RUNS
) -> dict[str, Any]:
    """Post to state latency at the senders' real cadence: 1 post/s per vehicle."""
    await _setup_http(hass)
    server = TestServer(hass.http.app, host="127.0.0.1")
    await server.start_server()
    # The senders run in a process of their own, as remote senders would:
    # they take neither the event loop's time nor the interpreter lock.
    senders = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
    try:
        return {
            f"{count}_vehicles": await _cadence_run(
                hass, senders, str(server.make_url("/")), count, seconds
            )
            for count, seconds in runs
        }
    finally:
        senders.shutdown()
        await server.close()


def send_at_cadence(
    base: str, hooks: list[str], seconds: int
) -> tuple[dict[tuple[int, float], float], list[int]]:
    """Post once a second per vehicle, phases spread over the second.

    Runs in the senders' process; returns when each post was sent
    (``time.monotonic``, one clock for every process) and the statuses.
    """
    sent: dict[tuple[int, float], float] = {}
    statuses: list[int] = []

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            start = time.monotonic() + 0.5

            async def vehicle(n: int, hook: str) -> None:
                for k in range(seconds):
                    at = start + k + n / len(hooks)
                    await asyncio.sleep(max(0.0, at - time.monotonic()))
                    # Driving north at about 11 m/s, 5 km out.
                    body = {
                        "latitude": HOME[0] + 0.045 - k * 0.0001,
                        "longitude": HOME[1],
                        "accuracy": 8,
                        "speed": 40,
                        "odometer": float(k + 1),
                    }
                    sent[(n, float(k + 1))] = time.monotonic()
                    async with session.post(f"{base}api/webhook/{hook}", json=body) as response:
                        await response.read()
                        statuses.append(response.status)

            await asyncio.gather(*(vehicle(n, hook) for n, hook in enumerate(hooks)))

    asyncio.run(run())
    return sent, statuses


async def _cadence_run(
    hass: HomeAssistant, senders: ProcessPoolExecutor, base: str, count: int, seconds: int
) -> dict[str, Any]:
    entries = await _add_webhook_vehicles(hass, count, prefix="Cadence")
    odometers = {f"sensor.cadence{count}x{n}_odometer": n for n in range(count)}
    arrived: dict[tuple[int, float], float] = {}

    def written(event: Event) -> None:
        vehicle, new = odometers.get(event.data["entity_id"]), event.data["new_state"]
        if vehicle is None or new is None or not new.state[:1].isdigit():
            return
        arrived.setdefault((vehicle, float(new.state)), time.monotonic())

    unsub = hass.bus.async_listen("state_changed", written)
    hooks = [entry.data["webhook_id"] for entry in entries]
    pauses: list[float] = []
    started = [0.0]

    def collected(phase: str, _info: dict[str, Any]) -> None:
        if phase == "start":
            started[0] = time.monotonic()
        else:
            pauses.append(time.monotonic() - started[0])

    gc.callbacks.append(collected)
    cpu = time.thread_time()  # the event loop's thread: what Home Assistant spent
    sent, statuses = await hass.loop.run_in_executor(senders, send_at_cadence, base, hooks, seconds)
    cpu = time.thread_time() - cpu
    gc.callbacks.remove(collected)
    await asyncio.sleep(0.2)  # a publish still pending
    await hass.async_block_till_done()
    unsub()
    for entry in entries:
        await hass.config_entries.async_unload(entry.entry_id)
    to_state = [arrived[key] - at for key, at in sent.items() if key in arrived]
    return {
        "posts": len(statuses),
        "refused": sum(status != 200 for status in statuses),
        "post_to_state_ms": percentiles(to_state, (0.5, 0.95, 0.99)),
        "samples": len(to_state),
        "posts_without_a_state_write": len(sent) - len(to_state),
        # Includes the first second, when the senders' process is still starting.
        "event_loop_cpu_ms_per_post": round(cpu / max(1, len(statuses)) * 1000, 2),
        # Garbage collection stops the loop (wall time, so it includes time
        # other processes took the CPU): the usual cause of the slowest posts.
        "gc_pauses": len(pauses),
        "worst_gc_pause_ms": round(max(pauses, default=0.0) * 1000, 1),
        # On a shared machine the slowest posts wait for a CPU: say how busy it was.
        "load_average_1min": round(os.getloadavg()[0], 2),
    }


async def _add_webhook_vehicles(
    hass: HomeAssistant, count: int, prefix: str = "Hook"
) -> list[MockConfigEntry]:
    entries = []
    for n in range(count):
        name = f"{prefix}{count}x{n}"
        entry = MockConfigEntry(
            domain="car_bridge",
            title=name,
            unique_id=f"{name}-bench",
            version=2,
            data={
                "source": "webhook",
                "name": name,
                "zone": "zone.home",
                "webhook_id": f"bench-{prefix.lower()}-{count}-{n}-{'0' * 24}",
                "local_only": False,
            },
            options={**WEBHOOK_DEFAULT_OPTIONS, **COMMON_DEFAULT_OPTIONS},
        )
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        entries.append(entry)
    await hass.async_block_till_done()
    return entries


async def _webhook_run(
    hass: HomeAssistant, client: Any, count: int, seconds: float
) -> dict[str, Any]:
    """Eight concurrent posters, round robin over ``count`` vehicles, for ``seconds``."""
    entries = await _add_webhook_vehicles(hass, count)
    odometers = {f"sensor.hook{count}x{n}_odometer": n for n in range(count)}
    sent: dict[tuple[int, float], float] = {}
    to_state: list[float] = []
    round_trip: list[float] = []
    posted = [0, 0]  # requests, accepted

    def written(event: Event) -> None:
        vehicle, new = odometers.get(event.data["entity_id"]), event.data["new_state"]
        if vehicle is None or new is None:
            return
        start = sent.pop((vehicle, float(new.state)), None) if new.state[:1].isdigit() else None
        if start is not None:
            to_state.append(time.perf_counter() - start)

    async def worker(deadline: float) -> None:
        while time.perf_counter() < deadline:
            posted[0] += 1
            n, value = posted[0] % count, float(posted[0])
            body = {"latitude": HOME[0] + 0.05, "longitude": HOME[1], "odometer": value}
            start = sent[(n, value)] = time.perf_counter()
            response = await client.post(f"/api/webhook/{entries[n].data['webhook_id']}", json=body)
            await response.read()
            round_trip.append(time.perf_counter() - start)
            posted[1] += response.status == 200

    unsub = hass.bus.async_listen("state_changed", written)
    started = time.perf_counter()
    await asyncio.gather(*(worker(started + seconds) for _ in range(8)))
    elapsed = time.perf_counter() - started
    await asyncio.sleep(0.2)  # the last coalesced publishes
    await hass.async_block_till_done()
    unsub()
    for entry in entries:
        await hass.config_entries.async_unload(entry.entry_id)
    return {
        "posts_per_s": round(posted[1] / elapsed),
        "refused": posted[0] - posted[1],
        "request_ms": percentiles(round_trip),
        "post_to_state_ms": percentiles(to_state),
        "state_writes_per_vehicle_per_s": round(len(to_state) / elapsed / count, 1),
    }
