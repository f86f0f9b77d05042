"""Crossings: approaching and leaving each threshold, and time to home below N minutes.

Pure Python, no Home Assistant imports. Each watched threshold or number of
minutes is armed with a hysteresis, so one crossing fires once however the
fixes or the estimate wobble around it.
"""

from __future__ import annotations

from collections.abc import Iterable

from .model import (
    ApproachEvent,
    ApproachState,
    Direction,
    EventType,
    normalize_km,
    normalize_minutes,
)

#: Time to home must rise this far (min) above a watched number of minutes
#: before crossing it again fires again.
ETA_REARM_MARGIN_MIN = 2.0


class Crossing:
    """Approaching/leaving state for one threshold, armed with hysteresis.

    ``approaching`` fires once the whole accuracy circle is within the
    threshold while the vehicle is under way (a car parked on the ring has not
    crossed it, however its fixes scatter) and re-arms only once it lies wholly beyond threshold +
    hysteresis; ``leaving`` mirrors it (re-arming at threshold - hysteresis,
    or home, for thresholds inside the hysteresis).
    """

    __slots__ = ("approach_armed", "leave_armed", "threshold_m")

    def __init__(self, threshold_m: float, distance_m: float) -> None:
        """Arm for the side of the threshold the vehicle is on."""
        self.threshold_m = threshold_m
        self.approach_armed = distance_m > threshold_m
        self.leave_armed = not self.approach_armed

    def update(
        self, distance_m: float, accuracy: float, hysteresis_m: float, *, under_way: bool
    ) -> EventType | None:
        """Evaluate one decision distance; return the crossing it makes, if any."""
        t = self.threshold_m
        near, far = distance_m + accuracy, distance_m - accuracy
        event: EventType | None = None
        if self.approach_armed and near <= t and under_way:
            self.approach_armed = False
            event = EventType.APPROACHING
        elif not self.approach_armed and far > t + hysteresis_m:
            self.approach_armed = True
        if self.leave_armed and far > t and under_way:
            self.leave_armed = False
            event = EventType.LEAVING
        elif not self.leave_armed and near <= max(0.0, t - hysteresis_m):
            self.leave_armed = True
        return event


def minutes_armed(
    minutes: float, state: ApproachState | None, armed: bool | None, *, moving: bool = True
) -> bool:
    """Return the next arm state of one watched number of minutes.

    Armed, it fires (and disarms) once time to home is known and at most
    ``minutes``; disarmed, it re-arms once time to home is clearly above again
    (``ETA_REARM_MARGIN_MIN``) while the car moves (a wait at a light lets the
    estimate grow, but the car is no farther), or the car turns away or is
    home, so one approach fires it once however the estimate wobbles.
    """
    eta = None if state is None else state.time_to_home_min
    if armed is None:  # first seen: armed unless already within
        return eta is None or eta > minutes
    if armed:
        return not (eta is not None and eta <= minutes)
    if state is None:
        return False
    return (
        state.at_home
        or state.direction is Direction.AWAY_FROM
        or (moving and eta is not None and eta > minutes + ETA_REARM_MARGIN_MIN)
    )


class Thresholds:
    """The crossings of every watched threshold: the configured and the extra ones."""

    __slots__ = ("_configured", "_crossings", "_extra", "saved")

    def __init__(self, configured: Iterable[float]) -> None:
        """Watch the configured thresholds (km); nothing is armed before a distance."""
        self._configured = frozenset(normalize_km(t) for t in configured)
        self._extra: frozenset[float] = frozenset()
        self._crossings: dict[float, Crossing] = {}
        #: Restored arms, applied to a threshold when it is (re)created.
        self.saved: dict[float, tuple[bool, bool]] = {}

    @property
    def km(self) -> list[float]:
        """Return every threshold with an armed crossing."""
        return sorted(self._crossings)

    @property
    def arms(self) -> dict[float, tuple[bool, bool]]:
        """Return (approach armed, leave armed) per threshold."""
        return {km: (c.approach_armed, c.leave_armed) for km, c in self._crossings.items()}

    def set_configured(self, thresholds_km: Iterable[float]) -> None:
        """Watch these configured thresholds (km) from now on."""
        self._configured = frozenset(normalize_km(t) for t in thresholds_km)

    def set_extra(self, thresholds_km: Iterable[float]) -> None:
        """Watch these thresholds as well as the configured ones."""
        self._extra = frozenset(normalize_km(t) for t in thresholds_km)

    def clear(self) -> None:
        """Forget every arm (they are derived again from the next distance)."""
        self._crossings = {}

    def sync(self, distance_m: float | None) -> None:
        """Drop unwatched thresholds and arm new ones for ``distance_m`` (None: not yet)."""
        wanted = self._configured | self._extra
        for km in list(self._crossings):
            if km not in wanted:
                del self._crossings[km]
        if distance_m is None:
            return
        for km in wanted - self._crossings.keys():
            crossing = self._crossings[km] = Crossing(km * 1000, distance_m)
            if (arms := self.saved.get(km)) is not None:
                crossing.approach_armed, crossing.leave_armed = arms

    def update(
        self, distance_m: float, accuracy: float, hysteresis_m: float, *, under_way: bool
    ) -> list[ApproachEvent]:
        """Evaluate one decision distance against every threshold."""
        distance_km = round(distance_m / 1000, 3)
        events: list[ApproachEvent] = []
        for km, crossing in self._crossings.items():
            crossed = crossing.update(distance_m, accuracy, hysteresis_m, under_way=under_way)
            if crossed is not None:
                events.append(ApproachEvent(type=crossed, distance_km=distance_km, threshold_km=km))
        return events


class Minutes:
    """The time-to-home crossings of every watched number of minutes."""

    __slots__ = ("_arms", "_configured", "_extra", "saved")

    def __init__(self, configured: Iterable[float]) -> None:
        """Watch the configured minutes; each is armed on the first state it sees."""
        self._configured = frozenset(normalize_minutes(m) for m in configured)
        self._extra: frozenset[float] = frozenset()
        #: Arm state per watched number of minutes (None: not yet evaluated).
        self._arms: dict[float, bool | None] = dict.fromkeys(sorted(self._configured))
        #: Restored arms, applied to minutes when they are watched again.
        self.saved: dict[float, bool] = {}

    @property
    def minutes(self) -> list[float]:
        """Return every watched number of minutes."""
        return sorted(self._arms)

    @property
    def arms(self) -> dict[float, bool]:
        """Return the arm state of every evaluated number of minutes."""
        return {m: armed for m, armed in self._arms.items() if armed is not None}

    def set_configured(self, minutes: Iterable[float]) -> None:
        """Watch these configured minutes from now on."""
        self._configured = frozenset(normalize_minutes(m) for m in minutes)

    def set_extra(self, minutes: Iterable[float]) -> None:
        """Watch these minutes as well as the configured ones."""
        self._extra = frozenset(normalize_minutes(m) for m in minutes)

    def clear(self) -> None:
        """Forget every arm and what was restored."""
        self._arms = dict.fromkeys(self._arms)
        self.saved = {}

    def sync(self, state: ApproachState | None) -> None:
        """Drop unwatched minutes and arm new ones for ``state`` (None: not yet)."""
        wanted = sorted(self._configured | self._extra)
        arms = self._arms
        self._arms = {m: a if (a := arms.get(m)) is not None else self.saved.get(m) for m in wanted}
        if state is not None:
            for m, armed in self._arms.items():
                if armed is None:
                    self._arms[m] = minutes_armed(m, state, None)

    def update(self, state: ApproachState | None, *, moving: bool) -> list[ApproachEvent]:
        """Evaluate one state (``moving``: its fix moved the car); return the crossings."""
        events: list[ApproachEvent] = []
        for m, armed in self._arms.items():
            now_armed = minutes_armed(m, state, armed, moving=moving)
            if armed and not now_armed and state is not None:
                events.append(
                    ApproachEvent(
                        type=EventType.TIME_TO_HOME_BELOW,
                        distance_km=round(state.distance_m / 1000, 3),
                        minutes=m,
                    )
                )
            self._arms[m] = now_armed
        return events


def event_order(event: ApproachEvent) -> tuple[int, float]:
    """Order events as a drive meets them: departure, leaving, approaching, arrival."""
    threshold = event.threshold_km or 0.0
    match event.type:
        case EventType.LEFT_HOME:
            return (0, 0.0)
        case EventType.LEAVING:
            return (1, threshold)
        case EventType.APPROACHING:
            return (2, -threshold)
        case EventType.TIME_TO_HOME_BELOW:
            return (3, -(event.minutes or 0.0))
        case _:
            return (4, 0.0)
