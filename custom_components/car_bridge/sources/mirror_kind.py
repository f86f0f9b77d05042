"""The mirror as a kind of source: its config step, options and checks.

A mirror vehicle is made of entities the user already has. The flows refuse
an entity that does not exist, and one of Car Bridge's own (this vehicle's or
another's): a vehicle mirroring itself, or a cycle through another vehicle,
would be unavailable for good. A renamed source entity is followed (as core
``proximity`` does) and a deleted one raises a repair issue whose fix lets the
user pick another (``mirror_repair``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import probatio as vol

from homeassistant.components.binary_sensor import BinarySensorDeviceClass
from homeassistant.components.sensor import SensorDeviceClass
from homeassistant.core import Event, HomeAssistant, callback
from homeassistant.helpers import entity_registry as er, issue_registry as ir
from homeassistant.helpers.selector import EntitySelector, EntitySelectorConfig

from ..const import (
    CONF_BATTERY,
    CONF_CABIN_TEMPERATURE,
    CONF_CHARGE_LIMIT,
    CONF_CHARGE_STATE,
    CONF_CHARGING_CURRENT,
    CONF_CHARGING_POWER,
    CONF_CHARGING_SWITCH,
    CONF_CLIMATE,
    CONF_DESTINATION_SCRIPT,
    CONF_ENERGY_ADDED,
    CONF_LOCK,
    CONF_ODOMETER,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_PLUGGED_IN,
    CONF_RANGE,
    CONF_SOURCE,
    CONF_TRACKER,
    DOMAIN,
    LOGGER,
    SOURCE_MIRROR,
)
from ..data import CarBridgeConfigEntry
from .base import BuiltSource, Errors, SetupContext, SourceKind
from .mirror import MirrorSource
from .mirror_config import MirrorConfig

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
    CONF_ENERGY_ADDED: ("sensor",),
    CONF_CHARGING_POWER: ("sensor",),
    CONF_CHARGING_CURRENT: ("number", "input_number"),
    CONF_DESTINATION_SCRIPT: ("script",),
}


def _selector(key: str) -> EntitySelector:
    sensor_class: dict[str, SensorDeviceClass] = {
        CONF_BATTERY: SensorDeviceClass.BATTERY,
        CONF_RANGE: SensorDeviceClass.DISTANCE,
        CONF_ODOMETER: SensorDeviceClass.DISTANCE,
        CONF_CABIN_TEMPERATURE: SensorDeviceClass.TEMPERATURE,
        CONF_OUTSIDE_TEMPERATURE: SensorDeviceClass.TEMPERATURE,
        CONF_ENERGY_ADDED: SensorDeviceClass.ENERGY,
        CONF_CHARGING_POWER: SensorDeviceClass.POWER,
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
    config = MirrorConfig.from_mapping(ctx.config)
    _drop_solved_issues(hass, ctx.entry.entry_id, set(config.entities().values()))
    return BuiltSource(source=MirrorSource(hass, config, ctx.entry.title))


def removed_issue_id(entry_id: str, entity_id: str) -> str:
    """Return the repair issue id for a deleted source entity."""
    return f"source_entity_removed_{entry_id}_{entity_id}"


def _drop_solved_issues(hass: HomeAssistant, entry_id: str, in_use: set[str]) -> None:
    prefix = removed_issue_id(entry_id, "")
    for domain, issue_id in list(ir.async_get(hass).issues):
        if (
            domain == DOMAIN
            and issue_id.startswith(prefix)
            and issue_id[len(prefix) :] not in in_use
        ):
            ir.async_delete_issue(hass, DOMAIN, issue_id)


@callback
def async_follow_source_entities(hass: HomeAssistant) -> Callable[[], None]:
    """Follow the renames and deletions of every mirror vehicle's source entities.

    One listener for the whole domain, not one per running source: renaming a
    device renames all its entities at once, and each followed rename reloads
    the vehicle; a source listening for itself would miss the renames that
    fall while it reloads.
    """

    @callback
    def _changed(event: Event[er.EventEntityRegistryUpdatedData]) -> None:
        data = event.data
        if data["action"] == "remove":
            old, new = data["entity_id"], None
        elif data["action"] == "update" and "old_entity_id" in data:
            old, new = data["old_entity_id"], data["entity_id"]
        else:
            return
        for entry in hass.config_entries.async_entries(DOMAIN):
            if entry.data.get(CONF_SOURCE) == SOURCE_MIRROR and fields_using(entry, old):
                _follow(hass, entry, old, new)

    return hass.bus.async_listen(er.EVENT_ENTITY_REGISTRY_UPDATED, _changed)


@callback
def _follow(hass: HomeAssistant, entry: CarBridgeConfigEntry, old: str, new: str | None) -> None:
    if new is None:
        LOGGER.warning(
            "%s: its source entity %s was deleted; a repair issue lets you pick another",
            entry.title,
            old,
        )
        ir.async_create_issue(
            hass,
            DOMAIN,
            removed_issue_id(entry.entry_id, old),
            is_fixable=True,
            severity=ir.IssueSeverity.WARNING,
            translation_key="source_entity_removed",
            translation_placeholders={"vehicle": entry.title, "entity": old},
            data={"entry_id": entry.entry_id, "entity_id": old},
        )
        return
    LOGGER.info("%s: following the rename of %s to %s", entry.title, old, new)
    async_replace_entity(hass, entry, old, new)


@callback
def async_replace_entity(
    hass: HomeAssistant, entry: CarBridgeConfigEntry, old: str, new: str
) -> None:
    """Use ``new`` wherever the vehicle used ``old`` (a change of entry reloads it)."""

    def swapped(values: Mapping[str, Any]) -> dict[str, Any]:
        return {k: new if k in DOMAINS and v == old else v for k, v in values.items()}

    hass.config_entries.async_update_entry(
        entry, data=swapped(entry.data), options=swapped(entry.options)
    )
    ir.async_delete_issue(hass, DOMAIN, removed_issue_id(entry.entry_id, old))


def fields_using(entry: CarBridgeConfigEntry, entity_id: str) -> list[str]:
    """Return the fields of ``entry`` that mirror ``entity_id``."""
    config = MirrorConfig.from_mapping({**entry.data, **entry.options})
    return [key for key, value in config.entities().items() if value == entity_id]


def check_entity(hass: HomeAssistant, key: str, entity_id: str, errors: Errors) -> None:
    """Add a field error if ``entity_id`` cannot back ``key``."""
    _check_entities(hass, {key: entity_id}, errors)


def entity_selector(key: str) -> EntitySelector:
    """Return the entity picker of a field."""
    return _selector(key)


def _check_entities(hass: HomeAssistant, user_input: Mapping[str, Any], errors: Errors) -> None:
    registry = er.async_get(hass)
    for key in DOMAINS:
        entity_id = user_input.get(key)
        if not entity_id:
            continue
        # The selectors already refuse an entity of another domain (a field error).
        entry = registry.async_get(entity_id)
        if hass.states.get(entity_id) is None and entry is None:
            errors[key] = "entity_not_found"
        elif entry is not None and entry.platform == DOMAIN:
            # This vehicle's own entity, or another Car Bridge vehicle's: the
            # vehicle would wait on itself (or on a cycle) and be unavailable for good.
            errors[key] = "car_bridge_entity"


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
    """Return the field and the unique id of the vehicle that mirrors ``values``' tracker."""
    return CONF_TRACKER, unique_id_of_tracker(hass, values[CONF_TRACKER])


def unique_id_of_tracker(hass: HomeAssistant, tracker: str) -> str:
    """Return the unique id of a vehicle that mirrors ``tracker``.

    The tracked entity's registry id: the same car cannot be added twice,
    and renaming the tracker's entity id does not make it another car.
    """
    entity = er.async_get(hass).async_get(tracker)
    return entity.id if entity is not None else tracker


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
