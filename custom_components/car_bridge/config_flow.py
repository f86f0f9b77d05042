"""Config flow for Car Bridge."""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import (
    BooleanSelector,
    EntitySelector,
    EntitySelectorConfig,
    NumberSelector,
    NumberSelectorConfig,
    NumberSelectorMode,
    SelectSelector,
    SelectSelectorConfig,
    TextSelector,
)
from homeassistant.util import slugify

from .const import (
    CONF_AUTO_PLUG_IN,
    CONF_BATTERY_START,
    CONF_CRUISE_SPEED,
    CONF_GPS_NOISE,
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_SOURCE,
    CONF_START_DISTANCE,
    CONF_THRESHOLDS,
    CONF_TIME_FACTOR,
    CONF_ZONE,
    DEFAULT_NAME,
    DEFAULT_OPTIONS,
    DEFAULT_START_DISTANCE,
    DEFAULT_ZONE,
    DOMAIN,
    RANGES,
    SOURCE_SIMULATOR,
)
from .coordinator import zone_home
from .data import CarBridgeConfigEntry

ZONE_SELECTOR = EntitySelector(EntitySelectorConfig(domain="zone"))
NUMERIC_OPTIONS = (
    CONF_CRUISE_SPEED,
    CONF_TIME_FACTOR,
    CONF_GPS_NOISE,
    CONF_OUTSIDE_TEMPERATURE,
    CONF_BATTERY_START,
    CONF_HYSTERESIS,
    CONF_MAX_ACCURACY,
)
THRESHOLD_SUGGESTIONS = ["0.5", "1", "2", "5", "10", "20"]


def _number(unit: str) -> NumberSelector:
    # Ranges are checked in the flow so that a wrong value gets a field error.
    return NumberSelector(
        NumberSelectorConfig(mode=NumberSelectorMode.BOX, step="any", unit_of_measurement=unit)
    )


class ThresholdSelector(SelectSelector):
    """Distances in km as a multi-select with free values; numbers count as text."""

    def __init__(self) -> None:
        """Offer common distances and accept any other."""
        super().__init__(
            SelectSelectorConfig(options=THRESHOLD_SUGGESTIONS, multiple=True, custom_value=True)
        )

    def __call__(self, data: Any) -> Any:
        """Accept numbers too, as the stored options hold them."""
        values = data if isinstance(data, list) else [data]
        return super().__call__([f"{v:g}" if isinstance(v, (int, float)) else v for v in values])


def _check_range(values: dict[str, Any], errors: dict[str, str]) -> None:
    for key, value in values.items():
        if key in RANGES and key != CONF_THRESHOLDS:  # thresholds are a list
            low, high = RANGES[key]
            if not low <= float(value) <= high:
                errors[key] = "out_of_range"


def _check_zone(hass: HomeAssistant, zone: str, errors: dict[str, str]) -> None:
    if zone_home(hass, zone) is None:
        errors[CONF_ZONE] = "zone_not_found"


def _parse_thresholds(raw: list[str], errors: dict[str, str]) -> list[float]:
    low, high = RANGES[CONF_THRESHOLDS]
    try:
        values = sorted({round(float(str(v).replace(",", ".")), 3) for v in raw}, reverse=True)
    except ValueError:
        errors[CONF_THRESHOLDS] = "invalid_thresholds"
        return []
    if not values or not all(low <= v <= high for v in values):
        errors[CONF_THRESHOLDS] = "invalid_thresholds"
    return values


class CarBridgeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a vehicle: pick a source, then describe the vehicle."""

    VERSION = 1
    MINOR_VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: CarBridgeConfigEntry) -> CarBridgeOptionsFlow:
        """Return the options flow."""
        return CarBridgeOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Offer the vehicle sources."""
        return self.async_show_menu(step_id="user", menu_options=[SOURCE_SIMULATOR])

    def _check_name(self, name: str, errors: dict[str, str], exclude: str | None = None) -> None:
        # A name needs a letter or digit, or the entity ids would get no prefix.
        if not any(char.isalnum() for char in name):
            errors[CONF_NAME] = "name_empty"
            return
        for entry in self._async_current_entries(include_ignore=False):
            if entry.entry_id != exclude and slugify(entry.title) == slugify(name):
                errors[CONF_NAME] = "name_exists"

    async def async_step_simulator(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Describe a simulated vehicle."""
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            self._check_name(name, errors)
            _check_zone(self.hass, user_input[CONF_ZONE], errors)
            _check_range({CONF_START_DISTANCE: user_input[CONF_START_DISTANCE]}, errors)
            if not errors:
                await self.async_set_unique_id(f"{SOURCE_SIMULATOR}_{slugify(name)}")
                self._abort_if_unique_id_configured()
                return self.async_create_entry(
                    title=name,
                    data={
                        CONF_SOURCE: SOURCE_SIMULATOR,
                        CONF_NAME: name,
                        CONF_ZONE: user_input[CONF_ZONE],
                        CONF_START_DISTANCE: float(user_input[CONF_START_DISTANCE]),
                    },
                    options={**DEFAULT_OPTIONS},
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME, default=DEFAULT_NAME): TextSelector(),
                vol.Required(CONF_ZONE, default=DEFAULT_ZONE): ZONE_SELECTOR,
                vol.Required(CONF_START_DISTANCE, default=DEFAULT_START_DISTANCE): _number("km"),
            }
        )
        return self.async_show_form(
            step_id=SOURCE_SIMULATOR,
            data_schema=self.add_suggested_values_to_schema(schema, user_input),
            errors=errors,
        )

    async def async_step_reconfigure(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Rename the vehicle or change its home zone."""
        entry = self._get_reconfigure_entry()
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            self._check_name(name, errors, exclude=entry.entry_id)
            _check_zone(self.hass, user_input[CONF_ZONE], errors)
            if not errors:
                options = dict(entry.options)
                if CONF_ZONE in options:
                    options[CONF_ZONE] = user_input[CONF_ZONE]
                # The entry's update listener reloads the vehicle.
                return self.async_update_and_abort(
                    entry,
                    title=name,
                    data_updates={CONF_NAME: name, CONF_ZONE: user_input[CONF_ZONE]},
                    options=options,
                )
        schema = vol.Schema(
            {
                vol.Required(CONF_NAME): TextSelector(),
                vol.Required(CONF_ZONE): ZONE_SELECTOR,
            }
        )
        current = {CONF_NAME: entry.title, CONF_ZONE: entry.data[CONF_ZONE]}
        return self.async_show_form(
            step_id="reconfigure",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or current),
            errors=errors,
        )


class CarBridgeOptionsFlow(OptionsFlow):
    """Tune the simulator and the approach engine."""

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and check the options."""
        entry = self.config_entry
        errors: dict[str, str] = {}
        if user_input is not None:
            _check_range(user_input, errors)
            thresholds = _parse_thresholds(user_input[CONF_THRESHOLDS], errors)
            _check_zone(self.hass, user_input[CONF_ZONE], errors)
            if not errors:
                return self.async_create_entry(
                    data={
                        **{k: float(v) for k, v in user_input.items() if k in NUMERIC_OPTIONS},
                        CONF_AUTO_PLUG_IN: bool(user_input[CONF_AUTO_PLUG_IN]),
                        CONF_THRESHOLDS: thresholds,
                        CONF_ZONE: user_input[CONF_ZONE],
                    }
                )
        current = {**DEFAULT_OPTIONS, **entry.options}
        current.setdefault(CONF_ZONE, entry.data[CONF_ZONE])
        current[CONF_THRESHOLDS] = [f"{t:g}" for t in current[CONF_THRESHOLDS]]
        # Current values are the defaults, so a partial submission keeps the rest.
        fields: dict[str, Any] = {
            CONF_CRUISE_SPEED: _number("km/h"),
            CONF_TIME_FACTOR: _number("×"),
            CONF_GPS_NOISE: _number("m"),
            CONF_OUTSIDE_TEMPERATURE: _number("°C"),
            CONF_BATTERY_START: _number("%"),
            CONF_AUTO_PLUG_IN: BooleanSelector(),
            CONF_THRESHOLDS: ThresholdSelector(),
            CONF_HYSTERESIS: _number("m"),
            CONF_MAX_ACCURACY: _number("m"),
            CONF_ZONE: ZONE_SELECTOR,
        }
        schema = vol.Schema(
            {vol.Required(key, default=current[key]): selector for key, selector in fields.items()}
        )
        return self.async_show_form(
            step_id="init",
            data_schema=self.add_suggested_values_to_schema(schema, user_input or current),
            errors=errors,
        )
