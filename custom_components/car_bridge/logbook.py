"""Logbook entries for ``car_bridge_event``: "SU7 came within 5 km of home"."""

from __future__ import annotations

from collections.abc import Callable

from homeassistant.components.logbook import (
    LOGBOOK_ENTRY_ENTITY_ID,
    LOGBOOK_ENTRY_ICON,
    LOGBOOK_ENTRY_MESSAGE,
    LOGBOOK_ENTRY_NAME,
)
from homeassistant.core import Event, HomeAssistant, callback

from .approach.engine import EventType
from .const import DOMAIN, EVENT_CAR_BRIDGE
from .departures.engine import EVENT_DEPARTURE_EXPECTED
from .describe import event_minutes, event_phrase, location_entity, vehicle_name
from .places.destination import DESTINATION_EXPIRED, DESTINATION_SENT

ICONS = {
    EventType.APPROACHING.value: "mdi:home-import-outline",
    EventType.LEAVING.value: "mdi:home-export-outline",
    EventType.ARRIVED_HOME.value: "mdi:home",
    EventType.LEFT_HOME.value: "mdi:car-arrow-right",
    EventType.TIME_TO_HOME_BELOW.value: "mdi:home-clock-outline",
    EVENT_DEPARTURE_EXPECTED: "mdi:car-clock",
    DESTINATION_SENT: "mdi:map-marker-path",
    DESTINATION_EXPIRED: "mdi:map-marker-off",
}


@callback
def async_describe_events(
    hass: HomeAssistant,
    async_describe_event: Callable[[str, str, Callable[[Event], dict[str, str]]], None],
) -> None:
    """Describe Car Bridge events in the logbook."""

    @callback
    def async_describe_car_bridge_event(event: Event) -> dict[str, str]:
        data = event.data
        event_type = str(data.get("type"))
        message = event_phrase(event_type, data.get("threshold_km"), event_minutes(data))
        if event_type == DESTINATION_SENT and data.get("name"):
            message = f"was sent the destination {data['name']}"
        description = {
            LOGBOOK_ENTRY_NAME: vehicle_name(hass, data),
            LOGBOOK_ENTRY_MESSAGE: message,
            LOGBOOK_ENTRY_ICON: ICONS.get(event_type, "mdi:car"),
        }
        # Shown on the vehicle's location entity, so it is in the device's activity.
        if entity := location_entity(hass, data.get("device_id")):
            description[LOGBOOK_ENTRY_ENTITY_ID] = entity.entity_id
        return description

    async_describe_event(DOMAIN, EVENT_CAR_BRIDGE, async_describe_car_bridge_event)
