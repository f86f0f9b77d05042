"""Which entities a mirror vehicle is made from, and what they let it provide and accept."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from ..vehicle.model import Capabilities, Command, Value


@dataclass(frozen=True, kw_only=True)
class MirrorConfig:
    """The entities a mirror vehicle is made from."""

    tracker: str
    battery: str | None = None
    range: str | None = None
    charge_state: str | None = None
    plugged_in: str | None = None
    cabin_temperature: str | None = None
    outside_temperature: str | None = None
    odometer: str | None = None
    climate: str | None = None
    lock: str | None = None
    charging_switch: str | None = None
    charge_limit: str | None = None
    energy_added: str | None = None
    charging_power: str | None = None
    charging_current: str | None = None
    destination_script: str | None = None

    @classmethod
    def from_mapping(cls, data: Mapping[str, Any]) -> MirrorConfig:
        """Read the fields from an entry's merged data and options."""
        values: dict[str, Any] = {f.name: data.get(f.name) or None for f in fields(cls)}
        return cls(**values)

    def entities(self) -> dict[str, str]:
        """Return the configured entity of each field."""
        return {f.name: v for f in fields(self) if (v := getattr(self, f.name)) is not None}

    def capabilities(self) -> Capabilities:
        """Return what a vehicle made of these entities provides and accepts."""
        values = {Value.POSITION, Value.SPEED}
        commands: set[Command] = set()
        simple = {
            Value.BATTERY_LEVEL: self.battery,
            Value.RANGE: self.range,
            Value.OUTSIDE_TEMPERATURE: self.outside_temperature,
            Value.ODOMETER: self.odometer,
            Value.CHARGE_STATE: self.charge_state or self.plugged_in,
            Value.CABIN_TEMPERATURE: self.cabin_temperature or self.climate,
            Value.CLIMATE: self.climate,
            Value.LOCKED: self.lock,
            Value.CHARGING_ENABLED: self.charging_switch,
            Value.CHARGE_LIMIT: self.charge_limit,
            Value.ENERGY_ADDED: self.energy_added,
            Value.CHARGING_POWER: self.charging_power,
            Value.CHARGING_CURRENT: self.charging_current,
        }
        values.update(value for value, entity in simple.items() if entity)
        for command, entity in (
            (Command.CLIMATE, self.climate),
            (Command.LOCK, self.lock),
            (Command.CHARGING, self.charging_switch),
            (Command.CHARGE_LIMIT, self.charge_limit),
            (Command.CHARGING_CURRENT, self.charging_current),
            (Command.NAVIGATE, self.destination_script),
        ):
            if entity:
                commands.add(command)
        return Capabilities(values=frozenset(values), commands=frozenset(commands))
