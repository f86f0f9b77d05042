"""Actions of Car Bridge."""

from __future__ import annotations

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
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)
from homeassistant.helpers.target import TargetSelection, async_extract_referenced_entity_ids

from .const import ATTR_ZONE, DOMAIN, SERVICE_SEND_DESTINATION, SERVICE_SKIP_NEXT_DEPARTURE
from .coordinator import CarBridgeCoordinator
from .data import CarBridgeConfigEntry
from .vehicle import trust
from .vehicle.model import Command
from .zone import zone_home

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


def _destination(hass: HomeAssistant, data: dict[str, Any]) -> tuple[float, float, str]:
    """Return the destination's latitude, longitude and name."""
    lat, lon, zone = data.get(ATTR_LATITUDE), data.get(ATTR_LONGITUDE), data.get(ATTR_ZONE)
    has_point = lat is not None or lon is not None
    if zone is not None and not isinstance(zone, str):
        raise _error("invalid_destination")
    if has_point == bool(zone):
        raise _error("invalid_destination")
    if zone:
        if not zone.startswith("zone.") or (home := zone_home(hass, zone)) is None:
            raise _error("zone_not_found", zone=zone)
        state = hass.states.get(zone)
        name = state.name if state is not None else zone
        return home.latitude, home.longitude, name
    # trust.coordinates refuses booleans, lists, dicts, NaN and out-of-range values.
    point = trust.coordinates(_coordinate(lat), _coordinate(lon))
    if point is None:
        raise _error("invalid_coordinates")
    latitude, longitude = point
    return latitude, longitude, f"{latitude:.5f}, {longitude:.5f}"


async def _async_send_destination(call: ServiceCall) -> None:
    hass = call.hass
    coordinators = _coordinators(hass, call)
    latitude, longitude, name = _destination(hass, dict(call.data))
    # Check every target first, so a bad one changes nothing at all.
    for coordinator in coordinators:
        if not coordinator.source.capabilities.accepts(Command.NAVIGATE):
            raise _error("command_not_supported", vehicle=coordinator.config_entry.title)
    for coordinator in coordinators:
        await coordinator.async_command(
            Command.NAVIGATE, lambda source: source.async_navigate_to(latitude, longitude, name)
        )


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
        SERVICE_SKIP_NEXT_DEPARTURE,
        _async_skip_next_departure,
        schema=SKIP_SCHEMA,
    )
