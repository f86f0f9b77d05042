"""Learned departures through a webhook vehicle posting weeks of commutes (issue 19).

Time is moved forward with the freezer; the vehicle posts a fix at home, one
2 km out when it leaves at about 07:30 (local time) and one at home in the
evening, every weekday.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import date, datetime, time, timedelta
import json
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    MockPlatform,
    async_capture_events,
    async_fire_time_changed,
    async_mock_service,
    mock_platform,
)

from custom_components.car_bridge.approach.geo import offset_point
from custom_components.car_bridge.const import (
    CONF_DEPARTURE_CALENDAR,
    CONF_DEPARTURE_LEARNING,
    CONF_DEPARTURE_WORKDAY,
    DOMAIN,
    EVENT_CAR_BRIDGE,
)
from custom_components.car_bridge.diagnostics import async_get_config_entry_diagnostics
from homeassistant.components.calendar import CalendarEntity, CalendarEvent
from homeassistant.core import Event, HomeAssistant
from homeassistant.exceptions import ServiceValidationError
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import HOME_LAT, HOME_LON, vehicle_device_id, webhook_vehicle_entry

WEBHOOK_ID = "0123456789abcdef0123456789abcdef"
TZ = ZoneInfo("Europe/Amsterdam")
FIRST = date(2026, 9, 7)  # a Monday
SENSOR = "sensor.van_next_departure"
#: Daily jitter of the commute, minutes around 07:30.
JITTER = (0, 4, -3, 6, -5, 2, -1)

type Post = Callable[..., Awaitable[None]]


def local(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=TZ)


@pytest.fixture
def entry() -> MockConfigEntry:
    return webhook_vehicle_entry("Van", WEBHOOK_ID, "5d2f0e1a3c5b7d9f3c1e9b7f4e2a8c6b")


@pytest.fixture
async def post(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    home_zone: None,
    entry: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
) -> Post:
    """Set the van up at home on the first morning; return a poster of one fix."""
    await hass.config.async_update(time_zone="Europe/Amsterdam")
    freezer.move_to(local(FIRST, 6))
    entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_client_no_auth()

    posted: list[datetime] = []

    async def _post(km_out: float, at: datetime, east_m: float = 0.0) -> None:
        # Let the time in between pass first (the connection timeout fires then).
        freezer.move_to(at - timedelta(seconds=1))
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done()
        freezer.move_to(at)
        # Real fixes never repeat to the last digit (the gate takes exact repeats of
        # an earlier position for a stale replay): each post is a few cm apart.
        posted.append(at)
        lat, lon = offset_point(HOME_LAT, HOME_LON, km_out * 1000, east_m + 0.05 * len(posted))
        body = {"latitude": lat, "longitude": lon, "accuracy": 10, "timestamp": at.timestamp()}
        response = await client.post(f"/api/webhook/{WEBHOOK_ID}", json=body)
        assert response.status == 200, await response.text()
        freezer.tick(0.5)
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done()

    return _post


async def commute(post: Post, day: date, minute: int) -> None:
    """Leave at about 07:30 and come back at 17:45, a fix a minute while driving."""
    await post(0.0, local(day, 6, 50))
    leave = local(day, 7, 30) + timedelta(minutes=minute)
    for i, km in enumerate((0.5, 1.0, 2.0, 3.0)):
        await post(km, leave + timedelta(minutes=i))
    back = local(day, 17, 38)
    for i, km in enumerate((3.0, 2.0, 1.0, 0.5, 0.2, 0.05, 0.0)):
        await post(km, back + timedelta(minutes=i), east_m=5.0 * (i % 2))


async def weeks_of_commutes(post: Post, weeks: int) -> None:
    for i in range(weeks * 7):
        day = FIRST + timedelta(days=i)
        if day.weekday() < 5:
            await commute(post, day, JITTER[i % 7])


async def run_until(hass: HomeAssistant, freezer: FrozenDateTimeFactory, until: datetime) -> None:
    """Let the clock run in 30 s steps (the watch's tick)."""
    while dt_util.utcnow() < until:
        freezer.tick(timedelta(seconds=30))
        async_fire_time_changed(hass, dt_util.utcnow())
        await hass.async_block_till_done()


async def jump(hass: HomeAssistant, freezer: FrozenDateTimeFactory, to: datetime) -> None:
    """Move the clock to ``to`` at once (one tick there)."""
    freezer.move_to(to)
    async_fire_time_changed(hass, dt_util.utcnow())
    await hass.async_block_till_done()


def expected(events: list[Event]) -> list[dict[str, Any]]:
    return [dict(e.data) for e in events if e.data["type"] == "departure_expected"]


async def test_weeks_of_commutes_predict_and_announce_once(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, post: Post, entry: MockConfigEntry
) -> None:
    assert hass.states.get(SENSOR).state == "unknown"
    await weeks_of_commutes(post, 4)
    monday = FIRST + timedelta(weeks=4)
    await jump(hass, freezer, local(monday, 5))
    state = hass.states.get(SENSOR)
    departure = dt_util.parse_datetime(state.state)
    assert departure is not None
    assert abs(departure - local(monday, 7, 30)) <= timedelta(minutes=10)
    assert state.attributes["confidence"] >= 0.75
    assert state.attributes["departures"] >= 4
    assert state.attributes["usual_trip"] == pytest.approx(615, abs=10)

    dev = vehicle_device_id(hass, entry)
    calls = async_mock_service(hass, "test", "fired")
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "triggers": [
                    {
                        "trigger": "device",
                        "domain": DOMAIN,
                        "device_id": dev,
                        "type": "departure_expected",
                        "minutes_before": 45,
                    }
                ],
                "actions": [
                    {"action": "test.fired", "data": {"what": "{{ trigger.description }}"}}
                ],
            }
        },
    )
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await jump(hass, freezer, departure - timedelta(minutes=50))
    await run_until(hass, freezer, departure - timedelta(minutes=1))
    announced = expected(events)
    assert [e["minutes_before"] for e in announced] == [45, 30]
    assert all(dt_util.parse_datetime(e["departure"]) == departure for e in announced)
    assert len(calls) == 1
    assert calls[0].data["what"] == "Van is expected to leave home in 45 minutes"

    # A restart announces nothing again and shows the same departure.
    assert await hass.config_entries.async_reload(entry.entry_id)
    await hass.async_block_till_done()
    await run_until(hass, freezer, departure)
    assert len(expected(events)) == 2
    assert hass.states.get(SENSOR).state == state.state

    # Leaving fulfils it: the next one is Tuesday's.
    await post(2.0, departure + timedelta(minutes=2))
    await run_until(hass, freezer, departure + timedelta(minutes=5))
    tuesday = dt_util.parse_datetime(hass.states.get(SENSOR).state)
    assert tuesday is not None
    assert tuesday.astimezone(TZ).date() == monday + timedelta(days=1)


async def test_skip_withdraws_the_next_departure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, post: Post
) -> None:
    with pytest.raises(ServiceValidationError) as err:
        await hass.services.async_call(
            DOMAIN, "skip_next_departure", {"entity_id": SENSOR}, blocking=True
        )
    assert err.value.translation_key == "no_departure_expected"
    await weeks_of_commutes(post, 4)
    monday = FIRST + timedelta(weeks=4)
    await jump(hass, freezer, local(monday, 5))
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await hass.services.async_call(
        DOMAIN, "skip_next_departure", {"entity_id": SENSOR}, blocking=True
    )
    skipped = dt_util.parse_datetime(hass.states.get(SENSOR).state)
    assert skipped is not None
    assert skipped.astimezone(TZ).date() == monday + timedelta(days=1)
    await jump(hass, freezer, local(monday, 6, 55))
    await run_until(hass, freezer, local(monday, 7, 45))
    assert expected(events) == []


async def test_a_workday_sensor_off_means_no_departure(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, post: Post, entry: MockConfigEntry
) -> None:
    await weeks_of_commutes(post, 4)
    monday = FIRST + timedelta(weeks=4)
    hass.states.async_set("binary_sensor.workday", "off")
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_DEPARTURE_WORKDAY: "binary_sensor.workday"}
    )
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await jump(hass, freezer, local(monday, 6, 55))
    await run_until(hass, freezer, local(monday, 7, 45))
    assert expected(events) == []
    following = dt_util.parse_datetime(hass.states.get(SENSOR).state)
    assert following is not None
    assert following.astimezone(TZ).date() == monday + timedelta(days=1)


async def test_learning_off_predicts_nothing(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory, post: Post, entry: MockConfigEntry
) -> None:
    await weeks_of_commutes(post, 4)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_DEPARTURE_LEARNING: False}
    )
    await hass.async_block_till_done()
    await jump(hass, freezer, local(FIRST + timedelta(weeks=4), 5))
    assert hass.states.get(SENSOR).state == "unknown"


async def test_diagnostics_show_the_learned_times_only(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    post: Post,
    entry: MockConfigEntry,
) -> None:
    await weeks_of_commutes(post, 4)
    await jump(hass, freezer, local(FIRST + timedelta(weeks=4), 5))
    # The platform's own entry point: four weeks on, the test client's token has expired.
    result = await async_get_config_entry_diagnostics(hass, entry)
    pattern = result["departures"]
    assert pattern["learning"] is True
    assert pattern["departures_learned"] == 20
    assert [e["weekday"] for e in pattern["expected"]] == [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
    ]
    assert all(e["time"].startswith("07:") for e in pattern["expected"])
    assert str(HOME_LAT)[:5] not in json.dumps(pattern)


class HolidayCalendar(CalendarEntity):
    """The user's holiday calendar: an all-day event on each of ``days``."""

    _attr_name = "Holidays"

    def __init__(self, days: list[date]) -> None:
        self.days = days

    @property
    def event(self) -> CalendarEvent | None:
        return None

    async def async_get_events(
        self, hass: HomeAssistant, start_date: datetime, end_date: datetime
    ) -> list[CalendarEvent]:
        return [
            CalendarEvent(start=day, end=day + timedelta(days=1), summary="Holiday")
            for day in self.days
            if start_date.date() <= day < end_date.date()
        ]


HOLIDAY = FIRST + timedelta(weeks=4)


@pytest.fixture
async def holiday_calendar(hass: HomeAssistant) -> None:
    """The calendar, set up before the webhook's test client freezes the HTTP routes."""
    calendar = HolidayCalendar([HOLIDAY])

    async def setup_platform(
        hass: HomeAssistant, config: Any, add_entities: Any, discovery_info: Any = None
    ) -> None:
        add_entities([calendar])

    mock_platform(hass, "test.calendar", MockPlatform(async_setup_platform=setup_platform))
    assert await async_setup_component(hass, "calendar", {"calendar": {"platform": "test"}})
    await hass.async_block_till_done()


async def test_a_holiday_in_the_calendar_means_no_departure(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    holiday_calendar: None,
    post: Post,
    entry: MockConfigEntry,
) -> None:
    monday = HOLIDAY
    await weeks_of_commutes(post, 4)
    hass.config_entries.async_update_entry(
        entry, options={**entry.options, CONF_DEPARTURE_CALENDAR: "calendar.holidays"}
    )
    await hass.async_block_till_done()
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await jump(hass, freezer, local(monday, 5))
    await jump(hass, freezer, local(monday, 6, 55))
    await run_until(hass, freezer, local(monday, 7, 45))
    assert expected(events) == []
    following = dt_util.parse_datetime(hass.states.get(SENSOR).state)
    assert following is not None
    assert following.astimezone(TZ).date() == monday + timedelta(days=1)
