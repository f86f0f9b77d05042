"""A vehicle fed by pushed telemetry (the webhook source's pure core).

Each :class:`TelemetryUpdate` is merged into the last state: values it does
not carry keep their last value. An update stamped before the last accepted
one is ignored (a replayed or buffered post cannot move the car back in time).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from typing import Any

from .formats import TelemetryUpdate
from .model import Capabilities, ChargeState, Position, Value, VehicleState
from .source import VehicleSource

PUSH_CAPABILITIES = Capabilities(
    values=frozenset(
        {
            Value.POSITION,
            Value.SPEED,
            Value.BATTERY_LEVEL,
            Value.RANGE,
            Value.CHARGE_STATE,
            Value.CHARGING_POWER,
            Value.CABIN_TEMPERATURE,
            Value.OUTSIDE_TEMPERATURE,
            Value.ODOMETER,
            Value.CONNECTED,
        }
    )
)

#: VehicleState fields an update carries under the same name.
_SAME_NAME = (
    "battery_level",
    "range_km",
    "charging_power",
    "cabin_temperature",
    "outside_temperature",
    "odometer",
    "locked",
    "climate_on",
)


class PushVehicle(VehicleSource):
    """A vehicle whose state is whatever was last pushed."""

    def __init__(self, now: datetime, saved: dict[str, Any] | None = None) -> None:
        """Start with unknown values, or resume from :meth:`as_dict`'s output."""
        super().__init__()
        self._state = VehicleState(timestamp=now)
        #: When the last accepted update arrived (our clock), for staleness.
        self.last_received: datetime | None = None
        if saved:
            self._state, self.last_received = _restore(saved)

    @property
    def capabilities(self) -> Capabilities:
        """Return what a pushed vehicle can report (it accepts no commands)."""
        return PUSH_CAPABILITIES

    @property
    def state(self) -> VehicleState:
        """Return the latest merged state."""
        return self._state

    def apply(self, update: TelemetryUpdate, received: datetime) -> bool:
        """Merge ``update``; return False if it was older than the last one and ignored."""
        stamp = update.timestamp or received
        if self.last_received is not None and stamp < self._state.timestamp:
            return False
        old = self._state
        position = old.position
        # The position's own time: an update without one does not make the old place new.
        fix_time = old.fix_time or old.timestamp
        if update.has_position:
            fix_time = stamp
            assert update.latitude is not None
            assert update.longitude is not None
            position = Position(
                latitude=update.latitude,
                longitude=update.longitude,
                accuracy=update.accuracy,
                heading=update.heading,
                speed=update.speed,
            )
        elif position is not None and (update.speed is not None or update.heading is not None):
            position = replace(
                position,
                speed=update.speed if update.speed is not None else position.speed,
                heading=update.heading if update.heading is not None else position.heading,
            )
        changes: dict[str, Any] = {
            name: value for name in _SAME_NAME if (value := getattr(update, name)) is not None
        }
        if update.charge_state is not None:
            changes["charge_state"] = ChargeState(update.charge_state)
        elif update.not_charging and old.charge_state is ChargeState.CHARGING:
            # The charge ended; whether the cable is still in is not said.
            changes["charge_state"] = None
        self._state = replace(
            old,
            timestamp=stamp,
            position=position,
            fix_time=fix_time if position is not None else None,
            connected=True,
            **changes,
        )
        self.last_received = received
        return True

    def set_connected(self, connected: bool) -> None:
        """Mark the vehicle (dis)connected; values stay as they were."""
        self._state = replace(self._state, connected=connected)

    def publish(self) -> None:
        """Report the current state to the listener."""
        self._emit(self._state)

    def as_dict(self) -> dict[str, Any]:
        """Return what is needed to resume after a restart."""
        state = self._state
        position = state.position
        return {
            "timestamp": state.timestamp.isoformat(),
            "fix_time": state.fix_time.isoformat() if state.fix_time else None,
            "last_received": self.last_received.isoformat() if self.last_received else None,
            "position": None
            if position is None
            else {
                "latitude": position.latitude,
                "longitude": position.longitude,
                "accuracy": position.accuracy,
                "heading": position.heading,
                "speed": position.speed,
            },
            "charge_state": None if state.charge_state is None else state.charge_state.value,
            **{name: getattr(state, name) for name in _SAME_NAME},
        }


def _restore(saved: dict[str, Any]) -> tuple[VehicleState, datetime | None]:
    """Rebuild a saved state; a malformed one raises KeyError, TypeError or ValueError."""
    position = saved.get("position")
    state = VehicleState(
        timestamp=datetime.fromisoformat(saved["timestamp"]),
        fix_time=None
        if saved.get("fix_time") is None
        else datetime.fromisoformat(saved["fix_time"]),
        position=None
        if position is None
        else Position(
            latitude=float(position["latitude"]),
            longitude=float(position["longitude"]),
            accuracy=_opt_float(position.get("accuracy")),
            heading=_opt_float(position.get("heading")),
            speed=_opt_float(position.get("speed")),
        ),
        charge_state=None
        if saved.get("charge_state") is None
        else ChargeState(saved["charge_state"]),
        **{name: _opt(name, saved.get(name)) for name in _SAME_NAME},
    )
    received = saved.get("last_received")
    return state, None if received is None else datetime.fromisoformat(received)


def _opt_float(value: Any) -> float | None:
    return None if value is None else float(value)


def _opt(name: str, value: Any) -> Any:
    if value is None:
        return None
    if name in {"locked", "climate_on"}:
        if not isinstance(value, bool):
            raise TypeError(name)
        return value
    return float(value)
