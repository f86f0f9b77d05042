"""Actions of Car Bridge."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import (
    ATTR_AREA_ID,
    ATTR_DEVICE_ID,
    ATTR_ENTITY_ID,
    ATTR_FLOOR_ID,
    ATTR_LABEL_ID,
    ATTR_LATITUDE,
    ATTR_LONGITUDE,
)
from homeassistant.core import (
    HomeAssistant,
    ServiceCall,
    ServiceResponse,
    SupportsResponse,
    callback,
)
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids

from .const import (
    ATTR_ADDRESS,
    ATTR_EXPIRES_AFTER,
    ATTR_NAME,
    ATTR_TEXT,
    ATTR_URL,
    ATTR_WHEN,
    ATTR_ZONE,
    DOMAIN,
    SERVICE_CLEAR_DESTINATION,
    SERVICE_FIND_PLACE,
    SERVICE_SEND_DESTINATION,
    SERVICE_SKIP_NEXT_DEPARTURE,
    WHEN_NEXT_TRIP,
    WHEN_NOW,
)
from .coordinator import CarBridgeCoordinator
from .data import CarBridgeConfigEntry
from .destination import DestinationHolder, async_find_place, async_resolve_place
from .places import Place
from .vehicle import trust
from .vehicle.model import Command
from .zone import zone_home

#: The longest a destination may be held for the next trip.
MAX_EXPIRES_AFTER = timedelta(days=7)

# Values are checked in the handler, so that every mistake (a boolean, a list
# or a dict for a number too) gets a translated ServiceValidationError rather
# than a bare schema error or a silent coercion of true to 1.0.
SEND_DESTINATION_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_ENTITY_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_AREA_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_FLOOR_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_LABEL_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_LATITUDE): cv.match_all,
        vol.Optional(ATTR_LONGITUDE): cv.match_all,
        vol.Optional(ATTR_ZONE): cv.match_all,
        vol.Optional(ATTR_TEXT): cv.match_all,
        vol.Optional(ATTR_URL): cv.match_all,
        vol.Optional(ATTR_NAME): cv.match_all,
        vol.Optional(ATTR_ADDRESS): cv.match_all,
        vol.Optional(ATTR_WHEN): cv.match_all,
        vol.Optional(ATTR_EXPIRES_AFTER): cv.match_all,
    },
    extra=vol.ALLOW_EXTRA,
)
CLEAR_DESTINATION_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_ENTITY_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_AREA_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_FLOOR_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_LABEL_ID): vol.All(cv.ensure_list, [cv.string]),
    },
    extra=vol.ALLOW_EXTRA,
)


def _error(key: str, **placeholders: str) -> ServiceValidationError:
    return ServiceValidationError(
        translation_domain=DOMAIN,
        translation_key=key,
        translation_placeholders=placeholders or None,
    )


def _coordinators(hass: HomeAssistant, call: ServiceCall) -> list[CarBridgeCoordinator]:
    """Return the loaded vehicles the call targets, or raise."""
    device_ids: list[str] = list(call.data.get(ATTR_DEVICE_ID, []))
    ent_reg = er.async_get(hass)
    for entity_id in call.data.get(ATTR_ENTITY_ID, []):
        entity = ent_reg.async_get(entity_id)
        if entity is None or entity.platform != DOMAIN or entity.device_id is None:
            raise _error("invalid_device", device=entity_id)
        device_ids.append(entity.device_id)
    dev_reg = dr.async_get(hass)
    grouped = TargetSelection(
        {
            key: call.data[key]
            for key in (ATTR_AREA_ID, ATTR_FLOOR_ID, ATTR_LABEL_ID)
            if key in call.data
        }
    )
    if grouped.has_any_target:
        # Areas, floors and labels hold other things too: take their vehicles.
        selected = async_extract_referenced_entity_ids(hass, grouped)
        vehicles = [
            device_id
            for device_id in sorted(selected.referenced_devices)
            if (device := dev_reg.async_get(device_id)) is not None
            and any(domain == DOMAIN for domain, _ in device.identifiers)
        ]
        for entity_id in sorted(selected.indirectly_referenced):
            entity = ent_reg.async_get(entity_id)
            if entity is not None and entity.platform == DOMAIN and entity.device_id:
                vehicles.append(entity.device_id)
        if not vehicles:
            raise _error("no_vehicle_in_target")
        device_ids.extend(vehicles)
    if not device_ids:
        raise _error("no_device")
    coordinators: list[CarBridgeCoordinator] = []
    for device_id in dict.fromkeys(device_ids):
        device = dev_reg.async_get(device_id)
        entry: CarBridgeConfigEntry | None = None
        if device is not None:
            candidate = hass.config_entries.async_get_entry(device.config_entry_id)
            if candidate is not None and candidate.domain == DOMAIN:
                entry = candidate
        if entry is None:
            raise _error("invalid_device", device=device_id)
        if entry.state is not ConfigEntryState.LOADED:
            raise _error("vehicle_not_loaded", vehicle=entry.title)
        coordinators.append(entry.runtime_data.coordinator)
    return coordinators


def _coordinate(value: Any) -> Any:
    """Return a number given as text as a float; anything else unchanged."""
    if isinstance(value, str):
        try:
            return float(value.strip())
        except ValueError:
            return None
    return value


def _optional_text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise _error("invalid_destination")
    return value.strip() or None


async def _destination(hass: HomeAssistant, data: dict[str, Any]) -> tuple[Place, str | None]:
    """Return the destination and the text it was shared as (if any)."""
    lat, lon, zone = data.get(ATTR_LATITUDE), data.get(ATTR_LONGITUDE), data.get(ATTR_ZONE)
    name, address = _optional_text(data, ATTR_NAME), _optional_text(data, ATTR_ADDRESS)
    text, url = _optional_text(data, ATTR_TEXT), _optional_text(data, ATTR_URL)
    has_point = lat is not None or lon is not None
    if zone is not None and not isinstance(zone, str):
        raise _error("invalid_destination")
    given = [has_point, bool(zone), text is not None or url is not None]
    if sum(given) != 1 or (text is not None and url is not None):
        raise _error("invalid_destination")
    if text is not None or url is not None:
        shared = text or url
        assert shared is not None
        return await async_resolve_place(hass, shared, name=name, address=address), shared
    if zone:
        if not zone.startswith("zone.") or (home := zone_home(hass, zone)) is None:
            raise _error("zone_not_found", zone=zone)
        state = hass.states.get(zone)
        zone_name = state.name if state is not None else zone
        place = Place(
            latitude=home.latitude,
            longitude=home.longitude,
            name=name or zone_name,
            address=address,
            origin="zone",
        )
        return place, None
    # trust.coordinates refuses booleans, lists, dicts, NaN and out-of-range values.
    point = trust.coordinates(_coordinate(lat), _coordinate(lon))
    if point is None:
        raise _error("invalid_coordinates")
    latitude, longitude = point
    place = Place(
        latitude=latitude,
        longitude=longitude,
        name=name or f"{latitude:.5f}, {longitude:.5f}",
        address=address,
        origin="coordinates",
    )
    return place, None


def _expires_after(data: dict[str, Any]) -> timedelta | None:
    """Return the held destination's time to live; None: the vehicle's option."""
    value = data.get(ATTR_EXPIRES_AFTER)
    if value is None:
        return None
    if isinstance(value, dict):
        try:
            value = cv.time_period_dict(value)
        except vol.Invalid:
            raise _error("invalid_expires_after") from None
    elif isinstance(value, int | float) and not isinstance(value, bool):
        value = timedelta(hours=value)
    if not isinstance(value, timedelta) or not timedelta(0) < value <= MAX_EXPIRES_AFTER:
        raise _error("invalid_expires_after")
    return value


def _holder(coordinator: CarBridgeCoordinator) -> DestinationHolder:
    holder: DestinationHolder | None = coordinator.config_entry.runtime_data.destination
    assert holder is not None
    return holder


async def _async_send_destination(call: ServiceCall) -> None:
    hass = call.hass
    data = dict(call.data)
    coordinators = _coordinators(hass, call)
    when = data.get(ATTR_WHEN, WHEN_NOW)
    if when not in (WHEN_NOW, WHEN_NEXT_TRIP):
        raise _error("invalid_when")
    expires_after = _expires_after(data)
    # Check every target first, so a bad one changes nothing at all.
    for coordinator in coordinators:
        if not coordinator.source.capabilities.accepts(Command.NAVIGATE):
            raise _error("command_not_supported", vehicle=coordinator.config_entry.title)
    place, text = await _destination(hass, data)
    for coordinator in coordinators:
        if when == WHEN_NEXT_TRIP:
            await _holder(coordinator).async_hold(place, text=text, expires_after=expires_after)
        else:
            await _holder(coordinator).async_send_now(place, text=text)


FIND_PLACE_SCHEMA = vol.Schema({vol.Required(ATTR_TEXT): cv.string})


async def _async_find_place(call: ServiceCall) -> ServiceResponse:
    """Say what a shared text names, or why it names nothing; sends nothing."""
    return await async_find_place(call.hass, call.data[ATTR_TEXT])


async def _async_clear_destination(call: ServiceCall) -> None:
    for coordinator in _coordinators(call.hass, call):
        await _holder(coordinator).async_clear()


SKIP_SCHEMA = vol.Schema(
    {
        vol.Optional(key): vol.All(cv.ensure_list, [cv.string])
        for key in (ATTR_DEVICE_ID, ATTR_ENTITY_ID, ATTR_AREA_ID, ATTR_FLOOR_ID, ATTR_LABEL_ID)
    },
    extra=vol.ALLOW_EXTRA,
)


async def _async_skip_next_departure(call: ServiceCall) -> None:
    coordinators = _coordinators(call.hass, call)
    # Check every target first, so a vehicle with nothing to skip changes nothing at all.
    for coordinator in coordinators:
        if coordinator.data.departures is None:
            raise _error("no_departure_expected", vehicle=coordinator.config_entry.title)
    for coordinator in coordinators:
        coordinator.config_entry.runtime_data.engines.departures.skip_next()
        coordinator.async_engines_changed()


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_DESTINATION,
        _async_send_destination,
        schema=SEND_DESTINATION_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_CLEAR_DESTINATION,
        _async_clear_destination,
        schema=CLEAR_DESTINATION_SCHEMA,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_FIND_PLACE,
        _async_find_place,
        schema=FIND_PLACE_SCHEMA,
        supports_response=SupportsResponse.ONLY,
    )
    hass.services.async_register(
        DOMAIN,
        SERVICE_SKIP_NEXT_DEPARTURE,
        _async_skip_next_departure,
        schema=SKIP_SCHEMA,
    )
