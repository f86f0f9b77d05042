"""Repairs: pick a new source entity for a mirror vehicle whose entity was deleted."""

from __future__ import annotations

from typing import Any

import probatio as vol

from homeassistant.components.repairs import ConfirmRepairFlow, RepairsFlow, RepairsFlowResult
from homeassistant.const import CONF_ENTITY_ID
from homeassistant.core import HomeAssistant

from .const import CONF_TRACKER, DOMAIN
from .data import CarBridgeConfigEntry
from .entity_ids import async_move_unique_id
from .sources.mirror_kind import (
    async_replace_entity,
    check_entity,
    entity_selector,
    fields_using,
    unique_id_of_tracker,
)


class SourceEntityRepairFlow(RepairsFlow):
    """Replace a deleted source entity by one the user picks."""

    def __init__(self, entry: CarBridgeConfigEntry, entity_id: str) -> None:
        """Repair ``entry``, which mirrored the deleted ``entity_id``."""
        self._entry = entry
        self._old = entity_id

    async def async_step_init(self, user_input: dict[str, Any] | None = None) -> RepairsFlowResult:
        """Offer a picker of the same kind as the deleted entity's field."""
        fields = fields_using(self._entry, self._old) or [CONF_TRACKER]
        errors: dict[str, str] = {}
        # Repairs opens the flow with the issue's data as input: not an answer yet.
        if user_input is not None and CONF_ENTITY_ID in user_input:
            new = user_input[CONF_ENTITY_ID]
            for key in fields:
                check_entity(self.hass, key, new, errors)
            if errors:
                errors = {CONF_ENTITY_ID: next(iter(errors.values()))}
            elif CONF_TRACKER in fields:
                unique_id = unique_id_of_tracker(self.hass, new)
                if any(
                    other.unique_id == unique_id and other.entry_id != self._entry.entry_id
                    for other in self.hass.config_entries.async_entries(DOMAIN)
                ):
                    errors[CONF_ENTITY_ID] = "tracker_in_use"
                elif unique_id != self._entry.unique_id:
                    async_move_unique_id(self.hass, self._entry, unique_id)
            if not errors:
                async_replace_entity(self.hass, self._entry, self._old, new)
                return self.async_create_entry(data={})
        return self.async_show_form(
            step_id="init",
            data_schema=vol.Schema({vol.Required(CONF_ENTITY_ID): entity_selector(fields[0])}),
            errors=errors,
            description_placeholders={"vehicle": self._entry.title, "entity": self._old},
        )


async def async_create_fix_flow(
    hass: HomeAssistant, issue_id: str, data: dict[str, str | int | float | None] | None
) -> RepairsFlow:
    """Create the fix flow of a Car Bridge repair issue."""
    entry = hass.config_entries.async_get_entry(str((data or {}).get("entry_id")))
    if entry is None or not isinstance(entity_id := (data or {}).get("entity_id"), str):
        return ConfirmRepairFlow()  # the vehicle is gone: nothing left to repair
    return SourceEntityRepairFlow(entry, entity_id)
