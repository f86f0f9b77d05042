"""The home zone of one vehicle: where it is, whether it exists, and its repair issue.

:class:`HomeZone` is the one place that reads a zone entity's centre and
radius and the one owner of the "home zone missing" repair issue. It watches
its zone entity and tells its listeners (the coordinator, a simulated car) the
new :class:`Home`, or None while the zone is deleted; it knows nothing of the
entry's runtime data or the coordinator.
"""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.const import ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    callback,
)
from homeassistant.helpers import issue_registry as ir
from homeassistant.helpers.event import async_track_state_change_event

from .approach.model import Home
from .const import DOMAIN, LOGGER

type HomeListener = Callable[[Home | None], None]


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


class HomeZone:
    """Watches one vehicle's home zone; gives ``Home | None``.

    :attr:`last_known` is where home was last seen (the saved home, or Home
    Assistant's location, if the zone never existed during this run): distances
    keep referring to it while the zone is deleted.
    """

    def __init__(
        self,
        hass: HomeAssistant,
        *,
        entry_id: str,
        vehicle: str,
        entity_id: str,
        fallback: Home | None = None,
    ) -> None:
        """Read the zone now and raise or clear the repair issue accordingly."""
        self._hass = hass
        self._entry_id = entry_id
        self._vehicle = vehicle
        self._listeners: list[HomeListener] = []
        self._unsub: CALLBACK_TYPE | None = None
        self.entity_id = entity_id
        self.home = zone_home(hass, entity_id)
        self.last_known: Home = (
            self.home
            or fallback
            or Home(hass.config.latitude, hass.config.longitude, hass.config.radius)
        )
        self._sync_issue(self.home)

    @callback
    def async_listen(self, listener: HomeListener) -> CALLBACK_TYPE:
        """Call ``listener`` with the new home whenever it moves, resizes or goes."""
        self._listeners.append(listener)

        @callback
        def remove() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return remove

    @callback
    def async_start(self) -> None:
        """Start watching the zone entity."""
        self._track()

    @callback
    def async_stop(self) -> None:
        """Stop watching; listeners are dropped."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        self._listeners.clear()

    @callback
    def async_set_entity(self, entity_id: str) -> None:
        """Use another zone entity as home (the options changed)."""
        if entity_id == self.entity_id:
            return
        ir.async_delete_issue(self._hass, DOMAIN, zone_issue_id(self._entry_id))
        self.entity_id = entity_id
        if self._unsub is not None:
            self._track()
        self._update()

    def _track(self) -> None:
        if self._unsub is not None:
            self._unsub()
        self._unsub = async_track_state_change_event(
            self._hass, [self.entity_id], self._zone_changed
        )

    @callback
    def _zone_changed(self, event: Event[EventStateChangedData]) -> None:
        if zone_home(self._hass, self.entity_id) is None:
            LOGGER.warning(
                "%s: home zone %s was removed; nothing counts as home until it is back",
                self._vehicle,
                self.entity_id,
            )
        self._update()

    def _update(self) -> None:
        home = zone_home(self._hass, self.entity_id)
        self._sync_issue(home)
        if home == self.home:
            return
        self.home = home
        if home is not None:
            self.last_known = home
        for listener in list(self._listeners):
            listener(home)

    def _sync_issue(self, home: Home | None) -> None:
        if home is not None:
            ir.async_delete_issue(self._hass, DOMAIN, zone_issue_id(self._entry_id))
            return
        ir.async_create_issue(
            self._hass,
            DOMAIN,
            zone_issue_id(self._entry_id),
            is_fixable=False,
            severity=ir.IssueSeverity.WARNING,
            translation_key="home_zone_missing",
            translation_placeholders={"vehicle": self._vehicle, "zone": self.entity_id},
        )
