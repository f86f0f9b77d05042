"""Restarts: the power cut at random seconds after every event type, for every source kind.

``tests/test_power_cut.py`` cuts at every second after the four crossing
events; this attack adds ``time_to_home_below`` (asked for by a device
trigger) and cuts at seeded random seconds, twice in a row (a cut, a short
drive, a second cut from the first restart's file): no event announced before
the file was copied fires again, and an event cut off before it fires once.
"""

from __future__ import annotations

import copy
import random
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest

from custom_components.car_bridge.const import DOMAIN, SAVE_DELAY_S
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

from ..test_power_cut import (
    EVENT_TYPES,
    Kind,
    _go_on,
    _key,
    _restart_at,
    _route,
    capture,
    kind,
)
from .conftest import Tally, log_problems

__all__ = ["kind"]  # the fixture, shared with test_power_cut

pytestmark = pytest.mark.usefixtures("home_zone")

CUTS_PER_EVENT = 2


async def _ask_for_time_to_home(hass: HomeAssistant, kind: Kind) -> None:
    device = next(
        d
        for d in dr.async_entries_for_config_entry(dr.async_get(hass), kind.entry.entry_id)
        if any(i[0] == DOMAIN for i in d.identifiers)
    )
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "alias": "three minutes out",
                "triggers": [
                    {
                        "trigger": "device",
                        "domain": DOMAIN,
                        "device_id": device.id,
                        "type": "time_to_home_below",
                        "minutes": 3,
                    }
                ],
                "actions": [],
            }
        },
    )
    await hass.async_block_till_done()


async def test_random_power_cuts_after_every_event_type(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    kind: Kind,
    hass_storage: dict[str, Any],
    freezer: FrozenDateTimeFactory,
    tally: Tally,
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass.data["car_bridge_test_storage"] = hass_storage
    await _ask_for_time_to_home(hass, kind)
    key = f"{DOMAIN}.{kind.entry.entry_id}"
    # Conclusions of the drive only: destination_sent answers the harness's
    # send_destination, which it sends again after a restart from a file
    # older than the send (test_share covers a delivery not repeated).
    events = capture(hass, {*EVENT_TYPES, "time_to_home_below"})
    on_disk: dict[int, Any] = {}
    announced: dict[int, list[tuple[str, float | None]]] = {}
    fired: dict[tuple[str, float | None], int] = {}
    second = 0
    limit = len(_route()) + 2 * 60 if kind.name != "simulator" else 1500
    while second < limit:
        second += 1
        on_disk[second - 1] = copy.deepcopy(hass_storage.get(key))
        await kind.step(second)
        for event in events[len(fired) :]:
            fired.setdefault(_key(event), second)
        on_disk[second] = copy.deepcopy(hass_storage.get(key))
        announced[second] = list(fired)
        if len(fired) >= 6 and second > max(fired.values()) + SAVE_DELAY_S:
            break
    assert {*EVENT_TYPES, "time_to_home_below"} <= {t for t, _ in fired}, fired
    tally.check("the drive itself", log_problems(caplog.records))

    rng = random.Random(f"{kind.name}-17")
    go_on = 5 if kind.restore else SAVE_DELAY_S + 5
    for event, at in fired.items():
        for cut in sorted(rng.sample(range(at, at + SAVE_DELAY_S + 1), CUTS_PER_EVENT)):
            caplog.clear()
            start = len(events)
            await _restart_at(hass, kind, on_disk[cut], cut)
            await _go_on(kind, freezer, cut, go_on)
            # And cut again, from what the first restart wrote.
            again = copy.deepcopy(hass_storage.get(key))
            await _restart_at(hass, kind, again, min(cut + go_on, max(kind.reported, default=0)))
            repeated = [_key(e) for e in events[start:] if _key(e) in announced[cut]]
            problems = [f"repeated {repeated}"] if repeated else []
            tally.check(f"{kind.name}: cut {cut - at} s after {event}", problems)
        start = len(events)
        await _restart_at(hass, kind, on_disk[at - 1], at - 1)
        # 45 s, not test_power_cut's 15: restarted from a file up to 30 s old,
        # the time to home needs fresh evidence before time_to_home_below fires.
        await _go_on(kind, freezer, at - 1, 45 if kind.restore else SAVE_DELAY_S + 30)
        got = [_key(e) for e in events[start:]]
        tally.check(
            f"{kind.name}: cut before {event}",
            [] if got.count(event) == 1 else [f"got {got}"],
        )
    tally.assert_held()
