"""Car Bridge: make a car part of the home."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
import uuid

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import ConfigEntryError
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    entity_registry as er,
    issue_registry as ir,
)
from homeassistant.helpers.typing import ConfigType

from .approach.engine import ApproachConfig, ApproachEngine, Home
from .blueprint import async_install_blueprints
from .const import (
    COMMON_DEFAULT_OPTIONS,
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
    CONF_SOURCE,
    CONF_THRESHOLDS,
    CONF_TIME_FACTOR,
    CONF_ZONE,
    DEFAULT_ZONE,
    DOMAIN,
    LOGGER,
    SOURCE_SIMULATOR,
)
from .coordinator import (
    CarBridgeCoordinator,
    create_zone_issue,
    zone_home,
    zone_issue_id,
)
from .data import CarBridgeConfigEntry, CarBridgeData
from .meter import energy_meter
from .services import async_setup_services
from .sources import KINDS
from .sources.base import SetupContext
from .sources.webhook_router import async_retire_entry
from .storage import CarBridgeStore

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
    """Register the actions and install the bundled blueprints."""
    async_setup_services(hass)
    await async_install_blueprints(hass)
    return True


def home_zone_entity(entry: CarBridgeConfigEntry) -> str:
    """Return the home zone in force: the options' if set, else the entry's."""
    zone: str = entry.options.get(CONF_ZONE) or entry.data.get(CONF_ZONE, DEFAULT_ZONE)
    return zone


def _approach_config(config: Mapping[str, Any]) -> ApproachConfig:
    return ApproachConfig(
        thresholds_km=tuple(float(t) for t in config[CONF_THRESHOLDS]),
        hysteresis_m=float(config[CONF_HYSTERESIS]),
        max_accuracy_m=float(config[CONF_MAX_ACCURACY]),
        # A simulator stamps its fixes with Home Assistant's clock while it
        # drives time_factor times faster: time to home is in its own minutes.
        time_scale=float(config.get(CONF_TIME_FACTOR, 1.0)),
    )


async def async_setup_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Set up a vehicle from a config entry, with the source kind its data names."""
    kind = KINDS.get(entry.data.get(CONF_SOURCE, SOURCE_SIMULATOR))
    if kind is None:
        raise ConfigEntryError(
            translation_domain=DOMAIN,
            translation_key="unknown_source",
            translation_placeholders={"source": str(entry.data.get(CONF_SOURCE))},
        )
    config = {**COMMON_DEFAULT_OPTIONS, **kind.default_options, **entry.data, **entry.options}
    store = CarBridgeStore(hass, entry.entry_id)
    saved = await store.async_load_saved()

    zone_entity_id = home_zone_entity(entry)
    home = zone_home(hass, zone_entity_id)
    zone_exists = home is not None
    if home is not None:
        ir.async_delete_issue(hass, DOMAIN, zone_issue_id(entry.entry_id))
    else:
        create_zone_issue(hass, entry, zone_entity_id)
        home = saved.home or Home(hass.config.latitude, hass.config.longitude, hass.config.radius)

    built = await kind.async_build(
        hass,
        SetupContext(
            entry=entry,
            config=config,
            home=home,
            saved=saved.vehicle or None,
            saved_extra=saved.extra,
        ),
    )
    saved.discard(*built.discarded)

    engine = ApproachEngine(_approach_config(config), home)
    if saved.approach is not None:
        try:
            # What the engine could not trust goes in the one setup warning.
            saved.discard(*(f"approach {part}" for part in engine.restore(saved.approach)))
        except KeyError, TypeError, ValueError:
            saved.discard("approach")
    meter = energy_meter(engine, saved)
    saved.warn(entry.title)
    if not zone_exists:
        engine.set_home(None)  # nothing is home while the zone is deleted
        meter.set_home(None)

    coordinator = CarBridgeCoordinator(
        hass,
        entry,
        source=built.source,
        engine=engine,
        store=store,
        zone_entity_id=zone_entity_id,
        extra_save=built.extra_save,
        applied_options=config,
        apply_source_options=built.apply_options,
        engines=[meter],
    )
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.unique_id or entry.entry_id)},
        name=entry.title,
        manufacturer=kind.manufacturer,
        model=kind.model,
    )
    coordinator.async_start(device.id)
    entry.runtime_data = CarBridgeData(coordinator=coordinator)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    _remove_stale_entities(hass, entry, coordinator.entity_unique_ids)
    return True


@callback
def _remove_stale_entities(
    hass: HomeAssistant, entry: CarBridgeConfigEntry, current: set[str]
) -> None:
    """Remove entities the source no longer backs (e.g. a mirrored lock removed in the options)."""
    registry = er.async_get(hass)
    for entity in er.async_entries_for_config_entry(registry, entry.entry_id):
        if entity.unique_id not in current:
            LOGGER.debug("%s: removing %s, no longer provided", entry.title, entity.entity_id)
            registry.async_remove(entity.entity_id)


@callback
def async_move_unique_id(
    hass: HomeAssistant, entry: CarBridgeConfigEntry, new: str, **entry_updates: Any
) -> None:
    """Give the vehicle a new unique id, carrying its entities and device along."""
    old = entry.unique_id or entry.entry_id
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
    config = {**COMMON_DEFAULT_OPTIONS, **kind.default_options, **entry.data, **entry.options}
    changed = {
        key
        for key in config.keys() | coordinator.applied_options.keys()
        if config.get(key) != coordinator.applied_options.get(key)
    }
    own = changed - COMMON_DEFAULT_OPTIONS.keys() - {CONF_ZONE}
    if coordinator.built_from != (entry.title, dict(entry.data)) or (
        own and coordinator.apply_source_options is None
    ):
        hass.config_entries.async_schedule_reload(entry.entry_id)
        return
    coordinator.async_apply_options(
        config,
        approach=_approach_config(config),
        zone_entity_id=home_zone_entity(entry),
        source_options_changed=bool(own),
    )


async def async_unload_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Unload a config entry, saving the vehicle's state."""
    # The coordinator shuts down (and saves) through the entry's unload hooks.
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> None:
    """Forget a removed vehicle: its webhook, then its saved state."""
    async_retire_entry(hass, entry.entry_id)
    await CarBridgeStore(hass, entry.entry_id).async_remove()
