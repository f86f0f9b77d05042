"""Home Assistant glue of the learned departures (issue 19).

Feeds the pure :class:`DepartureEngine` the coordinator's snapshots, lets
time pass every 30 s, fires its ``departure_expected`` conclusions as
``car_bridge_event`` (written before announced), tells it which days are
holidays (a workday binary sensor that is off, or any event on a calendar)
and which minutes device triggers ask for. Its state is saved with the
vehicle under ``departures``.

Until the coordinator drives a list of engines (issue 16), this watches the
coordinator from outside; the sensor reads :attr:`DepartureWatch.result`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any

from homeassistant.const import STATE_OFF, STATE_ON
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.selector import BooleanSelector, EntitySelector, EntitySelectorConfig
from homeassistant.util import dt as dt_util
from homeassistant.util.hass_dict import HassKey

from .approach.model import Home
from .const import DOMAIN, EVENT_CAR_BRIDGE, LOGGER
from .departures.engine import KEY, DepartureEngine
from .departures.model import Prediction
from .storage import SavedState
from .vehicle.engines import Conclusion
from .vehicle.model import VehicleState

if TYPE_CHECKING:
    from .coordinator import CarBridgeCoordinator

CONF_DEPARTURE_LEARNING = "departure_learning"
CONF_DEPARTURE_WORKDAY = "departure_workday"
CONF_DEPARTURE_CALENDAR = "departure_calendar"
DEPARTURE_OPTIONS = (CONF_DEPARTURE_LEARNING, CONF_DEPARTURE_WORKDAY, CONF_DEPARTURE_CALENDAR)
TICK = timedelta(seconds=30)
#: How often a calendar is asked for today's and tomorrow's events.
CALENDAR_EVERY = timedelta(minutes=10)

#: The options form's fields for departures (optional: a missing one is off or default).
DEPARTURE_FIELDS: dict[str, Any] = {
    CONF_DEPARTURE_LEARNING: BooleanSelector(),
    CONF_DEPARTURE_WORKDAY: EntitySelector(EntitySelectorConfig(domain="binary_sensor")),
    CONF_DEPARTURE_CALENDAR: EntitySelector(EntitySelectorConfig(domain="calendar")),
}

MINUTES_KEY: HassKey[dict[str, Counter[int]]] = HassKey(f"{DOMAIN}_departure_minutes")


@callback
def async_request_minutes(hass: HomeAssistant, device_id: str, minutes: int) -> CALLBACK_TYPE:
    """Ask for ``departure_expected`` ``minutes`` ahead; returns the call that withdraws it."""
    requests = hass.data.setdefault(MINUTES_KEY, {}).setdefault(device_id, Counter())
    requests[minutes] += 1

    @callback
    def remove() -> None:
        requests[minutes] -= 1
        if requests[minutes] <= 0:
            del requests[minutes]

    return remove


class DepartureWatch:
    """One vehicle's departures engine, wired to Home Assistant."""

    def __init__(self, hass: HomeAssistant, options: Mapping[str, Any], saved: SavedState) -> None:
        """Create the engine and resume it from the save file (naming what it discarded)."""
        self.hass = hass
        self.engine = DepartureEngine(
            dt_util.get_default_time_zone(),
            learning=bool(options.get(CONF_DEPARTURE_LEARNING, True)),
        )
        saved.discard(*self.engine.restore(saved.extra.get(KEY)))
        self.workday: str | None = options.get(CONF_DEPARTURE_WORKDAY) or None
        self.calendar: str | None = options.get(CONF_DEPARTURE_CALENDAR) or None
        self._coordinator: CarBridgeCoordinator | None = None
        self._vehicle: VehicleState | None = None
        self._home: Home | None = None
        self._listeners: list[Callable[[], None]] = []
        self._unsubs: list[CALLBACK_TYPE] = []
        self._holidays: dict[date, dict[str, bool]] = {}
        self._calendar_asked: datetime | None = None

    @property
    def result(self) -> Prediction | None:
        """Return the next expected departure (None while it abstains)."""
        return self.engine.result

    def as_dict(self) -> dict[str, Any]:
        """Return the engine's part of the save file."""
        return {KEY: self.engine.as_dict()}

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` whenever the next departure changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    @callback
    def async_start(self, coordinator: CarBridgeCoordinator) -> None:
        """Watch the coordinator's snapshots and the clock."""
        self._coordinator = coordinator
        self._unsubs.append(coordinator.async_add_listener(self._on_update))
        self._unsubs.append(
            async_track_time_interval(
                self.hass, self._on_tick, TICK, name=f"{DOMAIN} departures", cancel_on_shutdown=True
            )
        )
        self._on_update()
        self._on_tick(dt_util.utcnow())

    @callback
    def async_stop(self) -> None:
        """Stop watching."""
        while self._unsubs:
            self._unsubs.pop()()

    @callback
    def async_apply_options(self, options: Mapping[str, Any]) -> None:
        """Apply the departure options live."""
        self.engine.learning = bool(options.get(CONF_DEPARTURE_LEARNING, True))
        self.workday = options.get(CONF_DEPARTURE_WORKDAY) or None
        calendar = options.get(CONF_DEPARTURE_CALENDAR) or None
        if calendar != self.calendar:
            self.calendar, self._calendar_asked = calendar, None
        for marks in self._holidays.values():
            marks.clear()
        self._on_tick(dt_util.utcnow())

    @callback
    def skip_next(self) -> Prediction | None:
        """Withdraw the next expected departure; return it (None if none was expected)."""
        skipped = self.engine.skip_next()
        self._after(None, [])
        return skipped

    # -- inside --------------------------------------------------------------

    @callback
    def _on_update(self) -> None:
        coordinator = self._coordinator
        assert coordinator is not None
        vehicle = coordinator.data.vehicle
        if vehicle is self._vehicle:
            return
        self._vehicle = vehicle
        # Imported here: coordinator.py imports nothing of this module.
        from .coordinator import zone_home  # noqa: PLC0415

        home = zone_home(self.hass, coordinator.zone_entity_id)
        if home != self._home:
            self._home = home
            self.engine.set_home(home)
        before = self.result
        learned = len(self.engine.model.departures)
        conclusions = list(self.engine.update(vehicle, dt_util.utcnow()))
        changed = learned != len(self.engine.model.departures)
        self._after(before, conclusions, save=changed)

    @callback
    def _on_tick(self, now: datetime) -> None:
        before = self.result
        self._check_holidays(now)
        device_id = self._coordinator.device_id if self._coordinator else None
        requested = self.hass.data.get(MINUTES_KEY, {}).get(device_id or "", Counter())
        self.engine.set_minutes(requested)
        self._after(before, list(self.engine.tick(now)))

    @callback
    def _after(
        self, before: Prediction | None, conclusions: list[Conclusion], *, save: bool = False
    ) -> None:
        coordinator = self._coordinator
        if self.result != before:
            for listener in list(self._listeners):
                listener()
        if coordinator is None:
            return
        if conclusions:
            coordinator.async_save_then(lambda: self._fire(conclusions))
        elif save or self.result != before:
            coordinator.async_schedule_save()

    def _fire(self, conclusions: list[Conclusion]) -> None:
        coordinator = self._coordinator
        assert coordinator is not None
        for conclusion in conclusions:
            data = {
                "type": conclusion.type,
                "device_id": coordinator.device_id,
                "vehicle": coordinator.config_entry.title,
                **conclusion.data,
            }
            LOGGER.debug("%s: %s", coordinator.config_entry.title, data)
            self.hass.bus.async_fire(EVENT_CAR_BRIDGE, data)

    def _mark(self, day: date, source: str, not_leaving: bool) -> None:
        marks = self._holidays.setdefault(day, {})
        marks[source] = not_leaving
        self.engine.set_not_leaving(day, any(marks.values()))

    def _check_holidays(self, now: datetime) -> None:
        today = dt_util.as_local(now).date()
        self._holidays = {d: m for d, m in self._holidays.items() if d >= today}
        state = self.hass.states.get(self.workday) if self.workday else None
        if state is not None and state.state in (STATE_ON, STATE_OFF):
            self._mark(today, "workday", state.state == STATE_OFF)
        if self.calendar and (
            self._calendar_asked is None or now - self._calendar_asked >= CALENDAR_EVERY
        ):
            self._calendar_asked = now
            self.hass.async_create_task(self._async_ask_calendar(self.calendar, today))

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
            events = (response or {}).get(calendar, {})
            found = isinstance(events, dict) and bool(events.get("events"))
            before = self.result
            self._mark(day, "calendar", found)
            self._after(before, [])
