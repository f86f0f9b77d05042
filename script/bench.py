"""Benchmark Car Bridge inside a real Home Assistant core (in-process); prints JSON.

Each figure group is a module of ``script/benchmarks`` (its docstring says
what it measures and how):

1. ``simulator``: CPU and state writes per tick, driving 8 km home and parked.
2. ``approach``: one fix sequence (a drive home, sigma 25 m, then 30 minutes
   parked at the 5 km ring, sigma 30 m) through core ``proximity`` and through
   Car Bridge: CPU per fix, state writes, direction changes, and how often a
   "below 5 km" automation fires.
3. ``catch_up``: the longest tick at time factor 3600 after a one-hour stall.
4. ``fair_same_tracker``: proximity and a mirror vehicle on the same tracker.
5. ``approach_quality``: the pure engine on simulated drives.
6. ``formats``: the webhook payload parsers alone.
7. ``webhook``: a flood of posts (throughput); ``webhook_cadence``: post to
   state latency at 1 post/s per vehicle for 1, 20 and 100 vehicles.
8. ``departures``: the learned-departure model on generated 12-week histories.
9. ``replay``: real-GPS error models (drift, multipath, glitches; 1 s, 15 s
   and phone sampling; 8-hour parks) on drives and parks, Car Bridge beside
   core's zone/proximity rules; also printed as a table on stderr.

Uses no network. Run: ``script/bench`` (all), or ``script/bench webhook_cadence
formats`` for some groups.
"""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
import sys
import tempfile
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "script")]

from benchmarks import (  # noqa: E402
    approach,
    departures,
    fair,
    formats,
    quality,
    replay,
    simulator,
    webhook,
)
from benchmarks.common import Recorder, setup_hass  # noqa: E402
from pytest_homeassistant_custom_component.common import async_test_home_assistant  # noqa: E402

#: The groups that need a running Home Assistant, in the order they run.
WITH_HASS = {
    "simulator": simulator.bench_simulator,
    "approach": approach.bench_approach,
    "fair_same_tracker": fair.bench_fair,
    "webhook": lambda hass, _rec: webhook.bench_webhook(hass),
    "webhook_cadence": lambda hass, _rec: webhook.bench_webhook_cadence(hass),
}
PURE = {
    "catch_up": simulator.bench_catch_up,
    "approach_quality": quality.bench_approach_quality,
    "formats": formats.bench_formats,
    "departures": departures.bench_departures,
    "replay": replay.bench_replay,
}
#: The order the figures are printed in.
ORDER = (
    "simulator",
    "approach",
    "catch_up",
    "fair_same_tracker",
    "approach_quality",
    "formats",
    "webhook",
    "webhook_cadence",
    "departures",
    "replay",
)


async def main(groups: list[str]) -> None:
    logging.basicConfig(level=logging.ERROR)
    wanted = groups or list(ORDER)
    if unknown := set(wanted) - set(ORDER):
        sys.exit(f"unknown figure groups: {sorted(unknown)}; known: {', '.join(ORDER)}")
    figures: dict[str, Any] = {}
    if any(group in WITH_HASS for group in wanted):
        with tempfile.TemporaryDirectory() as config_dir:
            async with async_test_home_assistant(config_dir=config_dir) as hass:
                await setup_hass(hass)
                rec = Recorder(hass)
                for group, bench in WITH_HASS.items():
                    if group in wanted:
                        figures[group] = await bench(hass, rec)
                await hass.async_stop(force=True)
    for group, pure in PURE.items():
        if group in wanted:
            figures[group] = pure()
    print(json.dumps({group: figures[group] for group in ORDER if group in figures}, indent=2))
    if "replay" in figures:
        print(replay.table(figures["replay"]), file=sys.stderr)


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1:]))
