"""The vehicle's entity registry entries: unique-id moves and removal of what it no longer has.

An entity is removed only when the running vehicle positively no longer has
it: the platform that owns it set up, looked at the source's capabilities and
found that its description does not exist for this source (a mirrored lock
removed in the options, a tracker that reports no speed). A platform that
fails to set up says nothing, so its entities keep their registry entries,
and with them the user's names, areas and entity ids. A key no description
knows (from a newer version, before a downgrade) is left alone too.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers import device_registry as dr, entity_registry as er

from .const import DOMAIN, LOGGER

if TYPE_CHECKING:
    from .data import CarBridgeConfigEntry


def vehicle_id(entry: CarBridgeConfigEntry) -> str:
    """Return the id the vehicle's entity unique ids start with."""
    return entry.unique_id or entry.entry_id


def entity_unique_id(entry: CarBridgeConfigEntry, key: str) -> str:
    """Return the unique id of the vehicle's entity described by ``key``."""
    return f"{vehicle_id(entry)}_{key}"


@callback
def async_remove_absent(
    hass: HomeAssistant, entry: CarBridgeConfigEntry, domain: str, keys: Iterable[str]
) -> None:
    """Remove the ``domain`` entities of ``keys``: the vehicle positively no longer has them."""
    registry = er.async_get(hass)
    for key in keys:
        entity_id = registry.async_get_entity_id(domain, DOMAIN, entity_unique_id(entry, key))
        if entity_id is not None:
            LOGGER.debug("%s: removing %s, no longer provided", entry.title, entity_id)
            registry.async_remove(entity_id)


@callback
def async_move_unique_id(
    hass: HomeAssistant, entry: CarBridgeConfigEntry, new: str, **entry_updates: Any
) -> None:
    """Give the vehicle a new unique id, carrying its entities and device along."""
    old = vehicle_id(entry)
    ent_reg = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(ent_reg, entry.entry_id):
        if entity.unique_id.startswith(f"{old}_"):
            ent_reg.async_update_entity(
                entity.entity_id, new_unique_id=new + entity.unique_id[len(old) :]
            )
    dev_reg = dr.async_get(hass)
    if device := dev_reg.async_get_device_by_identifier((DOMAIN, old), entry.entry_id):
        dev_reg.async_update_device(device.id, new_identifiers={(DOMAIN, new)})
    hass.config_entries.async_update_entry(entry, unique_id=new, **entry_updates)
