"""Device triggers: within / beyond N km, arrives, leaves, ETA or departure in N min."""

from __future__ import annotations

import inspect
from typing import Any

import probatio as vol

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.device_automation.exceptions import (
    InvalidDeviceAutomationConfig,
)
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import (
    CONF_DEVICE_ID,
    CONF_DOMAIN,
    CONF_ENTITY_ID,
    CONF_PLATFORM,
    CONF_TYPE,
)
from homeassistant.core import CALLBACK_TYPE, Context, HassJob, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .approach.engine import ApproachState, EventType, normalize_km
from .const import DOMAIN, EVENT_CAR_BRIDGE, MAX_DISTANCE_KM, MIN_DISTANCE_KM
from .departure_watch import async_request_minutes
from .departures.engine import (
    DEFAULT_MINUTES_BEFORE,
    EVENT_DEPARTURE_EXPECTED,
    MAX_MINUTES_BEFORE,
    MIN_MINUTES_BEFORE,
)
from .describe import describe, location_entity, vehicle_name
from .hub import EtaWatcher, get_hub

CONF_DISTANCE = "distance"
CONF_MINUTES = "minutes"
CONF_MINUTES_BEFORE = "minutes_before"
TYPE_TIME_TO_HOME = "time_to_home_below"
TYPE_DEPARTURE_EXPECTED = EVENT_DEPARTURE_EXPECTED

DISTANCE_TYPES = {EventType.APPROACHING.value, EventType.LEAVING.value}
TRIGGER_TYPES = [
    EventType.APPROACHING.value,
    EventType.LEAVING.value,
    EventType.ARRIVED_HOME.value,
    EventType.LEFT_HOME.value,
    TYPE_TIME_TO_HOME,
    TYPE_DEPARTURE_EXPECTED,
]

MIN_MINUTES = 1.0
MAX_MINUTES = 600.0

# Distance and minutes are checked by hand so that a bad value gets a
# translated message rather than the schema's "value must be at least".
TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
        # The vehicle's location entity: the editor names the trigger after it.
        vol.Optional(CONF_ENTITY_ID): cv.entity_id_or_uuid,
        vol.Optional(CONF_DISTANCE): object,
        vol.Optional(CONF_MINUTES): object,
        vol.Optional(CONF_MINUTES_BEFORE): object,
    }
)

DEFAULTS = {EventType.APPROACHING.value: 5.0, EventType.LEAVING.value: 1.0}
DEFAULT_MINUTES = 15.0


def _number_in(value: Any, low: float, high: float) -> float | None:
    """Return ``value`` as a float if it is a number within [low, high]."""
    if isinstance(value, bool):
        return None
    try:
        number = float(str(value).strip().replace(",", "."))
    except ValueError:
        return None
    return number if low <= number <= high else None


#: The number each trigger type asks for: field, default, range and error key.
_NUMBER_FIELDS: dict[str, tuple[str, float, float, float, str]] = {
    **{
        kind: (CONF_DISTANCE, default, MIN_DISTANCE_KM, MAX_DISTANCE_KM, "invalid_trigger_distance")
        for kind, default in DEFAULTS.items()
    },
    TYPE_TIME_TO_HOME: (
        CONF_MINUTES,
        DEFAULT_MINUTES,
        MIN_MINUTES,
        MAX_MINUTES,
        "invalid_trigger_minutes",
    ),
    TYPE_DEPARTURE_EXPECTED: (
        CONF_MINUTES_BEFORE,
        DEFAULT_MINUTES_BEFORE,
        MIN_MINUTES_BEFORE,
        MAX_MINUTES_BEFORE,
        "invalid_trigger_minutes",
    ),
}


async def async_validate_trigger_config(hass: HomeAssistant, config: ConfigType) -> ConfigType:
    """Validate a trigger, filling in the distance or minutes it needs."""
    config = TRIGGER_SCHEMA(config)
    if (number_field := _NUMBER_FIELDS.get(config[CONF_TYPE])) is None:
        return config
    field, default, low, high, error = number_field
    raw = config.get(field, default)
    value = _number_in(raw, low, high)
    if value is not None and field == CONF_MINUTES_BEFORE:
        # Departures are announced in whole minutes.
        value = int(value) if value.is_integer() else None
    if value is None:
        raise InvalidDeviceAutomationConfig(
            translation_domain=DOMAIN,
            translation_key=error,
            translation_placeholders={"value": str(raw), "min": f"{low:g}", "max": f"{high:g}"},
        )
    config[field] = value
    return config


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """List the triggers of a vehicle.

    The frontend fills a trigger's name only with ``entity_name`` (from the
    trigger's ``entity_id``) and ``subtype``; naming the location entity, which
    is named like the vehicle, makes the editor say "SU7 arrives home".
    """
    base: dict[str, Any] = {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id}
    if (entity := location_entity(hass, device_id)) is not None:
        base[CONF_ENTITY_ID] = entity.id
    return [{**base, CONF_TYPE: t} for t in TRIGGER_TYPES]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Ask for the distance or the minutes."""
    trigger_type = config[CONF_TYPE]
    if trigger_type in DISTANCE_TYPES:
        field, default, unit = CONF_DISTANCE, DEFAULTS[trigger_type], "km"
        low, high = MIN_DISTANCE_KM, MAX_DISTANCE_KM
    elif trigger_type == TYPE_TIME_TO_HOME:
        field, default, unit = CONF_MINUTES, DEFAULT_MINUTES, "min"
        low, high = MIN_MINUTES, MAX_MINUTES
    elif trigger_type == TYPE_DEPARTURE_EXPECTED:
        field, default, unit = CONF_MINUTES_BEFORE, DEFAULT_MINUTES_BEFORE, "min"
        low, high = MIN_MINUTES_BEFORE, MAX_MINUTES_BEFORE
        selector = NumberSelector(
            NumberSelectorConfig(
                mode=NumberSelectorMode.BOX, min=low, max=high, step=1, unit_of_measurement=unit
            )
        )
        return {"extra_fields": vol.Schema({vol.Required(field, default=default): selector})}
    else:
        return {}
    selector = NumberSelector(
        NumberSelectorConfig(
            mode=NumberSelectorMode.BOX, min=low, max=high, step="any", unit_of_measurement=unit
        )
    )
    return {"extra_fields": vol.Schema({vol.Required(field, default=default): selector})}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Attach a trigger."""
    device_id: str = config[CONF_DEVICE_ID]
    trigger_type: str = config[CONF_TYPE]
    hub = get_hub(hass)
    if trigger_type == TYPE_TIME_TO_HOME:
        return _attach_time_to_home(hass, config, action, trigger_info)

    event_data: dict[str, Any] = {CONF_DEVICE_ID: device_id, CONF_TYPE: trigger_type}
    unsubs: list[CALLBACK_TYPE] = []
    if trigger_type in DISTANCE_TYPES:
        km = normalize_km(config[CONF_DISTANCE])
        event_data["threshold_km"] = km
        # Each distance a trigger asks for gets its own crossing state.
        unsubs.append(hub.add_threshold(device_id, km))
    elif trigger_type == TYPE_DEPARTURE_EXPECTED:
        minutes = int(config[CONF_MINUTES_BEFORE])
        event_data[CONF_MINUTES_BEFORE] = minutes
        # The engine announces only the minutes something asks for.
        unsubs.append(async_request_minutes(hass, device_id, minutes))
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            event_trigger.CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: EVENT_CAR_BRIDGE,
            event_trigger.CONF_EVENT_DATA: event_data,
        }
    )

    async def described(run_variables: dict[str, Any], context: Context | None = None) -> Any:
        # "triggered by SU7 came within 5 km of home" rather than "event 'car_bridge_event'",
        # in the automation's logbook entry and trace.
        trigger = run_variables["trigger"]
        run_variables = {
            **run_variables,
            "trigger": {**trigger, "description": describe(hass, trigger["event"].data)},
        }
        result = action(run_variables, context)
        return await result if inspect.isawaitable(result) else result

    unsubs.append(
        await event_trigger.async_attach_trigger(
            hass, event_config, described, trigger_info, platform_type="device"
        )
    )

    @callback
    def detach() -> None:
        while unsubs:
            unsubs.pop()()

    return detach


def _attach_time_to_home(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    minutes = float(config[CONF_MINUTES])
    job = HassJob(action, f"{DOMAIN} time to home trigger")
    trigger_data = trigger_info["trigger_data"]

    @callback
    def fire(state: ApproachState) -> None:
        hass.async_run_hass_job(
            job,
            {
                "trigger": {
                    **trigger_data,
                    CONF_PLATFORM: "device",
                    CONF_DOMAIN: DOMAIN,
                    CONF_DEVICE_ID: config[CONF_DEVICE_ID],
                    CONF_TYPE: TYPE_TIME_TO_HOME,
                    CONF_MINUTES: minutes,
                    "time_to_home": state.time_to_home_min,
                    "distance_km": round(state.distance_m / 1000, 3),
                    "description": (
                        f"{vehicle_name(hass, config)} is less than {minutes:g} minutes from home"
                    ),
                }
            },
        )

    return get_hub(hass).add_eta(config[CONF_DEVICE_ID], EtaWatcher(minutes, fire))
