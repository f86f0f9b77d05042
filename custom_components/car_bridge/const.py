"""Constants for Car Bridge."""

from __future__ import annotations

import logging
from typing import Final

DOMAIN: Final = "car_bridge"
LOGGER = logging.getLogger(__package__)

EVENT_CAR_BRIDGE: Final = "car_bridge_event"

CONF_SOURCE: Final = "source"
CONF_ZONE: Final = "zone"
CONF_START_DISTANCE: Final = "start_distance"
CONF_CRUISE_SPEED: Final = "cruise_speed"
CONF_TIME_FACTOR: Final = "time_factor"
CONF_GPS_NOISE: Final = "gps_noise"
CONF_OUTSIDE_TEMPERATURE: Final = "outside_temperature"
CONF_BATTERY_START: Final = "battery_start"
CONF_AUTO_PLUG_IN: Final = "auto_plug_in"
#: The simulated car's weekly routine: "none" or "weekday_commute".
CONF_ROUTINE: Final = "routine"
CONF_THRESHOLDS: Final = "thresholds"
CONF_HYSTERESIS: Final = "hysteresis"
CONF_MAX_ACCURACY: Final = "max_accuracy"

SOURCE_SIMULATOR: Final = "simulator"
SOURCE_MIRROR: Final = "mirror"
SOURCE_WEBHOOK: Final = "webhook"

# Webhook: where dongles and phone apps post.
CONF_WEBHOOK_ID: Final = "webhook_id"
CONF_LOCAL_ONLY: Final = "local_only"
CONF_CONNECTION_TIMEOUT: Final = "connection_timeout"
CONF_REGENERATE_WEBHOOK: Final = "regenerate_webhook"
CONF_WEBHOOK_URL: Final = "webhook_url"
DEFAULT_CONNECTION_TIMEOUT: Final = 30.0  # minutes

# Mirror: the entities a vehicle is made from.
CONF_TRACKER: Final = "tracker"
CONF_BATTERY: Final = "battery"
CONF_RANGE: Final = "range"
CONF_CHARGE_STATE: Final = "charge_state"
CONF_PLUGGED_IN: Final = "plugged_in"
CONF_CABIN_TEMPERATURE: Final = "cabin_temperature"
# CONF_OUTSIDE_TEMPERATURE: an entity for a mirror, a temperature for a simulator.
CONF_ODOMETER: Final = "odometer"
CONF_CLIMATE: Final = "climate"
CONF_LOCK: Final = "lock"
CONF_CHARGING_SWITCH: Final = "charging_switch"
CONF_CHARGE_LIMIT: Final = "charge_limit"
CONF_ENERGY_ADDED: Final = "energy_added"
CONF_CHARGING_POWER: Final = "charging_power"
CONF_CHARGING_CURRENT: Final = "charging_current"
CONF_DESTINATION_SCRIPT: Final = "destination_script"

DEFAULT_NAME: Final = "SU7"
DEFAULT_ZONE: Final = "zone.home"
DEFAULT_START_DISTANCE: Final = 8.0
DEFAULT_CRUISE_SPEED: Final = 50.0
DEFAULT_TIME_FACTOR: Final = 1.0
DEFAULT_GPS_NOISE: Final = 0.0
DEFAULT_OUTSIDE_TEMPERATURE: Final = 15.0
DEFAULT_BATTERY_START: Final = 80.0
DEFAULT_THRESHOLDS: Final = [5.0, 1.0]
DEFAULT_HYSTERESIS: Final = 200.0
DEFAULT_MAX_ACCURACY: Final = 200.0

#: Approach options, common to every kind of source.
COMMON_DEFAULT_OPTIONS: Final = {
    CONF_THRESHOLDS: DEFAULT_THRESHOLDS,
    CONF_HYSTERESIS: DEFAULT_HYSTERESIS,
    CONF_MAX_ACCURACY: DEFAULT_MAX_ACCURACY,
}
SIMULATOR_DEFAULT_OPTIONS: Final = {
    CONF_CRUISE_SPEED: DEFAULT_CRUISE_SPEED,
    CONF_TIME_FACTOR: DEFAULT_TIME_FACTOR,
    CONF_GPS_NOISE: DEFAULT_GPS_NOISE,
    CONF_OUTSIDE_TEMPERATURE: DEFAULT_OUTSIDE_TEMPERATURE,
    CONF_BATTERY_START: DEFAULT_BATTERY_START,
    CONF_AUTO_PLUG_IN: True,
    CONF_ROUTINE: "none",
}
WEBHOOK_DEFAULT_OPTIONS: Final = {
    CONF_CONNECTION_TIMEOUT: DEFAULT_CONNECTION_TIMEOUT,
}

# Learned departures: on unless switched off; a workday sensor or a calendar names holidays.
CONF_DEPARTURE_LEARNING: Final = "departure_learning"
#: Hours a destination shared for the next trip waits before it expires.
CONF_DESTINATION_EXPIRY: Final = "destination_expiry"
DEFAULT_DESTINATION_EXPIRY_H: Final = 12.0
CONF_DEPARTURE_WORKDAY: Final = "departure_workday"
CONF_DEPARTURE_CALENDAR: Final = "departure_calendar"
DEPARTURE_OPTIONS: Final = (
    CONF_DEPARTURE_LEARNING,
    CONF_DEPARTURE_WORKDAY,
    CONF_DEPARTURE_CALENDAR,
)

SERVICE_SEND_DESTINATION: Final = "send_destination"
SERVICE_SKIP_NEXT_DEPARTURE: Final = "skip_next_departure"
SERVICE_CLEAR_DESTINATION: Final = "clear_destination"
SERVICE_FIND_PLACE: Final = "find_place"
ATTR_ZONE: Final = "zone"
ATTR_TEXT: Final = "text"
ATTR_URL: Final = "url"
ATTR_NAME: Final = "name"
ATTR_ADDRESS: Final = "address"
ATTR_WHEN: Final = "when"
ATTR_EXPIRES_AFTER: Final = "expires_after"
WHEN_NOW: Final = "now"
WHEN_NEXT_TRIP: Final = "next_trip"

SAVE_DELAY_S: Final = 30
