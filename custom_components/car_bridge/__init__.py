"""Car Bridge: make a car part of the home."""

from __future__ import annotations

import uuid

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
)
from homeassistant.helpers.typing import ConfigType

from .blueprint import async_install_blueprints
from .const import (
    CONF_SOURCE,
    DOMAIN,
    LOGGER,
    SOURCE_SIMULATOR,
)
from .coordinator import CarBridgeCoordinator
from .data import CarBridgeConfigEntry, CarBridgeData
from .departure_history import async_start_learning, learn_past
from .departure_watch import DepartureHolidays
from .destination import DestinationHolder
from .engines import VehicleEngines
from .entity_ids import async_move_unique_id
from .options import changed_options, entry_config, home_zone_entity
from .services import async_setup_services
from .sources import KINDS
from .sources.base import SetupContext
from .sources.mirror_kind import async_follow_source_entities
from .sources.webhook_router import async_retire_entry
from .storage import CarBridgeStore
from .triggers import requests_for
from .vehicle.model import Command
from .zone import HomeZone

PLATFORMS: list[Platform] = [
    Platform.BINARY_SENSOR,
    Platform.CLIMATE,
    Platform.DEVICE_TRACKER,
    Platform.LOCK,
    Platform.NUMBER,
    Platform.SENSOR,
    Platform.SWITCH,
]

CONFIG_SCHEMA = cv.config_entry_only_config_schema(DOMAIN)


async def async_setup(hass: HomeAssistant, config: ConfigType) -> bool:
    """Register the actions, follow mirrored entities and install the bundled blueprints."""
    async_setup_services(hass)
    async_follow_source_entities(hass)
    await async_install_blueprints(hass)
    return True


async def async_setup_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Set up a vehicle from a config entry, with the source kind its data names."""
    kind = KINDS.get(entry.data.get(CONF_SOURCE, SOURCE_SIMULATOR))
    if kind is None:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unknown_source",
            translation_placeholders={"source": str(entry.data.get(CONF_SOURCE))},
        )
    config = entry_config(entry, kind.default_options)
    store = CarBridgeStore(hass, entry.entry_id)
    saved = await store.async_load_saved()

    home_zone = HomeZone(
        hass,
        entry_id=entry.entry_id,
        vehicle=entry.title,
        entity_id=home_zone_entity(entry),
        fallback=saved.home,
    )
    engines = VehicleEngines(config, home_zone.last_known)
    engine_parts = {key: saved.extra.pop(key) for key in engines.keys & saved.extra.keys()}
    built = await kind.async_build(
        hass,
        SetupContext(
            entry=entry,
            config=config,
            home_zone=home_zone,
            saved=saved.vehicle or None,
            saved_extra=saved.extra,
        ),
    )
    saved.discard(*built.discarded)
    # What an engine could not trust goes in the one setup warning.
    saved.discard(*engines.restore(engine_parts, home_zone.home))
    saved.warn(entry.title)

    coordinator = CarBridgeCoordinator(
        hass,
        entry,
        source=built.source,
        engines=engines.all,
        home_zone=home_zone,
        store=store,
        extra_save=built.extra_save,
        applied_options=config,
        apply_source_options=built.apply_options,
    )
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.unique_id or entry.entry_id)},
        name=entry.title,
        manufacturer=kind.manufacturer,
        model=kind.model,
    )
    entry.async_on_unload(requests_for(hass, device.id, engines.set_requests))
    coordinator.async_start(device.id)
    holidays = DepartureHolidays(hass, engines.departures, coordinator, config)
    holidays.async_start()
    async_start_learning(hass, engines.departures, coordinator, built.past_departures)
    destination: DestinationHolder | None = None
    if built.source.capabilities.accepts(Command.NAVIGATE):
        destination = DestinationHolder(hass, coordinator, engines.destination)
        destination.async_start()
        entry.async_on_unload(destination.async_stop)
    entry.runtime_data = CarBridgeData(
        coordinator=coordinator,
        engines=engines,
        home_zone=home_zone,
        holidays=holidays,
        destination=destination,
        past_departures=built.past_departures,
    )
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    # Each platform removes what the source positively no longer backs (entity_ids.py).
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def async_migrate_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Migrate an entry from an older version."""
    if entry.version > 2:
        # A downgrade: this version does not know the entry's shape.
        return False
    if entry.version == 1:
        # Version 1 made the unique id from the typed name ("simulator_su7"),
        # so a renamed car kept its old name's id. Give it a generated one and
        # carry its entities and device along.
        async_move_unique_id(
            hass,
            entry,
            uuid.uuid4().hex,
            data={CONF_SOURCE: SOURCE_SIMULATOR, **entry.data},
            version=2,
            minor_version=1,
        )
        LOGGER.debug("Migrated %s to version 2", entry.title)
    return True


async def _async_update_listener(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> None:
    """Apply new options live; reload only for what a running vehicle cannot change.

    The common options (thresholds, hysteresis, maximum accuracy, home zone)
    always apply live, and so do a kind's own options when its built source
    can apply them (the simulator's physics). A new name or other entry data
    (reconfigure), or options a kind cannot apply live (the mirror's entity
    choices), reload; the vehicle's state is saved on unload.
    """
    coordinator = entry.runtime_data.coordinator
    kind = KINDS[entry.data.get(CONF_SOURCE, SOURCE_SIMULATOR)]
    config = entry_config(entry, kind.default_options)
    own = changed_options(coordinator.applied_options, config)
    if coordinator.built_from != (entry.title, dict(entry.data)) or (
        own and coordinator.apply_source_options is None
    ):
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    data = entry.runtime_data
    data.engines.apply_options(config)
    data.holidays.apply_options(config)
    if own and coordinator.apply_source_options is not None:
        coordinator.apply_source_options(config)
        if data.past_departures is not None:
            # A routine switched on before anything was learned brings its past.
            learn_past(data.engines.departures, coordinator, data.past_departures)
    # A new home re-initialises the engines silently.
    data.home_zone.async_set_entity(home_zone_entity(entry))
    coordinator.async_options_applied(config)


async def async_unload_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Unload a config entry, saving the vehicle's state."""
    # The coordinator shuts down (and saves) through the entry's unload hooks.
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> None:
    """Forget a removed vehicle: its webhook, then its saved state."""
    async_retire_entry(hass, entry.entry_id)
    await CarBridgeStore(hass, entry.entry_id).async_remove()
