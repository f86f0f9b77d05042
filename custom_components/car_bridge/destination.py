"""A destination from anything a phone shares, sent now or held for the next trip.

HA glue around the pure ``places`` room: short links are resolved by one
redirect lookup through Home Assistant's client session; a place held for the
next trip lives in the vehicle's :class:`~.places.destination.DestinationEngine`
(fed, saved with the vehicle and announced by the coordinator like every
engine), saved the moment an action changes it, so a restart loses nothing.
Coordinates reach the log only at DEBUG.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import aiohttp

from homeassistant.core import CALLBACK_TYPE, Event, HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError, ServiceValidationError
from homeassistant.helpers.aiohttp_client import async_get_clientsession
from homeassistant.helpers.translation import async_get_translations
from homeassistant.util import dt as dt_util

from .const import DOMAIN, EVENT_CAR_BRIDGE, LOGGER, WHEN_NEXT_TRIP
from .coordinator import CarBridgeCoordinator
from .places import Place, PlaceError, PlaceErrorReason, is_short_link, parse_place
from .places.destination import (
    DESTINATION_SENT,
    Destination,
    DestinationEngine,
    Status,
)
from .vehicle.model import Command

SHORT_LINK_TIMEOUT_S = 10
#: Redirects followed at most (goo.gl/maps -> maps.app.goo.gl -> google.com/maps).
MAX_REDIRECTS = 3
#: Where a short-link host is asked instead of itself (host -> "scheme://host:port").
#: Empty in production: every short link is asked at its own host. The tests
#: point hosts at a real redirect server on loopback (no network beyond it).
SHORT_LINK_ORIGINS: dict[str, str] = {}
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
            _lookup_url(url),
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


def _lookup_url(url: str) -> str:
    """Return the URL to ask for a short link (its own, unless its host is mapped)."""
    parts = urlsplit(url)
    origin = SHORT_LINK_ORIGINS.get((parts.hostname or "").lower())
    if origin is None:
        return url
    base = urlsplit(origin)
    return urlunsplit((base.scheme, base.netloc, parts.path, parts.query, ""))


async def async_find_place(hass: HomeAssistant, text: str) -> dict[str, Any]:
    """Return what a shared text names, or why it names nothing (for a notification)."""
    try:
        place = await async_resolve_place(hass, text)
    except ServiceValidationError as err:
        key = err.translation_key or "place_no_coordinates"
        translations = await async_get_translations(
            hass, hass.config.language, "exceptions", {DOMAIN}
        )
        prefix = f"component.{DOMAIN}.exceptions.{key}"
        message = translations.get(f"{prefix}.message") or translations.get(prefix, key)
        return {"found": False, "error": key, "message": message}
    return {
        "found": True,
        "name": place.name,
        "address": place.address,
        "latitude": round(place.latitude, 6),
        "longitude": round(place.longitude, 6),
        "source": place.origin,
        "converted_from": place.converted_from.value if place.converted_from else None,
    }


class DestinationHolder:
    """One vehicle's destination actions, and the delivery of a held one.

    The :class:`DestinationEngine` is one of the vehicle's engines: the
    coordinator feeds it, saves it with the vehicle and fires its
    ``destination_sent`` when the car is next in use (written before
    announced); this holder then sends the place to the car.
    """

    def __init__(
        self, hass: HomeAssistant, coordinator: CarBridgeCoordinator, engine: DestinationEngine
    ) -> None:
        """Create the holder; :meth:`async_start` starts delivering."""
        self.hass = hass
        self.coordinator = coordinator
        self.engine = engine
        self._unsub: CALLBACK_TYPE | None = None
        self._delivering: set[asyncio.Task[None]] = set()

    @property
    def title(self) -> str:
        """Return the vehicle's name."""
        return self.coordinator.config_entry.title

    @callback
    def async_start(self) -> None:
        """Deliver what the engine concludes from now on."""
        self._unsub = self.hass.bus.async_listen(
            EVENT_CAR_BRIDGE, self._on_event, event_filter=self._is_delivery
        )

    async def async_stop(self) -> None:
        """Stop delivering; finish what is being delivered."""
        if self._unsub is not None:
            self._unsub()
            self._unsub = None
        if self._delivering:
            await asyncio.gather(*self._delivering, return_exceptions=True)

    # -- actions ----------------------------------------------------------------

    async def async_hold(
        self, place: Place, *, text: str | None, expires_after: timedelta | None = None
    ) -> None:
        """Hold a place for the next trip (replacing a held one); saved before it returns."""
        now = dt_util.utcnow()
        state = self.coordinator.source.state
        self.engine.hold(place, state, now, text=text, expires_after=expires_after)
        LOGGER.info("%s: destination %s held for the next trip", self.title, place.name or "-")
        LOGGER.debug("%s: held at %s, %s", self.title, place.latitude, place.longitude)
        await self.coordinator.async_publish_and_save()

    async def async_send_now(self, place: Place, *, text: str | None) -> None:
        """Send a place to the car now."""
        await self._async_navigate(place, text)
        # Every delivery is announced (when: now), after it is saved; only
        # the name reaches the INFO log, the coordinates only DEBUG.
        sent = self.engine.sent_now(place, dt_util.utcnow(), text=text)
        LOGGER.info("%s: destination %s sent now", self.title, place.name or "-")
        await self.coordinator.async_publish_and_save([sent])

    async def async_clear(self) -> None:
        """Forget the held destination."""
        if self.engine.clear():
            await self.coordinator.async_publish_and_save()

    # -- delivery ---------------------------------------------------------------

    @callback
    def _is_delivery(self, data: Mapping[str, Any]) -> bool:
        return (
            data.get("type") == DESTINATION_SENT
            and data.get("when") == WHEN_NEXT_TRIP
            and data.get("device_id") == self.coordinator.device_id
        )

    @callback
    def _on_event(self, event: Event[Mapping[str, Any]]) -> None:
        destination = self.engine.result
        if destination is None or destination.status is not Status.SENT:
            return
        task = self.hass.async_create_task(self._async_deliver(destination))
        self._delivering.add(task)
        task.add_done_callback(self._delivering.discard)

    async def _async_deliver(self, destination: Destination) -> None:
        try:
            await self._async_navigate(destination.place, destination.text)
        except HomeAssistantError as err:
            # The car refused (a script error, the car offline): keep it for the next use.
            LOGGER.warning("%s: the held destination could not be sent: %s", self.title, err)
            self.engine.undo_delivery(destination)
            await self.coordinator.async_publish_and_save()

    async def _async_navigate(self, place: Place, text: str | None) -> None:
        name = place.name or f"{place.latitude:.5f}, {place.longitude:.5f}"
        await self.coordinator.async_command(
            Command.NAVIGATE,
            lambda source: source.async_navigate_to(
                place.latitude, place.longitude, name, address=place.address, text=text
            ),
        )
