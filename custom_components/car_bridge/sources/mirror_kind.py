"""The mirror as a kind of source: its config step, options and checks.

A mirror vehicle is made of entities the user already has. The flows refuse
an entity that does not exist, and one of Car Bridge's own (this vehicle's or
another's): a vehicle mirroring itself, or a cycle through another vehicle,
would be unavailable for good. A renamed source entity is followed (as core
``proximity`` does) and a deleted one raises a repair issue whose fix lets the
user pick another (``mirror_repair``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import probatio as vol

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig

from ..const import (
    CONF_BATTERY,
    CONF_CABIN_TEMPERATURE,
    CONF_CHARGE_LIMIT,
    CONF_CHARGE_STATE,
    CONF_CHARGING_SWITCH,
    CONF_CLIMATE,
    CONF_DESTINATION_SCRIPT,
    CONF_LOCK,
    CONF_ODOMETER,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_PLUGGED_IN,
    CONF_RANGE,
    CONF_TRACKER,
    SOURCE_MIRROR,
)
from .base import BuiltSource, Errors, SetupContext, SourceKind
from .mirror import MirrorConfig, MirrorSource

#: Field → the domains its entity may have.
DOMAINS: dict[str, tuple[str, ...]] = {
    CONF_TRACKER: ("device_tracker", "person"),
    CONF_BATTERY: ("sensor",),
    CONF_RANGE: ("sensor",),
    CONF_CHARGE_STATE: ("sensor", "binary_sensor"),
    CONF_PLUGGED_IN: ("binary_sensor",),
    CONF_CABIN_TEMPERATURE: ("sensor",),
    CONF_OUTSIDE_TEMPERATURE: ("sensor",),
    CONF_ODOMETER: ("sensor",),
    CONF_CLIMATE: ("climate",),
    CONF_LOCK: ("lock",),
    CONF_CHARGING_SWITCH: ("switch",),
    CONF_CHARGE_LIMIT: ("number", "input_number"),
    CONF_DESTINATION_SCRIPT: ("script",),
}


def _selector(key: str) -> EntitySelector:
    sensor_class: dict[str, SensorDeviceClass] = {
        CONF_BATTERY: SensorDeviceClass.BATTERY,
        CONF_RANGE: SensorDeviceClass.DISTANCE,
        CONF_ODOMETER: SensorDeviceClass.DISTANCE,
        CONF_CABIN_TEMPERATURE: SensorDeviceClass.TEMPERATURE,
        CONF_OUTSIDE_TEMPERATURE: SensorDeviceClass.TEMPERATURE,
    }
    if key in sensor_class:
        return EntitySelector(
            EntitySelectorConfig(domain="sensor", device_class=sensor_class[key].value)
        )
    if key == CONF_PLUGGED_IN:
        return EntitySelector(
            EntitySelectorConfig(
                domain="binary_sensor", device_class=BinarySensorDeviceClass.PLUG.value
            )
        )
    return EntitySelector(EntitySelectorConfig(domain=list(DOMAINS[key])))


# -- the kind -------------------------------------------------------------


async def _async_build(hass: HomeAssistant, ctx: SetupContext) -> BuiltSource:
    return BuiltSource(
        source=MirrorSource(hass, MirrorConfig.from_mapping(ctx.config), ctx.entry.title)
    )


def _check_entities(hass: HomeAssistant, user_input: Mapping[str, Any], errors: Errors) -> None:
    registry = er.async_get(hass)
    for key in DOMAINS:
        entity_id = user_input.get(key)
        if not entity_id:
            continue
        # The selectors already refuse an entity of another domain (a field error).
        if hass.states.get(entity_id) is None and registry.async_get(entity_id) is None:
            errors[key] = "entity_not_found"


def _fields() -> dict[Any, Any]:
    # Current values come in as suggested values, so a field can be cleared.
    return {
        (vol.Required if key == CONF_TRACKER else vol.Optional)(key): _selector(key)
        for key in DOMAINS
    }


def _validate_config(
    hass: HomeAssistant, user_input: dict[str, Any], errors: Errors
) -> tuple[str, dict[str, Any]]:
    _check_entities(hass, user_input, errors)
    _, unique_id = _unique_id(hass, user_input)
    return unique_id, {key: user_input.get(key) or None for key in DOMAINS}


def _unique_id(hass: HomeAssistant, values: Mapping[str, Any]) -> tuple[str, str]:
    """Return the field and the unique id of the vehicle that mirrors ``values``' tracker.

    The tracked entity's registry id: the same car cannot be added twice,
    and renaming the tracker's entity id does not make it another car.
    """
    tracker: str = values[CONF_TRACKER]
    entity = er.async_get(hass).async_get(tracker)
    return CONF_TRACKER, entity.id if entity is not None else tracker


def _validate_options(
    hass: HomeAssistant, user_input: dict[str, Any], errors: Errors
) -> dict[str, Any]:
    _check_entities(hass, user_input, errors)
    # A cleared field is stored as None so that it overrides the entry's data.
    return {key: user_input.get(key) or None for key in DOMAINS}


MIRROR = SourceKind(
    key=SOURCE_MIRROR,
    manufacturer="Car Bridge",
    model="Mirrored vehicle",
    default_options={},
    async_build=_async_build,
    config_fields=lambda hass: _fields(),
    validate_config=_validate_config,
    options_fields=lambda hass, current: _fields(),
    validate_options=_validate_options,
    unique_id_from_options=_unique_id,
)
