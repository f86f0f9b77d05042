"""Push-driven coordinator: one per vehicle.

The source decides when there is news; each new :class:`VehicleState` goes
to every engine, then, as one :class:`CarSnapshot`, to the entities (which
write only on change); what the engines conclude goes out as
``car_bridge_event`` events, written to the save file first.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Mapping, Sequence
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from homeassistant.config_entries import ConfigEntry
from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .approach.model import Home
from .const import DOMAIN, EVENT_CAR_BRIDGE, LOGGER
from .snapshot import CarSnapshot
from .storage import CarBridgeStore
from .vehicle.engines import Conclusion, Engine
from .vehicle.model import Command, Value, VehicleError, VehicleState
from .vehicle.source import VehicleSource
from .zone import HomeZone

#: How often the engines are told that time passes without news.
ENGINE_TICK = timedelta(minutes=1)


class CarBridgeCoordinator(DataUpdateCoordinator[CarSnapshot]):
    """Moves one vehicle's data: source -> engines -> snapshot and events.

    It owns no zone logic (:class:`HomeZone`), no trigger bookkeeping
    (``triggers.py``) and no conclusion of its own (the engines').
    """

    # Typed without the runtime data, which holds this coordinator (data.py imports it).
    config_entry: ConfigEntry[Any]

    def __init__(
        self,
        hass: HomeAssistant,
        entry: ConfigEntry[Any],
        *,
        source: VehicleSource,
        engines: Sequence[Engine],
        home_zone: HomeZone,
        store: CarBridgeStore,
        extra_save: Callable[[], dict[str, Any]],
        applied_options: Mapping[str, Any] | None = None,
        apply_source_options: Callable[[Mapping[str, Any]], None] | None = None,
    ) -> None:
        """Create the coordinator; :meth:`async_start` starts the flow of data."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.source = source
        self._engines = tuple(engines)
        self._home_zone = home_zone
        self.device_id: str | None = None
        self._store = store
        self._extra_save = extra_save
        #: The entry's title and data the vehicle was built from (a change reloads)
        #: and the options in force (a change applies live where it can).
        self.built_from: tuple[str, dict[str, Any]] = (entry.title, dict(entry.data))
        self.applied_options: dict[str, Any] = dict(applied_options or entry.options)
        #: Applies the source kind's own options live; None if they need a reload.
        self.apply_source_options = apply_source_options
        self._unsubs: list[CALLBACK_TYPE] = []
        self._unavailable: frozenset[Value] = frozenset()

    # -- life cycle --------------------------------------------------------

    @callback
    def async_start(self, device_id: str) -> None:
        """Start the source, the clocks and the zone watch."""
        self.device_id = device_id
        state = self.source.state
        # A fresh engine starts silently on its first usable fix; a restored
        # one takes the current state as its next fix, so a restart fires
        # exactly what the drive itself would have fired.
        conclusions = self._feed(state)
        self._note_availability(state)
        self.data = self._snapshot(state)
        if conclusions:
            self._store.async_save_then(self._save_data(), partial(self._fire, conclusions))
        self._unsubs.append(self._home_zone.async_listen(self._home_changed))
        self.source.start(self._on_state)
        if self.source.tick_interval:
            self._every(timedelta(seconds=self.source.tick_interval), self._tick, "tick")
        self._every(ENGINE_TICK, self._tick_engines, "engines")
        self._home_zone.async_start()

    def _every(self, interval: timedelta, action: Callable[[datetime], None], what: str) -> None:
        self._unsubs.append(
            async_track_time_interval(
                self.hass,
                action,
                interval,
                name=f"{DOMAIN} {self.config_entry.title} {what}",
                cancel_on_shutdown=True,
            )
        )

    async def async_shutdown(self) -> None:
        """Stop everything and save the state now."""
        await super().async_shutdown()
        while self._unsubs:
            self._unsubs.pop()()
        self._home_zone.async_stop()
        self.source.stop()
        await self._store.async_save(self._save_data())

    # -- data flow ---------------------------------------------------------

    @callback
    def _tick(self, now: datetime) -> None:
        self.source.tick(now)

    @callback
    def _tick_engines(self, now: datetime) -> None:
        """Let time pass for the engines; publish what that changed, if anything."""
        conclusions = [c for engine in self._engines for c in engine.tick(now)]
        # A result may change with time alone (a predicted departure passed).
        # The vehicle as last fed: the source may hold news it has not reported yet.
        vehicle = self.data.vehicle
        if conclusions or self._snapshot(vehicle) != self.data:
            self._publish(vehicle, conclusions)

    @callback
    def async_engines_changed(self) -> None:
        """Publish and save after an engine was changed from outside (an action, a holiday)."""
        self._publish(self.data.vehicle, [])

    async def _async_update_data(self) -> CarSnapshot:
        """Return the latest snapshot (``homeassistant.update_entity`` asks for it).

        The source pushes every change, so there is nothing to fetch: this
        only has to succeed, so that a requested update never marks the
        vehicle failed.
        """
        return self._snapshot(self.data.vehicle)

    @callback
    def async_set_updated_data(self, data: CarSnapshot) -> None:
        """Publish a pushed snapshot to the entities.

        The base class also logs "Manually updated" at debug level on every
        call, which for a car reporting every second drowns what matters; the
        debug log keeps one line per event and per availability change instead.
        With no update interval there is no scheduled refresh to reset.
        """
        self.data = data
        self.last_update_success = True
        self.async_update_listeners()

    def _snapshot(self, state: VehicleState) -> CarSnapshot:
        zone = self._home_zone
        results: dict[str, Any] = {engine.key: engine.result for engine in self._engines}
        return CarSnapshot(vehicle=state, home_zone=zone.entity_id, home=zone.home, **results)

    def _feed(self, state: VehicleState) -> list[Conclusion]:
        """Give every engine the state; the only place engines are fed."""
        now = state.timestamp
        return [c for engine in self._engines for c in engine.update(state, now)]

    def _note_availability(self, state: VehicleState) -> None:
        """Log once when the source's data goes and when it comes back."""
        before, self._unavailable = self._unavailable, state.unavailable
        if state.unavailable and not before:
            LOGGER.info(
                "%s: source data unavailable (%s)",
                self.config_entry.title,
                ", ".join(sorted(state.unavailable)),
            )
        elif before and not state.unavailable:
            LOGGER.info("%s: source data available again", self.config_entry.title)

    @callback
    def _on_state(self, state: VehicleState) -> None:
        conclusions = self._feed(state)
        self._note_availability(state)
        self._publish(state, conclusions)

    def _publish(self, state: VehicleState, conclusions: list[Conclusion]) -> None:
        self.async_set_updated_data(self._snapshot(state))
        if conclusions:
            # Written before announced: a power cut neither repeats nor loses it.
            self._store.async_save_then(self._save_data(), partial(self._fire, conclusions))
        else:
            self._store.async_schedule_save(self._save_data)

    def _fire(self, conclusions: list[Conclusion]) -> None:
        name = self.config_entry.title
        for conclusion in conclusions:
            data: dict[str, Any] = {
                "type": conclusion.type,
                "device_id": self.device_id,
                "vehicle": name,
                **conclusion.data,
            }
            LOGGER.debug("%s: %s", name, data)
            self.hass.bus.async_fire(EVENT_CAR_BRIDGE, data)

    def _save_data(self) -> dict[str, Any]:
        home = self._home_zone.last_known
        return {
            "vehicle": self.source.as_dict(),
            **{engine.key: engine.as_dict() for engine in self._engines},
            "home": {"latitude": home.latitude, "longitude": home.longitude, "radius": home.radius},
            **self._extra_save(),
        }

    @callback
    def _home_changed(self, home: Home | None) -> None:
        """Measure against the moved home; a zone change concludes nothing."""
        for engine in self._engines:
            engine.set_home(home)
        self.async_set_updated_data(self._snapshot(self.data.vehicle))

    # -- live options ------------------------------------------------------

    @callback
    def async_options_applied(self, options: Mapping[str, Any]) -> None:
        """Record options that were applied to the running vehicle, without a reload.

        Nothing goes unavailable and nothing is announced: the engines re-sync
        silently and entities write only values that changed.
        """
        self.applied_options = dict(options)
        self.async_set_updated_data(self._snapshot(self.data.vehicle))
        self._store.async_schedule_save(self._save_data)
        LOGGER.debug("%s: options applied without a reload", self.config_entry.title)

    async def async_publish_and_save(self, conclusions: Sequence[Conclusion] = ()) -> None:
        """Publish what an action changed in an engine; save it at once, then fire ``conclusions``.

        Saved before it returns (and before it is announced): a place held for
        the next trip survives a power cut the second after the action.
        """
        self.async_set_updated_data(self._snapshot(self.source.state))
        announced: asyncio.Future[None] = self.hass.loop.create_future()

        def _announce() -> None:
            self._fire(list(conclusions))
            announced.set_result(None)

        self._store.async_save_then(self._save_data(), _announce)
        await announced

    # -- commands ----------------------------------------------------------

    async def async_command(
        self, command: Command, run: Callable[[VehicleSource], Awaitable[None]]
    ) -> None:
        """Run a typed command on the source, translating its errors."""
        title = self.config_entry.title
        if not self.source.capabilities.accepts(command):
            raise ServiceValidationError(
                translation_domain=DOMAIN,
                translation_key="command_not_supported",
                translation_placeholders={"vehicle": title},
            )
        try:
            await run(self.source)
        except VehicleError as err:
            error = ServiceValidationError if err.user_error else HomeAssistantError
            raise error(
                translation_domain=DOMAIN,
                translation_key=err.key,
                translation_placeholders={"vehicle": title},
            ) from err
