"""A power cut at any second after an event neither repeats nor loses it.

Each source kind drives home and away again (approaching 5 and 1 km, arrived
home, left home, leaving 1 and 5 km). At every second of the 30 s after each
event the save file is copied, as a power cut would leave it; afterwards the
vehicle is started from each copy (without the save that stopping would
make): no event announced before the copy fires again. Started from the copy
taken the second *before* an event, and given the fix that made it, the event
fires once: nothing is lost.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
import copy
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)

from custom_components.car_bridge.approach.geo import destination_point
from custom_components.car_bridge.const import (
    CONF_CRUISE_SPEED,
    DOMAIN,
    EVENT_CAR_BRIDGE,
    SAVE_DELAY_S,
)
from homeassistant.core import Event, HomeAssistant, callback

from .conftest import HOME_LAT, HOME_LON, send_destination, webhook_vehicle_entry
from .test_mirror import TRACKER, _add

pytestmark = pytest.mark.usefixtures("home_zone")

WEBHOOK_ID = "c0ffee00c0ffee00c0ffee00c0ffee00"
SPEED_MS = 30.0  # 108 km/h: a believable drive, 6.5 km in under four minutes
EVENT_TYPES = {"approaching", "arrived_home", "left_home", "leaving"}


def capture(hass: HomeAssistant, types: set[str]) -> list[Event]:
    """Return the list the ``car_bridge_event``s of these types will be appended to."""
    events: list[Event] = []

    @callback
    def _append(event: Event) -> None:
        events.append(event)

    hass.bus.async_listen(
        EVENT_CAR_BRIDGE, _append, event_filter=callback(lambda d: d["type"] in types)
    )
    return events


def _key(event: Event) -> tuple[str, float | None]:
    return event.data["type"], event.data.get("threshold_km")


def _route() -> list[float]:
    """Metres from the zone's centre, one per second: in from 6.5 km, park, out again."""
    inbound = [6500 - SPEED_MS * s for s in range(int(6500 / SPEED_MS) + 1)]
    parked = [0.0] * 60
    return [*inbound, *parked, *reversed(inbound)]


@dataclass
class Kind:
    """How to drive one kind of source, one second at a time."""

    name: str
    entry: MockConfigEntry
    step: Callable[[int], Awaitable[None]]
    #: What the source reports at each second (replayed at a restart), if it is outside HA.
    reported: dict[int, Any] = field(default_factory=dict)
    restore: Callable[[Any], Awaitable[None]] | None = None
    #: After a restart: what the user did since the file was written is done again.
    again: Callable[[], None] = lambda: None


def _fix(metres: float, second: int, route: list[float]) -> dict[str, Any]:
    lat, lon = destination_point(HOME_LAT, HOME_LON, 0.0, metres)
    before = route[max(second - 1, 0)]
    moving = metres != before
    return {
        "latitude": lat,
        "longitude": lon,
        "gps_accuracy": 10,
        "speed": SPEED_MS * 3.6 if moving else 0.0,
        "course": 180.0 if metres < before else 0.0,
    }


@pytest.fixture(params=["mirror", "webhook", "simulator"])
async def kind(
    request: pytest.FixtureRequest,
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
    mock_config_entry: MockConfigEntry,
) -> Kind:
    """A vehicle of each source kind and how to move it."""
    route = _route()

    async def advance() -> None:
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()

    if request.param == "mirror":
        hass.states.async_set(TRACKER, "not_home", _fix(route[0], 0, route))
        result = await _add(hass, tracker=TRACKER)
        entry: MockConfigEntry = result["result"]

        async def set_tracker(attributes: Any) -> None:
            hass.states.async_set(TRACKER, "not_home", attributes)
            await hass.async_block_till_done()

        kind = Kind("mirror", entry, step=lambda s: _noop(), restore=set_tracker)

        async def step(second: int) -> None:
            await advance()
            kind.reported[second] = _fix(route[min(second, len(route) - 1)], second, route)
            await set_tracker(kind.reported[second])

        kind.step = step
        return kind

    if request.param == "webhook":
        entry = webhook_vehicle_entry("Model Y", WEBHOOK_ID, "ab" * 16)
        entry.add_to_hass(hass)
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        client = await hass_client_no_auth()

        async def post(fix: Any) -> None:
            body = {
                "latitude": fix["latitude"],
                "longitude": fix["longitude"],
                "accuracy": fix["gps_accuracy"],
                "speed": fix["speed"],
                "heading": fix["course"],
            }
            response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
            assert response.status == 200, await response.text()
            async_fire_time_changed(hass)  # the coalesced publish
            await hass.async_block_till_done()

        kind = Kind("webhook", entry, step=lambda s: _noop(), restore=post)

        async def step(second: int) -> None:
            await advance()
            kind.reported[second] = _fix(route[min(second, len(route) - 1)], second, route)
            await post(kind.reported[second])

        kind.step = step
        return kind

    mock_config_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        mock_config_entry, options={**mock_config_entry.options, CONF_CRUISE_SPEED: 120.0}
    )
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    init_integration = mock_config_entry
    away = destination_point(HOME_LAT, HOME_LON, 0.0, 6500)
    sim = Kind("simulator", init_integration, step=lambda s: _noop())
    sent_away = False

    async def step(second: int) -> None:
        nonlocal sent_away
        if second == 1:
            await send_destination(hass, zone="zone.home")
        at_home = hass.states.get("binary_sensor.su7_at_home")
        if not sent_away and at_home is not None and at_home.state == "on":
            sent_away = True
            await send_destination(hass, latitude=away[0], longitude=away[1])
        await advance()

    def again() -> None:
        # A file from before the drive away holds no destination: send it again.
        nonlocal sent_away
        sent_away = False

    sim.step = step
    sim.again = again
    return sim


async def _noop() -> None:
    return None


async def _restart_from(
    hass: HomeAssistant, entry: MockConfigEntry, on_disk: Any, mirrored: Any = None
) -> None:
    """Start the vehicle from ``on_disk`` as if the power had been cut.

    ``mirrored`` is the tracker's state at the cut (a mirror's source is in HA).
    """
    key = f"{DOMAIN}.{entry.entry_id}"
    hass_storage = hass.data["car_bridge_test_storage"]
    assert await hass.config_entries.async_unload(entry.entry_id)
    await hass.async_block_till_done()
    if mirrored is not None:
        hass.states.async_set(TRACKER, "not_home", mirrored)
    hass_storage[key] = copy.deepcopy(on_disk)  # what unloading saved never happened
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()


async def _go_on(kind: Kind, freezer: FrozenDateTimeFactory, after: int, seconds: int) -> None:
    """Let the drive go on from second ``after``: the source reports as it did."""
    for later in range(after + 1, after + 1 + seconds):
        if kind.restore is None:
            await kind.step(-1)  # the simulated car drives on by itself
        elif later in kind.reported:
            freezer.tick(timedelta(seconds=1))
            await kind.restore(kind.reported[later])


async def _restart_at(hass: HomeAssistant, kind: Kind, on_disk: Any, cut: int) -> None:
    mirrored = kind.reported[cut] if kind.name == "mirror" else None
    await _restart_from(hass, kind.entry, on_disk, mirrored)
    kind.again()


async def test_a_power_cut_after_an_event_neither_repeats_nor_loses_it(
    hass: HomeAssistant, kind: Kind, hass_storage: dict[str, Any], freezer: FrozenDateTimeFactory
) -> None:
    hass.data["car_bridge_test_storage"] = hass_storage
    key = f"{DOMAIN}.{kind.entry.entry_id}"
    # Approach events only: the simulator is driven by send_destination (destination_sent).
    events = capture(hass, EVENT_TYPES)
    #: second -> the file as a power cut at that second would leave it
    on_disk: dict[int, Any] = {}
    #: second -> the events announced by then
    announced: dict[int, list[tuple[str, float | None]]] = {}
    #: each event and the second it fired at
    fired: dict[tuple[str, float | None], int] = {}
    second = 0
    limit = len(_route()) + 2 * 60 if kind.name != "simulator" else 1500
    while second < limit:
        second += 1
        on_disk[second - 1] = copy.deepcopy(hass_storage.get(key))
        await kind.step(second)
        for event in events[len(fired) :]:
            fired.setdefault(_key(event), second)
        assert len(fired) == len(events), "an event fired twice in the drive itself"
        on_disk[second] = copy.deepcopy(hass_storage.get(key))
        announced[second] = list(fired)
        if len(fired) == 6 and second > max(fired.values()) + SAVE_DELAY_S:
            break
    assert {t for t, _ in fired} == EVENT_TYPES, fired
    assert len(fired) == 6, fired

    # The simulated car re-drives what the file lost (up to 30 s of it).
    go_on = 5 if kind.restore else SAVE_DELAY_S + 5
    for event, at in fired.items():
        # No repeat: a cut at any second of the 30 s after it, and the drive goes on.
        for cut in range(at, at + SAVE_DELAY_S + 1):
            assert on_disk[cut] is not None
            start = len(events)
            await _restart_at(hass, kind, on_disk[cut], cut)
            await _go_on(kind, freezer, cut, go_on)
            repeated = [_key(e) for e in events[start:] if _key(e) in announced[cut]]
            assert repeated == [], f"{kind.name}: cut {cut - at} s after {event}: {repeated}"
        # No loss: a cut the second before it, and the drive goes on.
        start = len(events)
        await _restart_at(hass, kind, on_disk[at - 1], at - 1)
        await _go_on(kind, freezer, at - 1, 15 if kind.restore else SAVE_DELAY_S + 30)
        got = [_key(e) for e in events[start:]]
        assert got.count(event) == 1, f"{kind.name}: cut before {event}: {got}"
