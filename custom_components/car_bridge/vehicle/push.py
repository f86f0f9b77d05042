"""A vehicle fed by pushed telemetry (the webhook source's pure core).

Each :class:`TelemetryUpdate` is merged into the last state: values it does
not carry keep their last value. An update stamped before the last accepted
one is ignored (a replayed or buffered post cannot move the car back in time).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import Any

from . import trust
from .formats import MAX_CLOCK_SKEW, TelemetryUpdate
from .formats.car_bridge import RANGES
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
            Value.ENERGY_ADDED,
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
    "energy_added",
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
        #: Saved values that could not be trusted and start afresh.
        self.discarded: list[str] = []
        if saved:
            self._state, self.last_received, self.discarded = _restore(saved, now)

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
        # A fix cannot come from the future: one stamped ahead (a sender's
        # clock glitch, allowed within the formats' skew) counts as taken now,
        # or every correct post after it would look older and be ignored.
        stamp = min(update.timestamp or received, received)
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


def _restore(
    saved: dict[str, Any], now: datetime
) -> tuple[VehicleState, datetime | None, list[str]]:
    """Rebuild a saved state value by value; what cannot be trusted is unknown.

    Every number must be finite and in the range the Car Bridge format allows,
    and times must be aware and not ahead of ``now``: a time ahead would make
    every later post look older and be ignored. Returns the state, when the
    last update arrived, and the names of the values that were discarded.
    """
    discarded: list[str] = []

    def checked[T](name: str, parse: Callable[[Any], T | None]) -> T | None:
        """Return the saved value if it is sound; note it as discarded if not."""
        value = parse(saved.get(name))
        if value is None and saved.get(name) is not None:
            discarded.append(name)
        return value

    timestamp = checked("timestamp", lambda raw: _time(raw, now))
    received = checked("last_received", lambda raw: _time(raw, now))
    if timestamp is None:
        if "timestamp" not in discarded:
            discarded.append("timestamp")
        # Nothing saved may hold back the next post.
        timestamp, received = now, None
    position, bad_parts = _position(saved.get("position"))
    if position is None and saved.get("position") is not None:
        discarded.append("position")
    discarded.extend(f"position.{name}" for name in bad_parts)
    fix_time = checked("fix_time", lambda raw: _time(raw, now)) if position else None
    charge_state: ChargeState | None = None
    if (raw_state := saved.get("charge_state")) is not None:
        if isinstance(raw_state, str) and raw_state in set(ChargeState):
            charge_state = ChargeState(raw_state)
        else:
            discarded.append("charge_state")
    values: dict[str, Any] = {}
    for name in _SAME_NAME:
        if (raw := saved.get(name)) is None:
            values[name] = None
            continue
        if name in RANGES:
            value: Any = trust.number(raw, *RANGES[name])
        else:
            value = trust.boolean(raw)
        if value is None:
            discarded.append(name)
        values[name] = value
    state = VehicleState(
        timestamp=timestamp,
        fix_time=fix_time,
        position=position,
        charge_state=charge_state,
        **values,
    )
    return state, received, discarded


def _time(value: Any, now: datetime) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    if parsed.tzinfo is None or parsed > now + MAX_CLOCK_SKEW:
        return None
    # Slightly ahead (the clock was set back a little): as of now, like a post.
    return min(parsed, now)


def _position(value: Any) -> tuple[Position | None, list[str]]:
    """Return a saved position and the names of its parts that were not sound.

    The coordinates are the position; a bad accuracy, heading or speed
    discards only itself (unknown), not the place the car was at.
    """
    if not isinstance(value, dict):
        return None, []
    point = trust.coordinates(value.get("latitude"), value.get("longitude"))
    if point is None:
        return None, []
    checked: dict[str, float | None] = {}
    bad: list[str] = []
    for name in ("accuracy", "heading", "speed"):
        raw = value.get(name)
        checked[name] = None if raw is None else trust.quantity(raw, name)
        if raw is not None and checked[name] is None:
            bad.append(name)
    return Position(latitude=point[0], longitude=point[1], **checked), bad
