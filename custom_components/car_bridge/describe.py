"""Words for Car Bridge events, shared by the logbook and the device triggers.

The logbook and an automation's "triggered by" text are plain strings that
Home Assistant does not translate, so they are English, as in core.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .approach.engine import EventType
from .const import DOMAIN
from .departures.engine import EVENT_DEPARTURE_EXPECTED
from .places.destination import DESTINATION_EXPIRED, DESTINATION_SENT


def event_phrase(event_type: str, threshold_km: float | None, minutes: float | None = None) -> str:
    """Return what the vehicle did, e.g. "came within 5 km of home"."""
    km = f"{threshold_km:g} km" if _is_number(threshold_km) else "a distance"
    mins = f"{minutes:g} minutes" if _is_number(minutes) else "a few minutes"
    phrases = {
        EventType.APPROACHING.value: f"came within {km} of home",
        EventType.LEAVING.value: f"went beyond {km} from home",
        EventType.ARRIVED_HOME.value: "arrived home",
        EventType.LEFT_HOME.value: "left home",
        EventType.TIME_TO_HOME_BELOW.value: f"is less than {mins} from home",
        EVENT_DEPARTURE_EXPECTED: f"is expected to leave home in {mins}",
        DESTINATION_SENT: "was sent a destination",
        DESTINATION_EXPIRED: "did not take its destination in time",
    }
    return phrases.get(event_type) or event_type.replace("_", " ")


def event_minutes(data: Mapping[str, Any]) -> Any:
    """Return the minutes an event names (time to home, or before a departure)."""
    return data.get("minutes", data.get("minutes_before"))


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def vehicle_name(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """Return the vehicle's current name (as renamed by the user), else the one fired."""
    if (device_id := data.get("device_id")) and (device := dr.async_get(hass).async_get(device_id)):
        return device.name_by_user or device.name or str(data.get("vehicle", ""))
    return str(data.get("vehicle") or "Vehicle")


def describe(hass: HomeAssistant, data: Mapping[str, Any]) -> str:
    """Return a sentence for a ``car_bridge_event``: "SU7 came within 5 km of home"."""
    phrase = event_phrase(str(data.get("type")), data.get("threshold_km"), event_minutes(data))
    return f"{vehicle_name(hass, data)} {phrase}"


def location_entity(hass: HomeAssistant, device_id: Any) -> er.RegistryEntry | None:
    """Return the vehicle's location entity, which is named like the vehicle."""
    if not isinstance(device_id, str):
        return None
    for entity in er.async_entries_for_device(er.async_get(hass), device_id):
        if entity.platform == DOMAIN and entity.domain == Platform.DEVICE_TRACKER:
            return entity
    return None
