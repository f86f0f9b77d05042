"""Push-driven coordinator: one per vehicle.

The source decides when there is news; each new :class:`VehicleState` goes
through the approach engine, then to the entities (which write only on
change), then out as ``car_bridge_event`` events.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from homeassistant.const import ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import (
    async_track_state_change_event,
    async_track_time_interval,
)
from homeassistant.helpers.update_coordinator import DataUpdateCoordinator

from .approach.engine import (
    ApproachConfig,
    ApproachEngine,
    ApproachEvent,
    ApproachState,
    Home,
)
from .const import DOMAIN, EVENT_CAR_BRIDGE, LOGGER
from .data import CarBridgeConfigEntry
from .hub import DeviceWatch, get_hub
from .storage import CarBridgeStore
from .vehicle.energy import EnergyResult
from .vehicle.engines import Engine
from .vehicle.model import Command, Value, VehicleError, VehicleState
from .vehicle.source import VehicleSource


@dataclass(frozen=True, slots=True)
class CarSnapshot:
    """The vehicle as reported and as the approach engine sees it."""

    vehicle: VehicleState
    #: None until the source gave a first usable fix.
    approach: ApproachState | None
    #: The energy meter's result (None without one).
    energy: EnergyResult | None = None


def zone_home(hass: HomeAssistant, zone_entity_id: str) -> Home | None:
    """Return the zone's centre and radius, or None if it does not exist."""
    state = hass.states.get(zone_entity_id)
    if state is None:
        return None
    try:
        return Home(
            float(state.attributes[ATTR_LATITUDE]),
            float(state.attributes[ATTR_LONGITUDE]),
            float(state.attributes.get("radius", 0.0)),
        )
    except KeyError, TypeError, ValueError:
        return None


def zone_issue_id(entry_id: str) -> str:
    """Return the repair issue id for a missing home zone."""
    return f"home_zone_missing_{entry_id}"


class CarBridgeCoordinator(DataUpdateCoordinator[CarSnapshot]):
    """Wires one vehicle source to the approach engine and the entities."""

    config_entry: CarBridgeConfigEntry

    def __init__(
        self,
        hass: HomeAssistant,
        entry: CarBridgeConfigEntry,
        *,
        source: VehicleSource,
        engine: ApproachEngine,
        store: CarBridgeStore,
        zone_entity_id: str,
        extra_save: Callable[[], dict[str, Any]],
        applied_options: Mapping[str, Any] | None = None,
        apply_source_options: Callable[[Mapping[str, Any]], None] | None = None,
        engines: Sequence[Engine] = (),
    ) -> None:
        """Create the coordinator; :meth:`async_start` starts the flow of data."""
        super().__init__(hass, LOGGER, config_entry=entry, name=entry.title, update_interval=None)
        self.source = source
        self.engine = engine
        #: The pure engines beside the approach engine (the energy meter), fed after it.
        self.engines = tuple(engines)
        self.zone_entity_id = zone_entity_id
        self.device_id: str | None = None
        self._watch: DeviceWatch | None = None
        self._store = store
        self._extra_save = extra_save
        #: The entry's title and data the vehicle was built from (a change reloads)
        #: and the options in force (a change applies live where it can).
        self.built_from: tuple[str, dict[str, Any]] = (entry.title, dict(entry.data))
        self.applied_options: dict[str, Any] = dict(applied_options or entry.options)
        #: Applies the source kind's own options live; None if they need a reload.
        self.apply_source_options = apply_source_options
        self._unsubs: list[CALLBACK_TYPE] = []
        self._zone_unsub: CALLBACK_TYPE | None = None
        self._unavailable: frozenset[Value] = frozenset()
        #: Unique ids of the entities the platforms created for this source.
        self.entity_unique_ids: set[str] = set()

    # -- life cycle --------------------------------------------------------

    @callback
    def async_start(self, device_id: str) -> None:
        """Start the source, the clock and the zone watch."""
        self.device_id = device_id
        watch = self._watch = get_hub(self.hass).watch(device_id)
        watch.listener = self._sync_triggers
        self._sync_triggers()
        state = self.source.state
        # A fresh engine starts silently on its first usable fix; a restored
        # one takes the current state as its next fix, so a restart fires
        # exactly what the drive itself would have fired.
        restored = self.engine.state is not None
        events = self._feed(state)
        self._note_availability(state)
        self.data = self._snapshot(state)
        if restored and events:
            self._store.async_save_then(self._save_data(), partial(self._fire, events))
        if self.engine.state is not None:
            for watcher in watch.eta:
                watcher.update(self.engine.state)
        self.source.start(self._on_state)
        if self.source.tick_interval:
            self._unsubs.append(
                async_track_time_interval(
                    self.hass,
                    self._tick,
                    timedelta(seconds=self.source.tick_interval),
                    name=f"{DOMAIN} {self.config_entry.title} tick",
                    cancel_on_shutdown=True,
                )
            )
        self._track_zone()

    async def async_shutdown(self) -> None:
        """Stop everything and save the state now."""
        await super().async_shutdown()
        while self._unsubs:
            self._unsubs.pop()()
        if self._zone_unsub is not None:
            self._zone_unsub()
            self._zone_unsub = None
        self.source.stop()
        if self._watch is not None and self.device_id is not None:
            self._watch.listener = None
            get_hub(self.hass).release(self.device_id)
        await self._store.async_save(self._save_data())

    # -- data flow ---------------------------------------------------------

    @callback
    def _tick(self, now: datetime) -> None:
        self.source.tick(now)

    async def _async_update_data(self) -> CarSnapshot:
        """Return the latest snapshot (``homeassistant.update_entity`` asks for it).

        The source pushes every change, so there is nothing to fetch: this
        only has to succeed, so that a requested update never marks the
        vehicle failed.
        """
        return self._snapshot(self.source.state)

    def _snapshot(self, state: VehicleState) -> CarSnapshot:
        energy = next((e.result for e in self.engines if e.key == "energy"), None)
        return CarSnapshot(state, self.engine.state, energy)

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

    def _feed(self, state: VehicleState) -> list[ApproachEvent]:
        """Give the engines the state (the approach engine its fix); the only place they are fed."""
        events = self._feed_approach(state)
        for engine in self.engines:
            # The energy meter concludes nothing; its result is on the snapshot.
            engine.update(state, state.timestamp)
        return events

    def _feed_approach(self, state: VehicleState) -> list[ApproachEvent]:
        if state.position is None:
            return []
        # A Position is a fix as the engine reads it: a missing (or 0) accuracy
        # counts as unknown, not perfect; speed and heading are used when known.
        events = self.engine.update(state.position, state.fix_time or state.timestamp)
        if state.fix_time is not None and state.timestamp > state.fix_time:
            # Other values came later than the fix: time passed without a move.
            self.engine.note_time(state.timestamp)
        return events

    def _note_availability(self, state: VehicleState) -> bool:
        """Log once when the source's data goes and comes back; True if the fix came back."""
        before, self._unavailable = self._unavailable, state.unavailable
        if state.unavailable and not before:
            LOGGER.info(
                "%s: source data unavailable (%s)",
                self.config_entry.title,
                ", ".join(sorted(state.unavailable)),
            )
        elif before and not state.unavailable:
            LOGGER.info("%s: source data available again", self.config_entry.title)
        return Value.POSITION in before and Value.POSITION not in state.unavailable

    @callback
    def _on_state(self, state: VehicleState) -> None:
        had_fix = self.engine.state is not None
        events = self._feed(state)
        if self._note_availability(state) or not had_fix:
            # Coming back (or a first fix) is never an arrival or a departure.
            events = []
        approach = self.engine.state
        self.async_set_updated_data(self._snapshot(state))
        if events:
            # Written before announced: a power cut neither repeats nor loses it.
            self._store.async_save_then(self._save_data(), partial(self._fire, events))
        else:
            self._store.async_schedule_save(self._save_data)
        if self._watch is not None and approach is not None:
            for watcher in list(self._watch.eta):
                watcher.update(approach)

    def _fire(self, events: list[ApproachEvent]) -> None:
        name = self.config_entry.title
        for event in events:
            data: dict[str, Any] = {
                "type": event.type.value,
                "device_id": self.device_id,
                "vehicle": name,
                "distance_km": event.distance_km,
            }
            if event.threshold_km is not None:
                data["threshold_km"] = event.threshold_km
            LOGGER.debug("%s: %s", name, data)
            self.hass.bus.async_fire(EVENT_CAR_BRIDGE, data)

    @callback
    def _sync_triggers(self) -> None:
        assert self._watch is not None
        self.engine.set_extra_thresholds(self._watch.thresholds)

    def _save_data(self) -> dict[str, Any]:
        return {
            "vehicle": self.source.as_dict(),
            "approach": self.engine.as_dict(),
            **{engine.key: engine.as_dict() for engine in self.engines},
            "home": {
                "latitude": self.engine.home.latitude,
                "longitude": self.engine.home.longitude,
                "radius": self.engine.home.radius,
            },
            **self._extra_save(),
        }

    # -- home zone ---------------------------------------------------------

    @callback
    def _zone_changed(self, event: Event[EventStateChangedData]) -> None:
        home = zone_home(self.hass, self.zone_entity_id)
        if home is None:
            LOGGER.warning(
                "%s: home zone %s was removed; nothing counts as home until it is back",
                self.config_entry.title,
                self.zone_entity_id,
            )
            create_zone_issue(self.hass, self.config_entry, self.zone_entity_id)
            self.set_home(None)
            return
        ir.async_delete_issue(self.hass, DOMAIN, zone_issue_id(self.config_entry.entry_id))
        self.set_home(home)

    @callback
    def _track_zone(self) -> None:
        if self._zone_unsub is not None:
            self._zone_unsub()
        self._zone_unsub = async_track_state_change_event(
            self.hass, [self.zone_entity_id], self._zone_changed
        )

    # -- live options ------------------------------------------------------

    @callback
    def async_apply_options(
        self,
        options: Mapping[str, Any],
        *,
        approach: ApproachConfig,
        zone_entity_id: str,
        source_options_changed: bool = False,
    ) -> None:
        """Apply new options to the running vehicle, without a reload.

        Nothing goes unavailable and nothing is announced: new thresholds start
        from where the car is now (a threshold it is already inside does not
        fire late), a new home re-initialises the engine silently, and entities
        write only values that changed.
        """
        self.engine.config = approach
        if self._watch is not None:
            self._sync_triggers()  # re-syncs the crossings with the new thresholds
        if source_options_changed and self.apply_source_options is not None:
            self.apply_source_options(options)
        if zone_entity_id != self.zone_entity_id:
            ir.async_delete_issue(self.hass, DOMAIN, zone_issue_id(self.config_entry.entry_id))
            self.zone_entity_id = zone_entity_id
            self._track_zone()
            if (home := zone_home(self.hass, zone_entity_id)) is None:
                # As when the zone is deleted: nothing counts as home until it exists.
                create_zone_issue(self.hass, self.config_entry, zone_entity_id)
            self.set_home(home)
        self.applied_options = dict(options)
        self._store.async_schedule_save(self._save_data)
        LOGGER.debug("%s: options applied without a reload", self.config_entry.title)

    def set_home(self, home: Home | None) -> None:
        """Measure against a new home; None while the home zone is deleted."""
        self.engine.set_home(home)
        for engine in self.engines:
            engine.set_home(home)
        if home is not None:
            self.source.set_home(home.latitude, home.longitude, home.radius)
        self.async_set_updated_data(self._snapshot(self.source.state))

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


@callback
def create_zone_issue(hass: HomeAssistant, entry: CarBridgeConfigEntry, zone: str) -> None:
    """Tell the user the home zone is gone and how to fix it."""
    ir.async_create_issue(
        hass,
        DOMAIN,
        zone_issue_id(entry.entry_id),
        is_fixable=False,
        severity=ir.IssueSeverity.WARNING,
        translation_key="home_zone_missing",
        translation_placeholders={"vehicle": entry.title, "zone": zone},
    )
