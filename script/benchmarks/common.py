"""What several benchmarks share: the home, the clock, a fix sequence, counting writes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import COMMON_DEFAULT_OPTIONS, SIMULATOR_DEFAULT_OPTIONS
from custom_components.car_bridge.vehicle.model import Position
from custom_components.car_bridge.vehicle.simulator import SimulatedVehicle, SimulatorOptions
from homeassistant import loader
from homeassistant.core import Event, HomeAssistant
from homeassistant.setup import async_setup_component

HOME = (52.3676, 4.9041, 100.0)


T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)


def fix_sequence() -> tuple[list[Position], list[Position]]:
    """A drive home from 8 km with sigma 25 m, then 30 min parked on the 5 km ring."""
    car = SimulatedVehicle(
        now=T0, home=HOME, options=SimulatorOptions(gps_noise=25.0), seed=11, start_distance_km=8
    )
    drive: list[Position] = []
    car.start(lambda s: drive.append(s.position))
    car.navigate_to(HOME[0], HOME[1])
    now = T0
    while car.state.destination is not None:
        now += timedelta(seconds=1)
        car.tick(now)
    ring = SimulatedVehicle(
        now=T0, home=HOME, options=SimulatorOptions(gps_noise=30.0), seed=12, start_distance_km=5.1
    )
    parked: list[Position] = []
    ring.start(lambda s: parked.append(s.position))
    for _ in range(1800):
        now += timedelta(seconds=1)
        ring.tick(now)
    return drive, parked


class Recorder:
    """Counts state writes per entity and keeps the values of direction sensors."""

    def __init__(self, hass: HomeAssistant) -> None:
        self.writes: dict[str, int] = {}
        self.values: dict[str, list[str]] = {}
        hass.bus.async_listen("state_changed", self._on)

    def _on(self, event: Event) -> None:
        eid = event.data["entity_id"]
        self.writes[eid] = self.writes.get(eid, 0) + 1
        if "direction" in eid and event.data["new_state"] is not None:
            self.values.setdefault(eid, []).append(event.data["new_state"].state)

    def reset(self) -> None:
        self.writes, self.values = {}, {}

    def total(self, keep: Callable[[str], bool]) -> int:
        return sum(n for eid, n in self.writes.items() if keep(eid))

    def changes(self, keep: Callable[[str], bool]) -> int:
        return sum(len(v) for eid, v in self.values.items() if keep(eid))


async def setup_hass(hass: HomeAssistant) -> None:
    hass.data.pop(loader.DATA_CUSTOM_COMPONENTS, None)
    await hass.config.async_update(latitude=HOME[0], longitude=HOME[1], radius=HOME[2])
    assert await async_setup_component(hass, "zone", {})
    await hass.async_block_till_done()


async def add_car(hass: HomeAssistant, name: str, start: float, **options: Any) -> MockConfigEntry:
    entry = MockConfigEntry(
        domain="car_bridge",
        title=name,
        unique_id=f"simulator_{name.lower()}",
        version=2,
        data={"source": "simulator", "name": name, "zone": "zone.home", "start_distance": start},
        options={**SIMULATOR_DEFAULT_OPTIONS, **COMMON_DEFAULT_OPTIONS, **options},
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    return entry


async def add_proximity(hass: HomeAssistant, tracker: str) -> None:
    entry = MockConfigEntry(
        domain="proximity",
        title=tracker.split(".")[1],
        data={
            "zone": "zone.home",
            "tracked_entities": [tracker],
            "ignored_zones": [],
            "tolerance": 1,
        },
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def add_mirror(hass: HomeAssistant, name: str, tracker: str) -> None:
    entry = MockConfigEntry(
        domain="car_bridge",
        title=name,
        unique_id=tracker,
        version=2,
        data={"source": "mirror", "name": name, "zone": "zone.home", "tracker": tracker},
        options=dict(COMMON_DEFAULT_OPTIONS),
    )
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


def percentiles(
    samples: list[float], quantiles: tuple[float, ...] = (0.5, 0.99)
) -> dict[str, float | None]:
    """Return the samples' percentiles in milliseconds (``{"p50": ..., "p99": ...}``)."""
    ordered = sorted(samples)
    return {
        f"p{round(q * 100)}": (
            round(ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000, 2)
            if ordered
            else None
        )
        for q in quantiles
    }
