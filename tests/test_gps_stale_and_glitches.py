"""Real-GPS defects 2, 3, 5 and 11 of issue 21, through the mirror tracker and the webhook."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_capture_events

from custom_components.car_bridge.const import EVENT_CAR_BRIDGE
from homeassistant.core import Event, HomeAssistant
from homeassistant.util import dt as dt_util

from .test_gps_webhook import Post, _types, options, post
from .test_mirror import TRACKER, _at, model_y, state

__all__ = ["model_y", "options", "post"]

pytestmark = pytest.mark.usefixtures("home_zone")


def _kinds(events: list[Event[Any]]) -> list[tuple[str, float | None]]:
    return [(e.data["type"], e.data.get("threshold_km")) for e in events]


async def test_two_agreeing_glitches_do_not_move_a_distant_car(
    hass: HomeAssistant, post: Post
) -> None:
    """Defect 2: two jittered glitches near home, 15 s apart, while 9.9 km away."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i in range(10):
        await post(9.9, i * 15.0)
    await post(0.02, 150.0)
    await post(0.025, 165.0)
    for i in range(12, 20):
        await post(9.9, i * 15.0)
    assert _types(events) == []
    assert float(hass.states.get("sensor.van_distance_to_home").state) > 9.5


async def test_a_stale_fix_posted_late_is_not_new(hass: HomeAssistant, post: Post) -> None:
    """Defect 3: an old home position delivered late, with its own old time, fires nothing."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i in range(10):
        await post(0.02, float(i))
    for i in range(10, 40):  # leaves at 50 km/h: 0.5 km out after 36 s
        await post(0.02 + (i - 9) * 0.0139, float(i), speed=50.0, heading=90.0)
    before = _types(events)
    assert before[0] == ("left_home", None)
    # A home fix of second 5, posted now: its own time says it is old.
    await post(0.02, 5.0)
    await post(0.02 + 31 * 0.0139, 41.0, speed=50.0, heading=90.0)
    assert _types(events) == before
    assert hass.states.get("device_tracker.van").state == "not_home"


async def test_an_old_position_delivered_again_confirms_nothing(
    hass: HomeAssistant, post: Post
) -> None:
    """Defect 3: the same position as an earlier fix, with a new time, is no news."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i in range(10):
        await post(0.02, float(i))
    for i in range(10, 40):
        await post(0.02 + (i - 9) * 0.0139, float(i), speed=50.0, heading=90.0)
    before = _types(events)
    distance = hass.states.get("sensor.van_distance_to_home").state
    await post(0.02, 41.0)  # the parked position of second 0..9, again
    assert _types(events) == before
    assert hass.states.get("sensor.van_distance_to_home").state == distance


async def test_one_multipath_fix_far_off_does_not_move_a_car_parked_at_a_ring(
    hass: HomeAssistant, post: Post
) -> None:
    """Defect 5: one fix 250 m off, while parked 30 m inside the 1 km ring, fired a crossing."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i in range(120):
        await post(1.07, i * 5.0)
    distance = hass.states.get("sensor.van_distance_to_home").state
    await post(1.32, 600.0, accuracy=10.0)
    for i in range(121, 160):
        await post(1.07, i * 5.0)
    assert _types(events) == []
    assert hass.states.get("sensor.van_distance_to_home").state == distance
    assert hass.states.get("sensor.van_direction_of_travel").state == "stationary"


async def test_a_plausible_fix_four_seconds_after_a_still_one_is_shown(
    hass: HomeAssistant, post: Post
) -> None:
    """Defect 11: a Traccar fix 4-5 s and 133 m on (about 110 km/h) was never shown."""
    for i in range(5):
        await post(3.0, i * 30.0, speed=0.0)
    await post(3.133, 124.5, speed=108.0, heading=90.0)
    shown = float(hass.states.get("sensor.van_distance_to_home").state)
    assert abs(shown - (3.133 - 0.1)) < 0.01


async def test_the_mirror_uses_the_trackers_own_fix_time(
    hass: HomeAssistant, model_y: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """Defect 3: a tracker delivering an old position late says so in its time attribute."""
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)

    def report(km: float, age_s: float = 0.0, speed: float = 60.0, bearing: float = 0.0) -> None:
        lat, lon = _at(km, bearing)
        hass.states.async_set(
            TRACKER,
            "not_home",
            {
                "source_type": "gps",
                "latitude": lat,
                "longitude": lon,
                "gps_accuracy": 10,
                "speed": speed,
                "fix_time": (dt_util.utcnow() - timedelta(seconds=age_s)).isoformat(),
            },
        )

    # Home at 60 km/h, every 15 s, a minute there, then out east to 2 km.
    kms = [8 - 0.25 * i for i in range(1, 33)] + [0.0] * 4
    for km in kms:
        freezer.tick(timedelta(seconds=15))
        report(km, speed=60.0 if km else 0.0)
        await hass.async_block_till_done()
    for i in range(1, 9):
        freezer.tick(timedelta(seconds=15))
        report(0.25 * i, bearing=90.0)
        await hass.async_block_till_done()
    before = _kinds(events)
    assert before[-2:] == [("left_home", None), ("leaving", 1.0)]
    # A minute without news, then the position of 1.5 min before (0.6 km),
    # delivered now with its own time: taken for new it would be a plausible
    # move back, and fire approaching 1 km.
    freezer.tick(timedelta(seconds=60))
    report(0.6, age_s=150, bearing=90.0)
    await hass.async_block_till_done()
    assert _kinds(events) == before
    assert float(state(hass, "sensor.model_y_distance_to_home")) > 1.9


async def test_a_glitch_after_a_phone_silence_crosses_nothing(
    hass: HomeAssistant, post: Post
) -> None:
    """A phone reporting every 150 s: one glitch 4 km back fires no `leaving`, no second approach.

    After a silence a glitch is as plausible as a drive (26 m/s here), so a
    crossing against the way the car goes waits for the next fix to make it
    too; those the way it goes fire at once.
    """
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for i, km in enumerate((9.0, 6.9, 4.8, 2.7)):
        await post(km, 150.0 * i)
    assert _kinds(events) == [("approaching", 5.0)]  # at 4.8 km, the way the car goes
    await post(6.6, 600.0)  # a glitch, 3.9 km back
    await post(0.6, 750.0)
    await post(0.0, 900.0)
    for i in range(7, 20):
        await post(0.0, 900.0 + 15 * i)
    assert _kinds(events) == [("approaching", 5.0), ("approaching", 1.0), ("arrived_home", None)]
