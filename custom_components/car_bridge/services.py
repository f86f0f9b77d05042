"""Actions of Car Bridge."""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigEntryState
from homeassistant.const import ATTR_DEVICE_ID, ATTR_ENTITY_ID, ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.core import HomeAssistant, ServiceCall, callback
from homeassistant.exceptions import ServiceValidationError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
)

from .const import ATTR_ZONE, DOMAIN, SERVICE_SEND_DESTINATION
from .coordinator import CarBridgeCoordinator, zone_home
from .data import CarBridgeConfigEntry
from .vehicle.model import Command

# Values are checked in the handler, so that every mistake gets a translated
# ServiceValidationError rather than a bare schema error.
SEND_DESTINATION_SCHEMA = vol.Schema(
    {
        vol.Optional(ATTR_DEVICE_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_ENTITY_ID): vol.All(cv.ensure_list, [cv.string]),
        vol.Optional(ATTR_LATITUDE): vol.Any(None, vol.Coerce(float), cv.string),
        vol.Optional(ATTR_LONGITUDE): vol.Any(None, vol.Coerce(float), cv.string),
        vol.Optional(ATTR_ZONE): vol.Any(None, cv.string),
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
    if not device_ids:
        raise _error("no_device")
    dev_reg = dr.async_get(hass)
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


def _destination(hass: HomeAssistant, data: dict[str, Any]) -> tuple[float, float, str]:
    """Return the destination's latitude, longitude and name."""
    lat, lon, zone = data.get(ATTR_LATITUDE), data.get(ATTR_LONGITUDE), data.get(ATTR_ZONE)
    has_point = lat is not None or lon is not None
    if has_point == bool(zone):
        raise _error("invalid_destination")
    if zone:
        if not zone.startswith("zone.") or (home := zone_home(hass, zone)) is None:
            raise _error("zone_not_found", zone=str(zone))
        state = hass.states.get(zone)
        name = state.name if state is not None else zone
        return home.latitude, home.longitude, name
    try:
        latitude, longitude = float(lat), float(lon)  # type: ignore[arg-type]
    except TypeError, ValueError:
        raise _error("invalid_coordinates") from None
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise _error("invalid_coordinates")
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


@callback
def async_setup_services(hass: HomeAssistant) -> None:
    """Register the integration's actions."""
    hass.services.async_register(
        DOMAIN,
        SERVICE_SEND_DESTINATION,
        _async_send_destination,
        schema=SEND_DESTINATION_SCHEMA,
    )
