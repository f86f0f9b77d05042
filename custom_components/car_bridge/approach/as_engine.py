"""The approach engine as one :class:`~..vehicle.engines.Engine` the coordinator feeds.

Pure Python, no Home Assistant imports. It turns each :class:`VehicleState`
into the engine's fix (only when the source reported a new one: a battery,
lock or climate update lets time pass but never re-feeds the old fix) and the
engine's events into :class:`Conclusion` s. A first fix, and a fix that comes
back after the position was unavailable, conclude nothing: neither is an
arrival or a departure.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from ..vehicle.engines import Conclusion
from ..vehicle.model import Position, Value, VehicleState
from .engine import ApproachEngine
from .model import ApproachEvent, ApproachState, Home, MalformedStateError

KEY = "approach"


def conclusion(event: ApproachEvent, state: ApproachState | None) -> Conclusion:
    """Return the event as it goes on the bus (with the time to home it crossed)."""
    data: dict[str, Any] = {"distance_km": event.distance_km}
    if event.threshold_km is not None:
        data["threshold_km"] = event.threshold_km
    if event.minutes is not None:
        data["minutes"] = event.minutes
        data["time_to_home"] = None if state is None else state.time_to_home_min
    return Conclusion(type=event.type.value, data=data)


class ApproachAsEngine:
    """Feeds an :class:`ApproachEngine` from vehicle states."""

    key = KEY

    def __init__(self, engine: ApproachEngine) -> None:
        """Wrap ``engine``."""
        self.engine = engine
        #: The last fix fed and its time.
        self._fed: tuple[Position, datetime] | None = None
        self._position_unavailable = False

    @property
    def result(self) -> ApproachState | None:
        """Return the engine's current conclusions (None before a first usable fix)."""
        return self.engine.state

    def update(self, state: VehicleState, now: datetime) -> Sequence[Conclusion]:
        """Feed the state's fix if it is new; return the events it causes."""
        had_fix = self.engine.state is not None
        came_back = self._position_unavailable and Value.POSITION not in state.unavailable
        self._position_unavailable = Value.POSITION in state.unavailable
        if state.position is None:
            return []
        # A Position is a fix as the engine reads it: a missing (or 0) accuracy
        # counts as unknown, not perfect; speed and heading are used when known.
        fix = (state.position, state.fix_time or state.timestamp)
        events: list[ApproachEvent] = []
        if fix != self._fed:
            self._fed = fix
            events = self.engine.update(*fix)
        if state.timestamp > fix[1]:
            # Other values came later than the fix: time passed without a move.
            self.engine.note_time(state.timestamp)
        if came_back or not had_fix:
            return []
        return [conclusion(event, self.engine.state) for event in events]

    def set_home(self, home: Home | None) -> None:
        """Measure against a moved home (None: deleted); concludes nothing."""
        self.engine.set_home(home)

    def set_requests(self, thresholds_km: Iterable[float], minutes: Iterable[float]) -> None:
        """Track these distances and minutes as well as the configured ones (device triggers)."""
        self.engine.set_extra_thresholds(thresholds_km)
        self.engine.set_extra_minutes(minutes)

    def tick(self, now: datetime) -> Sequence[Conclusion]:
        """Let time pass: the approach engine concludes only from fixes."""
        return []

    def as_dict(self) -> dict[str, Any] | None:
        """Return the engine's whole state for the save file."""
        return self.engine.as_dict()

    def restore(self, data: Any) -> list[str]:
        """Resume from :meth:`as_dict` output; return what was discarded."""
        try:
            return [f"{KEY} {part}" for part in self.engine.restore(data)]
        except MalformedStateError, KeyError, TypeError, ValueError:
            return [KEY]
