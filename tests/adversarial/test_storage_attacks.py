"""Attacks on the save file: every saved key of every source kind, then files HA cannot use.

A sound save is made by a running vehicle; each attack changes one part of it
(wrong type, NaN, huge, missing, extra) and starts the vehicle from it. It
must set up with sound values, say what it discarded in one warning, and
write a file that the next start trusts entirely (nothing needs deleting).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator
import copy
from datetime import timedelta
import math
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.car_bridge.const import DOMAIN
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant

from ..conftest import send_destination, webhook_vehicle_entry
from ..test_mirror import TRACKER, _add, _at
from ..vehicle.payloads import CAR_BRIDGE_FULL, NOW
from .conftest import Tally, entity_problems, log_problems

pytestmark = pytest.mark.usefixtures("home_zone")

#: What a value in the file is replaced with.
JUNK: list[Any] = [
    None, "x", "nan", math.nan, math.inf, -math.inf, 1e308, -1e308, -1, 0, -0.0,
    10**400, True, [], {}, [1, 2, 3], {"x": 1}, "2026-13-45T99:00:00", "9" * 5000,
    "2999-01-01T00:00:00+00:00",
]  # fmt: skip
DELETE = object()
TRUSTED_WARNING = "could not be fully trusted"

type Path_ = tuple[str | int, ...]


def _paths(node: Any, prefix: Path_ = ()) -> Iterator[Path_]:
    """Every part of a saved tree, parents before children."""
    items: Any = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else ()
    )
    for key, value in items:
        yield (*prefix, key)
        yield from _paths(value, (*prefix, key))


def _mutated(data: dict[str, Any], path: Path_, junk: Any) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    parent: Any = changed
    for key in path[:-1]:
        parent = parent[key]
    if junk is DELETE:
        if isinstance(parent, dict):
            del parent[path[-1]]
        else:
            parent.pop(path[-1])
    else:
        parent[path[-1]] = copy.deepcopy(junk)
    return changed


def _near(text: str, km: float) -> bool:
    try:
        return abs(float(text) - km) < 0.3
    except ValueError:
        return False


def _envelope(entry: MockConfigEntry, data: Any) -> dict[str, Any]:
    return {"version": 2, "minor_version": 1, "key": f"{DOMAIN}.{entry.entry_id}", "data": data}


async def _restart(hass: HomeAssistant, entry: MockConfigEntry) -> None:
    await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


class Attacker:
    """Starts one vehicle from changed save files and checks what it made of them."""

    def __init__(
        self,
        hass: HomeAssistant,
        entry: MockConfigEntry,
        storage: dict[str, Any],
        caplog: pytest.LogCaptureFixture,
        tally: Tally,
    ) -> None:
        """Attack ``entry``, whose sound save is in ``storage``."""
        self.hass, self.entry, self.storage, self.caplog, self.tally = (
            hass,
            entry,
            storage,
            caplog,
            tally,
        )
        self.key = f"{DOMAIN}.{entry.entry_id}"
        self.sound: dict[str, Any] = copy.deepcopy(storage[self.key]["data"])
        #: Moves the car to a distance (km) from home; the vehicle must follow.
        self.move: Callable[[float], Awaitable[None]] | None = None
        self.distance_entity = ""
        self._km = 3.0

    async def start_from(self, name: str, data: Any, *, again: bool = True) -> None:
        """Start the vehicle from ``data``; then once more from what it saved."""
        hass, entry = self.hass, self.entry
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        self.storage[self.key] = _envelope(entry, data)
        self.caplog.clear()
        problems: list[str] = []
        if not await hass.config_entries.async_setup(entry.entry_id):
            problems.append(f"setup failed: {entry.state}")
        await hass.async_block_till_done()
        problems += entity_problems(hass, entry)
        problems += log_problems(self.caplog.records)
        if self.move is not None and entry.state is ConfigEntryState.LOADED:
            # Nothing saved may freeze the car: it follows the next fixes.
            self._km = 3.0 if self._km != 3.0 else 2.5
            # Six fixes 30 s apart: past the gate's 2 min for a jump to be confirmed.
            for i in range(6):  # driving on, 50 m a fix
                await self.move(self._km - 0.05 * i)
            shown = hass.states.get(self.distance_entity)
            if shown is None or not _near(shown.state, self._km - 0.25):
                problems.append(f"frozen: moved to {self._km} km, shows {shown and shown.state}")
        if again and entry.state is ConfigEntryState.LOADED:
            # What it wrote is trusted whole by the next start.
            self.caplog.clear()
            await _restart(hass, entry)
            warned = [
                r.getMessage() for r in self.caplog.records if TRUSTED_WARNING in r.getMessage()
            ]
            problems += [f"the file it wrote is not trusted: {w}" for w in warned]
            problems += log_problems(self.caplog.records)
            problems += entity_problems(hass, entry)
        self.tally.check(name, problems)

    async def every_part(self, junk_per_part: int) -> None:
        """Each part of the sound save, deleted and replaced by junk (rotating through JUNK)."""
        n = 0
        for path in _paths(self.sound):
            await self.start_from(
                f"{path} deleted", _mutated(self.sound, path, DELETE), again=False
            )
            for _ in range(junk_per_part):
                junk = JUNK[n % len(JUNK)]
                n += 1
                # What it then wrote is checked after every third attack (a start costs).
                await self.start_from(
                    f"{path} = {junk!r:.30}", _mutated(self.sound, path, junk), again=n % 3 == 0
                )
        await self.start_from("an extra key", {**self.sound, "extra": {"nested": [math.nan]}})
        await self.start_from("an empty object", {})


@pytest.fixture
def attacker_for(
    hass: HomeAssistant,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
    tally: Tally,
) -> Callable[[MockConfigEntry], Awaitable[Attacker]]:
    """An attacker for a running vehicle, once it has made a sound save."""

    async def _make(entry: MockConfigEntry) -> Attacker:
        await hass.config_entries.async_unload(entry.entry_id)  # writes the sound save
        await hass.async_block_till_done()
        attacker = Attacker(hass, entry, hass_storage, caplog, tally)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        return attacker

    return _make


async def test_simulator_every_saved_part(
    hass: HomeAssistant,
    init_integration: MockConfigEntry,
    attacker_for: Callable[[MockConfigEntry], Awaitable[Attacker]],
    tally: Tally,
    freezer: FrozenDateTimeFactory,
) -> None:
    await send_destination(hass, zone="zone.home")
    for _ in range(90):
        freezer.tick(1)
        async_fire_time_changed(hass)
        await hass.async_block_till_done()
    attacker = await attacker_for(init_integration)
    assert attacker.sound["approach"]["crossings"], attacker.sound
    await attacker.every_part(junk_per_part=2)
    tally.assert_held()


async def test_webhook_every_saved_part(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
    attacker_for: Callable[[MockConfigEntry], Awaitable[Attacker]],
    tally: Tally,
) -> None:
    freezer.move_to(NOW)
    entry = webhook_vehicle_entry("Attack", "5a7e5a7e5a7e5a7e5a7e5a7e5a7e5a7e", "5a7e0000")
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()
    response = await client.post(
        "/api/webhook/5a7e5a7e5a7e5a7e5a7e5a7e5a7e5a7e", json=CAR_BRIDGE_FULL
    )
    assert response.status == 200
    await hass.async_block_till_done()
    attacker = await attacker_for(entry)
    assert attacker.sound["vehicle"]["position"], attacker.sound

    async def move(km: float) -> None:
        freezer.tick(timedelta(seconds=30))
        lat, lon = _at(km)
        body = {"latitude": lat, "longitude": lon, "accuracy": 5}
        response = await client.post("/api/webhook/5a7e5a7e5a7e5a7e5a7e5a7e5a7e5a7e", json=body)
        await response.text()
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    attacker.move, attacker.distance_entity = move, "sensor.attack_distance_to_home"
    await attacker.every_part(junk_per_part=2)
    tally.assert_held()


async def test_mirror_every_saved_part(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    attacker_for: Callable[[MockConfigEntry], Awaitable[Attacker]],
    tally: Tally,
) -> None:
    for km in (8.0, 7.0, 6.0, 4.5):
        lat, lon = _at(km)
        hass.states.async_set(
            TRACKER, "not_home", {"latitude": lat, "longitude": lon, "gps_accuracy": 10}
        )
        if km == 8.0:
            entry = (await _add(hass, tracker=TRACKER))["result"]
        await hass.async_block_till_done()
    attacker = await attacker_for(entry)

    async def move(km: float) -> None:
        freezer.tick(timedelta(seconds=30))
        lat, lon = _at(km)
        # A repeated fix is a new report (as a tracker that reports every 30 s).
        hass.states.async_set(
            TRACKER,
            "not_home",
            {"latitude": lat, "longitude": lon, "gps_accuracy": 5},
            force_update=True,
        )
        await hass.async_block_till_done()

    attacker.move, attacker.distance_entity = move, "sensor.model_y_distance_to_home"
    await attacker.every_part(junk_per_part=3)
    tally.assert_held()
