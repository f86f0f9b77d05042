"""Config flow for Car Bridge: pick a kind of source, then describe the vehicle."""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.config_entries import ConfigFlow, ConfigFlowResult, OptionsFlow
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant, callback
from homeassistant.helpers.selector import TextSelector
from homeassistant.util import slugify

from .const import (
    COMMON_DEFAULT_OPTIONS,
    CONF_SOURCE,
    CONF_THRESHOLDS,
    CONF_ZONE,
    DEFAULT_ZONE,
    DOMAIN,
    SOURCE_MIRROR,
    SOURCE_SIMULATOR,
    SOURCE_WEBHOOK,
)
from .data import CarBridgeConfigEntry
from .entity_ids import async_move_unique_id
from .options import (
    MAX_NAME_LENGTH,
    ZONE_SELECTOR,
    check_common,
    check_options_together,
    common_fields,
)
from .sources import KINDS
from .sources.base import SourceKind
from .zone import zone_home


def _check_zone(hass: HomeAssistant, zone: str, errors: dict[str, str]) -> None:
    if zone_home(hass, zone) is None:
        errors[CONF_ZONE] = "zone_not_found"


def _kind(entry: CarBridgeConfigEntry) -> SourceKind:
    return KINDS[entry.data.get(CONF_SOURCE, SOURCE_SIMULATOR)]


class CarBridgeConfigFlow(ConfigFlow, domain=DOMAIN):
    """Add a vehicle: pick a source, then describe the vehicle."""

    VERSION = 2
    MINOR_VERSION = 1

    @staticmethod
    @callback
    def async_get_options_flow(config_entry: CarBridgeConfigEntry) -> CarBridgeOptionsFlow:
        """Return the options flow."""
        return CarBridgeOptionsFlow()

    async def async_step_user(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Offer the kinds of vehicle source."""
        return self.async_show_menu(step_id="user", menu_options=list(KINDS))

    def _check_name(self, name: str, errors: dict[str, str], exclude: str | None = None) -> None:
        # A name needs a letter or digit, or the entity ids would get no prefix.
        if not name:
            errors[CONF_NAME] = "name_empty"
            return
        if len(name) > MAX_NAME_LENGTH:
            errors[CONF_NAME] = "name_too_long"
            return
        if not any(char.isalnum() for char in name):
            errors[CONF_NAME] = "name_no_letters"
            return
        # slugify() says "unknown" for a name it cannot transliterate (such as
        # "ǝ"); behind a fixed word such a name leaves only that word.
        if slugify(f"car {name}") == "car":
            errors[CONF_NAME] = "name_no_entity_id"
            return
        for entry in self._async_current_entries(include_ignore=False):
            if entry.entry_id != exclude and slugify(entry.title) == slugify(name):
                errors[CONF_NAME] = "name_exists"

    async def async_step_simulator(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Describe a simulated vehicle."""
        return await self._async_step_kind(KINDS[SOURCE_SIMULATOR], user_input)

    async def async_step_mirror(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Describe a vehicle made from entities the user already has."""
        return await self._async_step_kind(KINDS[SOURCE_MIRROR], user_input)

    async def async_step_webhook(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Describe a vehicle that posts to a webhook (OBD dongle, phone app, script)."""
        return await self._async_step_kind(KINDS[SOURCE_WEBHOOK], user_input)

    async def _async_step_kind(
        self, kind: SourceKind, user_input: dict[str, Any] | None
    ) -> ConfigFlowResult:
        """Describe a vehicle of ``kind``: its name, home zone and the kind's own fields."""
        errors: dict[str, str] = {}
        if user_input is not None:
            name = user_input[CONF_NAME].strip()
            self._check_name(name, errors)
            _check_zone(self.hass, user_input[CONF_ZONE], errors)
            unique_id, data = kind.validate_config(self.hass, user_input, errors)
            if not errors:
                await self.async_set_unique_id(unique_id)
                self._abort_if_unique_id_configured()
                placeholders = (
                    kind.created_placeholders(self.hass, data)
                    if kind.created_placeholders
                    else None
                )
                return self.async_create_entry(
                    title=name,
                    data={
                        CONF_SOURCE: kind.key,
                        CONF_NAME: name,
                        CONF_ZONE: user_input[CONF_ZONE],
                        **data,
                    },
                    options={**kind.default_options, **COMMON_DEFAULT_OPTIONS},
                    description=kind.key if placeholders else None,
                    description_placeholders=placeholders,
                )
        name_field = (
            vol.Required(CONF_NAME, default=kind.default_name)
            if kind.default_name
            else vol.Required(CONF_NAME)
        )
        schema = vol.Schema(
            {
                name_field: TextSelector(),
                vol.Required(CONF_ZONE, default=DEFAULT_ZONE): ZONE_SELECTOR,
                **kind.config_fields(self.hass),
            }
        )
        return self.async_show_form(
            step_id=kind.key,
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
    """Tune the source (its kind's own options) and the approach engine (common to all).

    The form's step id is the kind's key, so each kind has its own texts.
    """

    async def async_step_simulator(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check the options of a simulated car."""
        return await self.async_step_init(user_input)

    async def async_step_mirror(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Check the options of a mirrored vehicle."""
        return await self.async_step_init(user_input)

    async def async_step_webhook(
        self, user_input: dict[str, Any] | None = None
    ) -> ConfigFlowResult:
        """Check the options of a vehicle that posts to a webhook."""
        return await self.async_step_init(user_input)

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> ConfigFlowResult:
        """Show and check the options."""
        entry = self.config_entry
        kind = _kind(entry)
        errors: dict[str, str] = {}
        placeholders: dict[str, str] = {}
        if user_input is not None:
            common = check_common(user_input, errors)
            _check_zone(self.hass, user_input[CONF_ZONE], errors)
            kind_options = kind.validate_options(self.hass, user_input, errors)
            placeholders = check_options_together(user_input, common[CONF_THRESHOLDS], errors)
            unique_id = entry.unique_id
            if not errors and kind.unique_id_from_options is not None:
                field, unique_id = kind.unique_id_from_options(self.hass, user_input)
                if unique_id != entry.unique_id and any(
                    other.unique_id == unique_id
                    for other in self.hass.config_entries.async_entries(DOMAIN)
                ):
                    errors[field] = "tracker_in_use"
            if not errors:
                if unique_id is not None and unique_id != entry.unique_id:
                    # The vehicle is now another car's: its unique id follows.
                    async_move_unique_id(self.hass, entry, unique_id)
                return self.async_create_entry(
                    data={
                        **{k: entry.options[k] for k in kind.kept_options if k in entry.options},
                        **kind_options,
                        **common,
                        CONF_ZONE: user_input[CONF_ZONE],
                    }
                )
        current = {
            **COMMON_DEFAULT_OPTIONS,
            **kind.default_options,
            **entry.data,
            **entry.options,
        }
        current.setdefault(CONF_ZONE, entry.data[CONF_ZONE])
        current[CONF_THRESHOLDS] = [f"{t:g}" for t in current[CONF_THRESHOLDS]]
        # Current values are the defaults, so a partial submission keeps the rest.
        schema = vol.Schema({**kind.options_fields(self.hass, current), **common_fields(current)})
        return self.async_show_form(
            step_id=kind.key,
            data_schema=self.add_suggested_values_to_schema(schema, user_input or current),
            errors=errors,
            description_placeholders={
                **(
                    kind.created_placeholders(self.hass, current)
                    if kind.created_placeholders
                    else {}
                ),
                **placeholders,
            },
        )
