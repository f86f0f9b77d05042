"""Holidays for the learned departures: a workday sensor that is off, a calendar's events.

The departures engine (``departures/``, fed by the coordinator like every
engine) predicts nothing and learns nothing on a day marked "not leaving".
This glue marks today when the chosen workday binary sensor is off, and today
and tomorrow when the chosen calendar has an event on them; it checks every
minute (the calendar every 10 minutes) and applies new options live.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.util import dt as dt_util

from .const import CONF_DEPARTURE_CALENDAR, CONF_DEPARTURE_WORKDAY, DOMAIN, LOGGER
from .departures.engine import DepartureEngine

if TYPE_CHECKING:
    from .coordinator import CarBridgeCoordinator

CHECK_EVERY = timedelta(minutes=1)
CALENDAR_EVERY = timedelta(minutes=10)


class DepartureHolidays:
    """Tells one vehicle's departures engine which days are holidays."""

    def __init__(
        self,
        hass: HomeAssistant,
        engine: DepartureEngine,
        coordinator: CarBridgeCoordinator,
        options: Mapping[str, Any],
    ) -> None:
        """Watch the workday sensor and calendar ``options`` name."""
        self.hass = hass
        self.engine = engine
        self.coordinator = coordinator
        self.workday: str | None = None
        self.calendar: str | None = None
        self._marks: dict[date, dict[str, bool]] = {}
        self._calendar_asked: datetime | None = None
        self.apply_options(options, check=False)

    @callback
    def async_start(self) -> None:
        """Check now and every minute until the entry unloads."""
        self.coordinator.config_entry.async_on_unload(
            async_track_time_interval(
                self.hass, self._check, CHECK_EVERY, name=f"{DOMAIN} holidays"
            )
        )
        self._check(dt_util.utcnow())

    @callback
    def apply_options(self, options: Mapping[str, Any], *, check: bool = True) -> None:
        """Use the workday sensor and calendar the options name (forgetting the old marks)."""
        workday = options.get(CONF_DEPARTURE_WORKDAY) or None
        calendar = options.get(CONF_DEPARTURE_CALENDAR) or None
        if (workday, calendar) == (self.workday, self.calendar):
            return
        self.workday, self.calendar, self._calendar_asked = workday, calendar, None
        for day, marks in self._marks.items():
            marks.clear()
            self.engine.set_not_leaving(day, False)
        if check:
            self._check(dt_util.utcnow())

    def _mark(self, day: date, source: str, not_leaving: bool) -> None:
        marks = self._marks.setdefault(day, {})
        if marks.get(source) == not_leaving:
            return
        marks[source] = not_leaving
        self.engine.set_not_leaving(day, any(marks.values()))
        self.coordinator.async_engines_changed()

    @callback
    def _check(self, now: datetime) -> None:
        today = dt_util.as_local(now).date()
        # Past days stay marked in the engine (their departures taught nothing).
        self._marks = {d: m for d, m in self._marks.items() if d >= today}
        state = self.hass.states.get(self.workday) if self.workday else None
        if state is not None and state.state in (STATE_ON, STATE_OFF):
            self._mark(today, "workday", state.state == STATE_OFF)
        if self.calendar and (
            self._calendar_asked is None or now - self._calendar_asked >= CALENDAR_EVERY
        ):
            self._calendar_asked = now
            self.coordinator.config_entry.async_create_background_task(
                self.hass, self._async_ask_calendar(self.calendar, today), f"{DOMAIN} calendar"
            )

    async def _async_ask_calendar(self, calendar: str, today: date) -> None:
        tz = dt_util.get_default_time_zone()
        for day in (today, today + timedelta(days=1)):
            start = datetime.combine(day, time(), tzinfo=tz)
            try:
                response = await self.hass.services.async_call(
                    "calendar",
                    "get_events",
                    {
                        "entity_id": calendar,
                        "start_date_time": start,
                        "end_date_time": start + timedelta(days=1),
                    },
                    blocking=True,
                    return_response=True,
                )
            except HomeAssistantError as err:
                LOGGER.debug("Departures: calendar %s not read: %s", calendar, err)
                return
            events = (response or {}).get(calendar)
            if calendar != self.calendar:
                return  # the options changed meanwhile
            self._mark(day, "calendar", isinstance(events, dict) and bool(events.get("events")))
