"""Device triggers: comes within / goes beyond N km, arrives, leaves, ETA below N min."""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.components.device_automation import DEVICE_TRIGGER_BASE_SCHEMA
from homeassistant.components.homeassistant.triggers import event as event_trigger
from homeassistant.const import CONF_DEVICE_ID, CONF_DOMAIN, CONF_PLATFORM, CONF_TYPE
from homeassistant.core import CALLBACK_TYPE, HassJob, HomeAssistant, callback
from homeassistant.helpers.selector import (
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
)
from homeassistant.helpers.trigger import TriggerActionType, TriggerInfo
from homeassistant.helpers.typing import ConfigType

from .approach.engine import ApproachState, EventType, normalize_km
from .const import DOMAIN, EVENT_CAR_BRIDGE
from .hub import EtaWatcher, get_hub

CONF_DISTANCE = "distance"
CONF_MINUTES = "minutes"
TYPE_TIME_TO_HOME = "time_to_home_below"

DISTANCE_TYPES = {EventType.APPROACHING.value, EventType.LEAVING.value}
HOME_TYPES = {EventType.ARRIVED_HOME.value, EventType.LEFT_HOME.value}
TRIGGER_TYPES = [
    EventType.APPROACHING.value,
    EventType.LEAVING.value,
    EventType.ARRIVED_HOME.value,
    EventType.LEFT_HOME.value,
    TYPE_TIME_TO_HOME,
]

TRIGGER_SCHEMA = DEVICE_TRIGGER_BASE_SCHEMA.extend(
    {
        vol.Required(CONF_TYPE): vol.In(TRIGGER_TYPES),
        vol.Optional(CONF_DISTANCE): vol.All(vol.Coerce(float), vol.Range(min=0.01, max=1000)),
        vol.Optional(CONF_MINUTES): vol.All(vol.Coerce(float), vol.Range(min=1, max=600)),
    }
)

DEFAULTS = {EventType.APPROACHING.value: 5.0, EventType.LEAVING.value: 1.0}


async def async_validate_trigger_config(hass: HomeAssistant, config: ConfigType) -> ConfigType:
    """Validate a trigger, filling in the distance or minutes it needs."""
    config = TRIGGER_SCHEMA(config)
    if config[CONF_TYPE] in DISTANCE_TYPES:
        config.setdefault(CONF_DISTANCE, DEFAULTS[config[CONF_TYPE]])
    elif config[CONF_TYPE] == TYPE_TIME_TO_HOME:
        config.setdefault(CONF_MINUTES, 15.0)
    return config


async def async_get_triggers(hass: HomeAssistant, device_id: str) -> list[dict[str, Any]]:
    """List the triggers of a vehicle."""
    return [
        {CONF_PLATFORM: "device", CONF_DOMAIN: DOMAIN, CONF_DEVICE_ID: device_id, CONF_TYPE: t}
        for t in TRIGGER_TYPES
    ]


async def async_get_trigger_capabilities(
    hass: HomeAssistant, config: ConfigType
) -> dict[str, vol.Schema]:
    """Ask for the distance or the minutes."""
    trigger_type = config[CONF_TYPE]
    if trigger_type in DISTANCE_TYPES:
        field, default, unit = CONF_DISTANCE, DEFAULTS[trigger_type], "km"
    elif trigger_type == TYPE_TIME_TO_HOME:
        field, default, unit = CONF_MINUTES, 15.0, "min"
    else:
        return {}
    selector = NumberSelector(
        NumberSelectorConfig(
            mode=NumberSelectorMode.BOX, min=0.01, step="any", unit_of_measurement=unit
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
    event_config = event_trigger.TRIGGER_SCHEMA(
        {
            event_trigger.CONF_PLATFORM: "event",
            event_trigger.CONF_EVENT_TYPE: EVENT_CAR_BRIDGE,
            event_trigger.CONF_EVENT_DATA: event_data,
        }
    )
    unsubs.append(
        await event_trigger.async_attach_trigger(
            hass, event_config, action, trigger_info, platform_type="device"
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
                    "description": f"time to home below {minutes:g} min",
                }
            },
        )

    return get_hub(hass).add_eta(config[CONF_DEVICE_ID], EtaWatcher(minutes, fire))
