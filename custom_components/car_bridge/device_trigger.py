"""Device triggers: comes within / goes beyond N km, arrives, leaves, ETA below N min."""

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
from homeassistant.core import CALLBACK_TYPE, Context, HomeAssistant, callback
from homeassistant.helpers import config_validation as cv
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .approach.model import EventType, normalize_km, normalize_minutes
from .const import DOMAIN, EVENT_CAR_BRIDGE
from .departures.engine import (
    DEFAULT_MINUTES_BEFORE,
    EVENT_DEPARTURE_EXPECTED,
    MAX_MINUTES_BEFORE,
    MIN_MINUTES_BEFORE,
)
from .describe import describe, location_entity
from .options import (
    DEFAULT_TRIGGER_KM,
    DEFAULT_TRIGGER_MINUTES,
    MAX_DISTANCE_KM,
    MAX_MINUTES,
    MIN_DISTANCE_KM,
    MIN_MINUTES,
)
from .triggers import get_requests

CONF_DISTANCE = "distance"
CONF_MINUTES = "minutes"
CONF_MINUTES_BEFORE = "minutes_before"
TYPE_TIME_TO_HOME = EventType.TIME_TO_HOME_BELOW.value
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

DEFAULTS = DEFAULT_TRIGGER_KM
DEFAULT_MINUTES = DEFAULT_TRIGGER_MINUTES


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
        "invalid_trigger_minutes_before",
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
    else:
        return {}
    selector = NumberSelector(
        NumberSelectorConfig(
            mode=NumberSelectorMode.BOX,
            min=low,
            max=high,
            step=1 if field == CONF_MINUTES_BEFORE else "any",
            unit_of_measurement=unit,
        )
    )
    return {"extra_fields": vol.Schema({vol.Required(field, default=default): selector})}


async def async_attach_trigger(
    hass: HomeAssistant,
    config: ConfigType,
    action: TriggerActionType,
    trigger_info: TriggerInfo,
) -> CALLBACK_TYPE:
    """Attach a trigger: an event trigger on ``car_bridge_event`` for this device and type.

    A distance or a number of minutes is asked of the engine (``triggers.py``)
    for as long as the trigger is attached: the engine only puts on the bus
    the crossings it watches.
    """
    device_id: str = config[CONF_DEVICE_ID]
    trigger_type: str = config[CONF_TYPE]
    requests = get_requests(hass)
    event_data: dict[str, Any] = {CONF_DEVICE_ID: device_id, CONF_TYPE: trigger_type}
    unsubs: list[CALLBACK_TYPE] = []
    if trigger_type in DISTANCE_TYPES:
        km = normalize_km(config[CONF_DISTANCE])
        event_data["threshold_km"] = km
        # Each distance a trigger asks for gets its own crossing state.
        unsubs.append(requests.add_threshold(device_id, km))
    elif trigger_type == TYPE_TIME_TO_HOME:
        minutes = normalize_minutes(config[CONF_MINUTES])
        event_data[CONF_MINUTES] = minutes
        unsubs.append(requests.add_minutes(device_id, minutes))
    elif trigger_type == TYPE_DEPARTURE_EXPECTED:
        before = int(config[CONF_MINUTES_BEFORE])
        event_data[CONF_MINUTES_BEFORE] = before
        # The engine announces only the minutes something asks for (and 30).
        unsubs.append(requests.add_departure_minutes(device_id, before))
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
        data = trigger["event"].data
        extra: dict[str, Any] = {"description": describe(hass, data)}
        if trigger_type == TYPE_TIME_TO_HOME:
            # What the time-to-home trigger offered before it was an event trigger.
            extra |= {
                CONF_DOMAIN: DOMAIN,
                CONF_DEVICE_ID: device_id,
                CONF_TYPE: trigger_type,
                CONF_MINUTES: data.get(CONF_MINUTES),
                "time_to_home": data.get("time_to_home"),
                "distance_km": data.get("distance_km"),
            }
        run_variables = {**run_variables, "trigger": {**trigger, **extra}}
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
