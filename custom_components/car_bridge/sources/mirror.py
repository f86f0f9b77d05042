"""A vehicle mirrored from entities the user already has.

Any car integration (or a phone in the car) gives Home Assistant a tracker
with GPS attributes and some sensors; this source reads them, converts their
units, and routes Car Bridge's commands to their own actions.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields, replace
from datetime import datetime
from typing import Any

from homeassistant.components.climate import HVACMode
from homeassistant.const import (
    ATTR_ENTITY_ID,
    STATE_ON,
    STATE_UNAVAILABLE,
    STATE_UNKNOWN,
    UnitOfTemperature,
)
from homeassistant.core import (
    CALLBACK_TYPE,
    Event,
    EventStateChangedData,
    HomeAssistant,
    State,
    callback,
    split_entity_id,
)
from homeassistant.helpers import entity_registry as er
from homeassistant.helpers.event import (
    async_track_state_change_event,
)
from homeassistant.util import dt as dt_util
from homeassistant.util.unit_conversion import TemperatureConverter

from ..const import (
    CONF_TRACKER,
    LOGGER,
)
from ..vehicle.charge_state import combine_charge_state, parse_charge_state
from ..vehicle.model import Capabilities, Command, Position, Value, VehicleState
from ..vehicle.source import VehicleSource
from .mirror_config import MirrorConfig
from .mirror_read import SPEED_KMH_PER_UNIT, Reader, fix_time, reports_no_speed

#: Climate modes to switch a mirrored climate on with, in order of preference.
ON_MODES = (HVACMode.HEAT_COOL, HVACMode.AUTO, HVACMode.HEAT, HVACMode.COOL)
LOCK_STATES = {"locked": True, "unlocked": False, "open": False}


class MirrorSource(VehicleSource):
    """A vehicle whose values are other entities' states."""

    def __init__(
        self,
        hass: HomeAssistant,
        config: MirrorConfig,
        title: str,
    ) -> None:
        """Read the mirrored entities' current states."""
        super().__init__()
        self.hass = hass
        self.config = config
        self._title = title
        # Field of each mirrored entity (an entity may back several fields).
        self._fields: dict[str, list[str]] = {}
        for key, entity_id in config.entities().items():
            self._fields.setdefault(entity_id, []).append(key)
        self._reader = Reader(title)
        self._capabilities = self._read_capabilities()
        tracker = er.async_get(hass).async_get(config.tracker)
        self._speed_factor = SPEED_KMH_PER_UNIT.get(tracker.platform, 1.0) if tracker else 1.0
        self._unsubs: list[CALLBACK_TYPE] = []
        self._position: Position | None = None
        #: The time of ``_position``: the tracker's own where it says, else its
        #: ``last_updated``.
        self._fix_time: datetime | None = None
        self._state = self._read(dt_util.utcnow())

    @property
    def capabilities(self) -> Capabilities:
        """Return what the mirrored entities provide and accept."""
        return self._capabilities

    def _attributes(self, entity_id: str | None) -> Mapping[str, Any]:
        """Return an entity's attributes, or its registry capabilities while it has no state."""
        if entity_id is None:
            return {}
        if (state := self.hass.states.get(entity_id)) is not None:
            return state.attributes
        entry = er.async_get(self.hass).async_get(entity_id)
        return (entry.capabilities if entry else None) or {}

    def _read_capabilities(self) -> Capabilities:
        """Return what the entities back: their own ranges; no speed the tracker lacks."""
        c = self.config
        capabilities = c.capabilities()
        if reports_no_speed(self.hass.states.get(c.tracker)):
            capabilities = replace(capabilities, values=capabilities.values - {Value.SPEED})
        climate_range = charge_limit_range = None
        if c.climate is not None:
            # A climate entity's temperatures are in the system's unit.
            climate_range = self._reader.limits(
                c.climate,
                self._attributes(c.climate),
                ("min_temp", "max_temp", "target_temp_step"),
                "climate_target",
                unit=self.hass.config.units.temperature_unit,
            )
        if c.charge_limit is not None:
            charge_limit_range = self._reader.limits(
                c.charge_limit,
                self._attributes(c.charge_limit),
                ("min", "max", "step"),
                "charge_limit",
            )
        return replace(
            capabilities, climate_range=climate_range, charge_limit_range=charge_limit_range
        )

    @property
    def state(self) -> VehicleState:
        """Return the latest state."""
        return self._state

    def start(self, listener: Callable[[VehicleState], None]) -> None:
        """Follow every state change of the mirrored entities."""
        super().start(listener)
        self._unsubs.append(
            async_track_state_change_event(self.hass, list(self._fields), self._state_changed)
        )

    def stop(self) -> None:
        """Stop following."""
        super().stop()
        while self._unsubs:
            self._unsubs.pop()()

    @callback
    def _state_changed(self, event: Event[EventStateChangedData]) -> None:
        new = event.data["new_state"]
        now = new.last_updated if new is not None else dt_util.utcnow()
        state = self._read(now)
        is_fix = CONF_TRACKER in self._fields.get(event.data["entity_id"], ())
        if (
            not is_fix
            and state.unavailable == self._state.unavailable
            and _same(state, self._state)
        ):
            return
        self._state = state
        self._emit(state)

    # -- reading -----------------------------------------------------------

    def _get(self, entity_id: str | None, unavailable: set[Value], *values: Value) -> State | None:
        """Return a usable state, marking ``values`` unavailable if it is not there."""
        if entity_id is None:
            return None
        state = self.hass.states.get(entity_id)
        if state is None or state.state == STATE_UNAVAILABLE:
            unavailable.update(values)
            return None
        if state.state == STATE_UNKNOWN:
            return None
        return state

    def _read(self, now: datetime) -> VehicleState:
        c = self.config
        unavailable: set[Value] = set()
        tracker = self._get(c.tracker, unavailable, Value.POSITION, Value.SPEED)
        # A tracker without coordinates gives no fix: the last one stands.
        if tracker and (position := self._reader.position(tracker, self._speed_factor)):
            self._position, self._fix_time = position, fix_time(tracker)
        values: dict[str, Any] = {}
        for entity_id, value, name in (
            (c.battery, Value.BATTERY_LEVEL, "battery_level"),
            (c.range, Value.RANGE, "range_km"),
            (c.odometer, Value.ODOMETER, "odometer"),
            (c.outside_temperature, Value.OUTSIDE_TEMPERATURE, "outside_temperature"),
            (c.cabin_temperature, Value.CABIN_TEMPERATURE, "cabin_temperature"),
            (c.energy_added, Value.ENERGY_ADDED, "energy_added"),
            (c.charging_power, Value.CHARGING_POWER, "charging_power"),
        ):
            if state := self._get(entity_id, unavailable, value):
                values[name] = self._reader.state(state, name)
        self._read_climate(values, unavailable)
        self._read_charging(values, unavailable)
        if state := self._get(c.lock, unavailable, Value.LOCKED):
            values["locked"] = LOCK_STATES.get(state.state)
        if state := self._get(c.charging_switch, unavailable, Value.CHARGING_ENABLED):
            values["charging_enabled"] = state.state == STATE_ON
        if state := self._get(c.charge_limit, unavailable, Value.CHARGE_LIMIT):
            limit = self._reader.state(state, "charge_limit")
            values["charge_limit"] = None if limit is None else round(limit)
        if state := self._get(c.charging_current, unavailable, Value.CHARGING_CURRENT):
            values["charging_current"] = self._reader.state(state, "charging_current")
            values["charging_current_range"] = self._reader.range(state, "charging_current")
        return VehicleState(
            timestamp=now,
            position=self._position,
            fix_time=self._fix_time,
            unavailable=frozenset(unavailable),
            **values,
        )

    def _read_climate(self, values: dict[str, Any], unavailable: set[Value]) -> None:
        if (state := self._get(self.config.climate, unavailable, Value.CLIMATE)) is None:
            return
        values["climate_on"] = state.state != HVACMode.OFF
        # A climate entity's temperatures are in the system's unit.
        unit = self.hass.config.units.temperature_unit
        values["climate_target"] = self._reader.attribute(
            state, "temperature", "climate_target", unit=unit
        )
        if self.config.cabin_temperature is None:
            values["cabin_temperature"] = self._reader.attribute(
                state, "current_temperature", "cabin_temperature", unit=unit
            )

    def _read_charging(self, values: dict[str, Any], unavailable: set[Value]) -> None:
        c = self.config
        reported = charging = plugged_in = None
        if state := self._get(c.charge_state, unavailable, Value.CHARGE_STATE):
            if split_entity_id(state.entity_id)[0] == "binary_sensor":
                charging = state.state == STATE_ON
            else:
                reported = parse_charge_state(state.state)
                # Once per entity (as documented): a source inventing a new
                # string every minute must neither flood the log nor grow memory.
                if reported is None and self._reader.logged.first(
                    (state.entity_id, "charging state")
                ):
                    LOGGER.info(
                        "%s: charging state %r of %s is not one Car Bridge knows;"
                        " shown as unknown (logged once)",
                        self._title,
                        state.state[:64],
                        state.entity_id,
                    )
        if state := self._get(c.plugged_in, unavailable, Value.CHARGE_STATE):
            plugged_in = state.state == STATE_ON
        values["charge_state"] = combine_charge_state(reported, charging, plugged_in)

    # -- commands ----------------------------------------------------------

    async def _call(self, domain: str, service: str, entity_id: str, **data: Any) -> None:
        await self.hass.services.async_call(
            domain, service, {ATTR_ENTITY_ID: entity_id, **data}, blocking=True
        )

    async def async_set_locked(self, locked: bool) -> None:
        """Lock or unlock the mirrored lock."""
        if self.config.lock is None:
            raise self._unsupported(Command.LOCK)
        await self._call("lock", "lock" if locked else "unlock", self.config.lock)

    async def async_set_charging(self, on: bool) -> None:
        """Switch the mirrored charging switch."""
        if self.config.charging_switch is None:
            raise self._unsupported(Command.CHARGING)
        await self._call("switch", "turn_on" if on else "turn_off", self.config.charging_switch)

    async def async_set_charge_limit(self, percent: int) -> None:
        """Set the mirrored charge limit."""
        if self.config.charge_limit is None:
            raise self._unsupported(Command.CHARGE_LIMIT)
        domain = split_entity_id(self.config.charge_limit)[0]
        await self._call(domain, "set_value", self.config.charge_limit, value=percent)

    async def async_set_charging_current(self, amps: int) -> None:
        """Set the mirrored charging current (the car's own number)."""
        if self.config.charging_current is None:
            raise self._unsupported(Command.CHARGING_CURRENT)
        domain = split_entity_id(self.config.charging_current)[0]
        await self._call(domain, "set_value", self.config.charging_current, value=amps)

    async def async_set_climate(self, on: bool, target: float | None = None) -> None:
        """Set the mirrored climate's mode and target (given in °C)."""
        if (entity_id := self.config.climate) is None:
            raise self._unsupported(Command.CLIMATE)
        state = self.hass.states.get(entity_id)
        if target is not None:
            unit = self.hass.config.units.temperature_unit
            converted = TemperatureConverter.convert(target, UnitOfTemperature.CELSIUS, unit)
            await self._call("climate", "set_temperature", entity_id, temperature=converted)
        mode = HVACMode.OFF
        if on:
            modes = state.attributes.get("hvac_modes", []) if state is not None else []
            mode = next((m for m in ON_MODES if m in modes), HVACMode.HEAT_COOL)
            if state is not None and state.state not in (HVACMode.OFF, STATE_UNAVAILABLE):
                return  # already running: keep its mode
        await self._call("climate", "set_hvac_mode", entity_id, hvac_mode=mode)

    async def async_navigate_to(
        self,
        latitude: float,
        longitude: float,
        name: str,
        *,
        address: str | None = None,
        text: str | None = None,
    ) -> None:
        """Run the destination script with the destination as variables."""
        if (script := self.config.destination_script) is None:
            raise self._unsupported(Command.NAVIGATE)
        await self._call(
            "script",
            "turn_on",
            script,
            variables={
                "latitude": latitude,
                "longitude": longitude,
                "name": name,
                "address": address,
                "text": text,
            },
        )


def _same(a: VehicleState, b: VehicleState) -> bool:
    """Return whether two states differ only in their timestamp."""
    return all(getattr(a, f.name) == getattr(b, f.name) for f in fields(a) if f.name != "timestamp")
