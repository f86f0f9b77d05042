"""A destination from anything a phone shares, sent now or held for the next trip.

HA glue around the pure ``places`` room: short links are resolved by one
redirect lookup through Home Assistant's client session; a place held for the
next trip lives in a :class:`~.places.destination.DestinationEngine` fed with
every state of the vehicle, saved to ``.storage/car_bridge.<entry_id>.destination``
the moment it changes (held, delivered, cleared), so a restart loses nothing.
Coordinates reach the log only at DEBUG.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import aiohttp

from homeassistant.core import CALLBACK_TYPE, HomeAssistant, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.event import async_track_time_interval
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_CAR_BRIDGE, LOGGER
from .coordinator import CarBridgeCoordinator
from .places import Place, PlaceError, PlaceErrorReason, is_short_link, parse_place
from .places.destination import DEFAULT_EXPIRY, Destination, DestinationEngine
from .vehicle.engines import Conclusion
from .vehicle.model import Command

SHORT_LINK_TIMEOUT_S = 10
#: Redirects followed at most (goo.gl/maps -> maps.app.goo.gl -> google.com/maps).
MAX_REDIRECTS = 3
TICK = timedelta(minutes=1)
_STORE_VERSION = 1
_ERRORS = {
    PlaceErrorReason.EMPTY: "place_empty",
    PlaceErrorReason.NO_COORDINATES: "place_no_coordinates",
    PlaceErrorReason.SHORT_LINK: "place_short_link_unresolved",
    PlaceErrorReason.OUT_OF_RANGE: "place_out_of_range",
    PlaceErrorReason.UNKNOWN_DATUM: "place_unknown_datum",
}


def place_error(err: PlaceError) -> ServiceValidationError:
    """Return the translated error that says why a text names no place."""
    return ServiceValidationError(translation_domain=DOMAIN, translation_key=_ERRORS[err.reason])


async def async_resolve_place(
    hass: HomeAssistant, text: str, *, name: str | None = None, address: str | None = None
) -> Place:
    """Return the place a shared text or link names, looking short links up once."""
    try:
        return parse_place(text, name=name, address=address)
    except PlaceError as err:
        if err.reason is not PlaceErrorReason.SHORT_LINK or err.url is None:
            raise place_error(err) from err
        short = err.url
    url = short
    for _ in range(MAX_REDIRECTS):
        url = await _async_redirect(hass, url)
        if not is_short_link(url):
            break
    try:
        # The shared text's own lines still give the name and the address.
        return parse_place(text.replace(short, url), name=name, address=address)
    except PlaceError as err:
        raise place_error(err) from err


async def _async_redirect(hass: HomeAssistant, url: str) -> str:
    """Return where a short link points, without following it further."""
    session = async_get_clientsession(hass)
    try:
        async with session.get(
            url,
            allow_redirects=False,
            timeout=aiohttp.ClientTimeout(total=SHORT_LINK_TIMEOUT_S),
        ) as response:
            location = response.headers.get("Location")
    except (aiohttp.ClientError, TimeoutError) as err:
        LOGGER.debug("Short link lookup failed: %s", err)
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="place_short_link_offline"
        ) from err
    if not location:
        raise ServiceValidationError(
            translation_domain=DOMAIN, translation_key="place_no_coordinates"
        )
    return location


class DestinationHolder:
    """One vehicle's destination: sent now, or held until it is next in use."""

    def __init__(self, hass: HomeAssistant, coordinator: CarBridgeCoordinator) -> None:
        """Create the holder; :meth:`async_start` loads and starts it."""
        self.hass = hass
        self.coordinator = coordinator
        self.engine = DestinationEngine()
        entry_id = coordinator.config_entry.entry_id
        self._store: Store[dict[str, Any]] = Store(hass, _STORE_VERSION, store_key(entry_id))
        self._listeners: list[Callable[[], None]] = []
        self._unsubs: list[CALLBACK_TYPE] = []
        self._delivering: set[asyncio.Task[None]] = set()

    @property
    def title(self) -> str:
        """Return the vehicle's name."""
        return self.coordinator.config_entry.title

    async def async_start(self) -> None:
        """Restore the held destination and follow the vehicle."""
        saved: Any = await self._store.async_load()
        discarded = self.engine.restore(
            saved.get("destination") if isinstance(saved, dict) else None
        )
        if saved is not None and not isinstance(saved, dict):
            discarded = ["destination"]
        if discarded:
            LOGGER.warning(
                "%s: saved destination could not be fully trusted: %s",
                self.title,
                ", ".join(discarded),
            )
        self._unsubs.append(self.coordinator.async_add_listener(self._on_update))
        self._unsubs.append(
            async_track_time_interval(
                self.hass, self._tick, TICK, name=f"{DOMAIN} destination", cancel_on_shutdown=True
            )
        )
        self._on_update()  # the state now may already say "in use"

    async def async_stop(self) -> None:
        """Stop following the vehicle and finish what is being delivered."""
        while self._unsubs:
            self._unsubs.pop()()
        if self._delivering:
            await asyncio.gather(*self._delivering, return_exceptions=True)

    @callback
    def async_add_listener(self, listener: Callable[[], None]) -> CALLBACK_TYPE:
        """Call ``listener`` whenever the shown destination changes."""
        self._listeners.append(listener)
        return lambda: self._listeners.remove(listener)

    def _changed(self) -> None:
        for listener in list(self._listeners):
            listener()

    async def _async_save(self) -> None:
        await self._store.async_save({"destination": self.engine.as_dict()})

    # -- actions ----------------------------------------------------------------

    async def async_hold(
        self, place: Place, *, text: str | None, expires_after: timedelta = DEFAULT_EXPIRY
    ) -> None:
        """Hold a place for the next trip (replacing a held one); saved before it returns."""
        self.engine.hold(
            place,
            self.coordinator.source.state,
            dt_util.utcnow(),
            text=text,
            expires_after=expires_after,
        )
        LOGGER.info(
            "%s: destination %s held for the next trip", self.title, place.name or "(unnamed)"
        )
        LOGGER.debug("%s: held at %s, %s", self.title, place.latitude, place.longitude)
        await self._async_save()
        self._changed()

    async def async_send_now(self, place: Place, *, text: str | None) -> None:
        """Send a place to the car now."""
        await self._async_navigate(place, text)
        conclusion = self.engine.sent_now(place, dt_util.utcnow(), text=text)
        await self._async_save()
        self._fire(conclusion)
        self._changed()

    async def async_clear(self) -> bool:
        """Forget the held destination; return whether there was one."""
        if not self.engine.clear():
            return False
        await self._async_save()
        self._changed()
        return True

    # -- following the vehicle -----------------------------------------------------

    @callback
    def _on_update(self) -> None:
        held = self.engine.pending
        if held is None:
            return
        conclusions = self.engine.update(self.coordinator.source.state, dt_util.utcnow())
        if conclusions:
            task = self.hass.async_create_task(self._async_deliver(held, list(conclusions)))
            self._delivering.add(task)
            task.add_done_callback(self._delivering.discard)
        elif self.engine.pending is None:  # it expired
            self.hass.async_create_task(self._async_save())
            self._changed()

    @callback
    def _tick(self, now: datetime) -> None:
        held = self.engine.pending
        if held is None:
            return
        self.engine.tick(now)
        if self.engine.pending is not held:
            LOGGER.info("%s: the held destination expired unsent", self.title)
            self.hass.async_create_task(self._async_save())
            self._changed()

    async def _async_deliver(self, held: Destination, conclusions: list[Conclusion]) -> None:
        # Saved as sent before it is sent: a power cut never sends it twice.
        await self._async_save()
        try:
            await self._async_navigate(held.place, held.text)
        except Exception as err:
            LOGGER.warning("%s: the held destination could not be sent: %s", self.title, err)
            self.engine.undo_delivery(held)
            await self._async_save()
            self._changed()
            return
        for conclusion in conclusions:
            self._fire(conclusion)
        self._changed()

    async def _async_navigate(self, place: Place, text: str | None) -> None:
        name = place.name or f"{place.latitude:.5f}, {place.longitude:.5f}"
        await self.coordinator.async_command(
            Command.NAVIGATE,
            lambda source: source.async_navigate_to(
                place.latitude, place.longitude, name, address=place.address, text=text
            ),
        )

    def _fire(self, conclusion: Conclusion) -> None:
        data = {
            "type": conclusion.type,
            "device_id": self.coordinator.device_id,
            "vehicle": self.title,
            **conclusion.data,
        }
        LOGGER.debug("%s: %s", self.title, data)
        self.hass.bus.async_fire(EVENT_CAR_BRIDGE, data)


def store_key(entry_id: str) -> str:
    """Return the storage key of a vehicle's destination."""
    return f"{DOMAIN}.{entry_id}.destination"


async def async_remove_destination(hass: HomeAssistant, entry_id: str) -> None:
    """Forget a removed vehicle's destination."""
    await Store[dict[str, Any]](hass, _STORE_VERSION, store_key(entry_id)).async_remove()
