"""Car Bridge: make a car part of the home."""

from __future__ import annotations

from typing import Any
import zlib

from homeassistant.const import Platform
from homeassistant.core import HomeAssistant
from homeassistant.helpers import (
    config_validation as cv,
    device_registry as dr,
    issue_registry as ir,
)
from homeassistant.helpers.storage import Store
from homeassistant.helpers.typing import ConfigType
from homeassistant.util import dt as dt_util

from .approach.engine import ApproachConfig, ApproachEngine, Home
from .blueprint import async_install_blueprints
from .const import (
    CONF_AUTO_PLUG_IN,
    CONF_BATTERY_START,
    CONF_CRUISE_SPEED,
    CONF_GPS_NOISE,
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_START_DISTANCE,
    CONF_THRESHOLDS,
    CONF_TIME_FACTOR,
    CONF_ZONE,
    DEFAULT_OPTIONS,
    DEFAULT_ZONE,
    DOMAIN,
    LOGGER,
    STORAGE_VERSION,
)
from .coordinator import (
    CarBridgeCoordinator,
    create_zone_issue,
    zone_home,
    zone_issue_id,
)
from .data import CarBridgeConfigEntry, CarBridgeData
from .services import async_setup_services
from .vehicle.simulator import SimulatedVehicle, SimulatorOptions

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


def _options(entry: CarBridgeConfigEntry) -> dict[str, Any]:
    return {**DEFAULT_OPTIONS, **entry.options}


async def _async_load_saved(store: Store[dict[str, Any]], title: str) -> dict[str, Any]:
    saved: Any = await store.async_load()
    if saved is None:
        return {}
    if not isinstance(saved, dict):
        LOGGER.warning("%s: ignoring malformed saved state", title)
        return {}
    return saved


async def async_setup_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Set up a vehicle from a config entry."""
    options = _options(entry)
    store: Store[dict[str, Any]] = Store(hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}")
    saved = await _async_load_saved(store, entry.title)

    zone_entity_id = home_zone_entity(entry)
    home = zone_home(hass, zone_entity_id)
    if home is not None:
        ir.async_delete_issue(hass, DOMAIN, zone_issue_id(entry.entry_id))
    else:
        create_zone_issue(hass, entry, zone_entity_id)
        try:
            lat, lon, radius = saved["home"]
            home = Home(float(lat), float(lon), float(radius))
        except KeyError, TypeError, ValueError:
            home = Home(hass.config.latitude, hass.config.longitude, hass.config.radius)

    sim_options = SimulatorOptions(
        cruise_speed=float(options[CONF_CRUISE_SPEED]),
        time_factor=float(options[CONF_TIME_FACTOR]),
        gps_noise=float(options[CONF_GPS_NOISE]),
        outside_temperature=float(options[CONF_OUTSIDE_TEMPERATURE]),
        auto_plug_in=bool(options[CONF_AUTO_PLUG_IN]),
    )
    battery_start = float(options[CONF_BATTERY_START])
    now = dt_util.utcnow()
    seed = zlib.crc32((entry.unique_id or entry.entry_id).encode())
    kwargs: dict[str, Any] = {
        "now": now,
        "home": (home.latitude, home.longitude, home.radius),
        "options": sim_options,
        "seed": seed,
        "start_distance_km": float(entry.data.get(CONF_START_DISTANCE, 0.0)),
        "battery_percent": battery_start,
    }
    try:
        source = SimulatedVehicle(**kwargs, saved=saved.get("vehicle"))
    except KeyError, TypeError, ValueError, IndexError:
        LOGGER.warning("%s: saved vehicle state is malformed; starting afresh", entry.title)
        saved = {}
        source = SimulatedVehicle(**kwargs)
    if saved.get("vehicle") and saved.get(CONF_BATTERY_START) != battery_start:
        # The user changed the starting battery in the options: apply it now.
        source.set_battery(battery_start)

    engine = ApproachEngine(
        ApproachConfig(
            thresholds_km=tuple(float(t) for t in options[CONF_THRESHOLDS]),
            hysteresis_m=float(options[CONF_HYSTERESIS]),
            max_accuracy_m=float(options[CONF_MAX_ACCURACY]),
        ),
        home,
    )
    if isinstance(approach := saved.get("approach"), dict):
        try:
            engine.restore(approach)
        except KeyError, TypeError, ValueError:
            LOGGER.warning("%s: saved approach state is malformed; ignoring it", entry.title)

    coordinator = CarBridgeCoordinator(
        hass,
        entry,
        source=source,
        engine=engine,
        store=store,
        zone_entity_id=zone_entity_id,
        extra_save=lambda: {CONF_BATTERY_START: battery_start},
    )
    device = dr.async_get(hass).async_get_or_create(
        config_entry_id=entry.entry_id,
        identifiers={(DOMAIN, entry.unique_id or entry.entry_id)},
        name=entry.title,
        manufacturer="Car Bridge",
        model="Simulated vehicle",
    )
    coordinator.async_start(device.id)
    entry.runtime_data = CarBridgeData(coordinator=coordinator)
    entry.async_on_unload(entry.add_update_listener(_async_update_listener))
    await hass.config_entries.async_forward_entry_setups(entry, PLATFORMS)
    return True


async def _async_update_listener(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> None:
    """Apply new options by reloading; the vehicle's state is saved on unload."""
    await hass.config_entries.async_reload(entry.entry_id)


async def async_unload_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> bool:
    """Unload a config entry, saving the vehicle's state."""
    # The coordinator shuts down (and saves) through the entry's unload hooks.
    return await hass.config_entries.async_unload_platforms(entry, PLATFORMS)


async def async_remove_entry(hass: HomeAssistant, entry: CarBridgeConfigEntry) -> None:
    """Delete the saved state of a removed vehicle."""
    await Store[dict[str, Any]](hass, STORAGE_VERSION, f"{DOMAIN}.{entry.entry_id}").async_remove()
