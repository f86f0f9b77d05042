"""The home-approach engine: noisy fixes in, jitter-proof conclusions out.

Out come the filtered distance, direction, time to home, at-home and crossing
events.

Pure Python, no Home Assistant imports. The engine keeps one *filtered*
position that moves only on significant movement, and derives everything else
from it, so a parked car's outputs stay still however noisy its GPS is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
import math
from typing import Any, Protocol

from .geo import ellipsoid_distance, local_offset_m

DEFAULT_HYSTERESIS_M = 200.0
DEFAULT_MAX_ACCURACY_M = 200.0
DEFAULT_THRESHOLDS_KM = (5.0, 1.0)
#: Without significant movement for this long a vehicle counts as stationary.
STATIONARY_AFTER_S = 180.0
#: Weight of the newest closing speed in the smoothed one.
CLOSING_SPEED_ALPHA = 0.4
#: Below this closing speed (m/s) no time to home is estimated.
MIN_CLOSING_SPEED = 0.5


class Direction(StrEnum):
    """Direction of travel, with core ``proximity``'s values."""

    ARRIVED = "arrived"
    TOWARDS = "towards"
    AWAY_FROM = "away_from"
    STATIONARY = "stationary"


class EventType(StrEnum):
    """Events the engine emits."""

    APPROACHING = "approaching"
    LEAVING = "leaving"
    ARRIVED_HOME = "arrived_home"
    LEFT_HOME = "left_home"


@dataclass(frozen=True, slots=True)
class Home:
    """The home zone: centre and radius in metres."""

    latitude: float
    longitude: float
    radius: float


class FixLike(Protocol):
    """The part of a GPS fix the engine reads."""

    @property
    def latitude(self) -> float:
        """Latitude in degrees."""

    @property
    def longitude(self) -> float:
        """Longitude in degrees."""

    @property
    def accuracy(self) -> float:
        """Accuracy radius in metres."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """A GPS fix as the engine stores it."""

    latitude: float
    longitude: float
    accuracy: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproachEvent:
    """A crossing, an arrival or a departure."""

    type: EventType
    distance_km: float
    threshold_km: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproachState:
    """What the engine currently concludes."""

    latitude: float
    longitude: float
    accuracy: float
    distance_m: float
    direction: Direction
    time_to_home_min: int | None
    at_home: bool


@dataclass(kw_only=True)
class ApproachConfig:
    """Tunable behaviour of the engine."""

    thresholds_km: tuple[float, ...] = DEFAULT_THRESHOLDS_KM
    hysteresis_m: float = DEFAULT_HYSTERESIS_M
    max_accuracy_m: float = DEFAULT_MAX_ACCURACY_M


class _Crossing:
    """Approaching/leaving state for one threshold, armed with hysteresis.

    ``approaching`` fires when the distance falls to or below the threshold and
    re-arms only once it exceeds threshold + hysteresis; ``leaving`` fires when
    it rises above the threshold and re-arms only once it falls to
    threshold - hysteresis (or home, for thresholds inside the hysteresis).
    """

    __slots__ = ("approach_armed", "leave_armed", "threshold_m")

    def __init__(self, threshold_m: float, distance_m: float) -> None:
        self.threshold_m = threshold_m
        self.approach_armed = distance_m > threshold_m
        self.leave_armed = not self.approach_armed

    def update(self, distance_m: float, hysteresis_m: float) -> EventType | None:
        t = self.threshold_m
        event: EventType | None = None
        if self.approach_armed and distance_m <= t:
            self.approach_armed = False
            event = EventType.APPROACHING
        elif not self.approach_armed and distance_m > t + hysteresis_m:
            self.approach_armed = True
        if self.leave_armed and distance_m > t:
            self.leave_armed = False
            event = EventType.LEAVING
        elif not self.leave_armed and distance_m <= max(0.0, t - hysteresis_m):
            self.leave_armed = True
        return event


def normalize_km(value: float) -> float:
    """Return a threshold in km as the engine keys it (1 m resolution)."""
    return round(float(value), 3)


class ApproachEngine:
    """Turns a stream of fixes into jitter-proof approach information."""

    def __init__(self, config: ApproachConfig, home: Home) -> None:
        """Create an engine; the first fix initialises it without events."""
        self.config = config
        self._home = home
        self._state: ApproachState | None = None
        self._last_move: datetime | None = None
        self._closing_speed: float | None = None
        self._crossings: dict[float, _Crossing] = {}
        self._extra: frozenset[float] = frozenset()

    # -- configuration -----------------------------------------------------

    @property
    def home(self) -> Home:
        """Return the home the engine measures against."""
        return self._home

    @property
    def thresholds_km(self) -> list[float]:
        """Return every threshold crossings are tracked for."""
        return sorted(self._crossings)

    def set_home(self, home: Home) -> None:
        """Measure against a new home; re-initialises silently."""
        if home == self._home:
            return
        self._home = home
        if self._state is not None:
            s = self._state
            self._state = None
            self._initialise(Fix(latitude=s.latitude, longitude=s.longitude, accuracy=s.accuracy))

    def set_extra_thresholds(self, thresholds_km: Iterable[float]) -> None:
        """Track crossings for these thresholds as well as the configured ones."""
        self._extra = frozenset(normalize_km(t) for t in thresholds_km)
        self._sync_crossings()

    def _sync_crossings(self) -> None:
        wanted = {normalize_km(t) for t in self.config.thresholds_km} | self._extra
        for km in list(self._crossings):
            if km not in wanted:
                del self._crossings[km]
        if self._state is None:
            return
        for km in wanted - self._crossings.keys():
            self._crossings[km] = _Crossing(km * 1000, self._state.distance_m)

    # -- state -------------------------------------------------------------

    @property
    def state(self) -> ApproachState | None:
        """Return the current conclusions, or None before the first fix."""
        return self._state

    def as_dict(self) -> dict[str, Any] | None:
        """Return what must be saved so a restart is neither arrival nor departure."""
        if self._state is None:
            return None
        s = self._state
        return {
            "latitude": s.latitude,
            "longitude": s.longitude,
            "accuracy": s.accuracy,
            "at_home": s.at_home,
        }

    def restore(self, data: dict[str, Any]) -> None:
        """Resume from :meth:`as_dict` output without emitting events."""
        fix = Fix(
            latitude=float(data["latitude"]),
            longitude=float(data["longitude"]),
            accuracy=float(data["accuracy"]),
        )
        self._initialise(fix, at_home=bool(data["at_home"]))

    def _distance_m(self, lat: float, lon: float) -> float:
        h = self._home
        return max(0.0, ellipsoid_distance(lat, lon, h.latitude, h.longitude) - h.radius)

    def _initialise(self, fix: FixLike, at_home: bool | None = None) -> None:
        distance = self._distance_m(fix.latitude, fix.longitude)
        if at_home is None:
            at_home = distance == 0.0
        elif at_home and distance > self.config.hysteresis_m:
            at_home = False
        self._state = ApproachState(
            latitude=fix.latitude,
            longitude=fix.longitude,
            accuracy=fix.accuracy,
            distance_m=distance,
            direction=Direction.ARRIVED if at_home else Direction.STATIONARY,
            time_to_home_min=None,
            at_home=at_home,
        )
        self._closing_speed = None
        self._crossings = {}
        self._sync_crossings()

    # -- the hot path ------------------------------------------------------

    def update(self, fix: FixLike, now: datetime) -> list[ApproachEvent]:
        """Feed one fix; return the events it causes (usually none)."""
        if fix.accuracy > self.config.max_accuracy_m:
            return self._maybe_stationary(now)
        prev = self._state
        if prev is None:
            self._initialise(fix)
            self._last_move = now
            return []
        north, east = local_offset_m(prev.latitude, prev.longitude, fix.latitude, fix.longitude)
        moved = math.hypot(north, east) > max(self.config.hysteresis_m, fix.accuracy)
        if not moved and not (not prev.at_home and self._surely_inside(fix)):
            return self._maybe_stationary(now)
        return self._accept(prev, fix, now)

    def _surely_inside(self, fix: FixLike) -> bool:
        """Return whether a fix lies inside the home zone by more than its accuracy."""
        h = self._home
        north, east = local_offset_m(h.latitude, h.longitude, fix.latitude, fix.longitude)
        return math.hypot(north, east) <= h.radius - fix.accuracy

    def _at_home(self, was_home: bool, distance: float, events: list[ApproachEvent]) -> bool:
        """Enter home at distance 0; leave only beyond the hysteresis."""
        if not was_home and distance == 0.0:
            events.append(ApproachEvent(type=EventType.ARRIVED_HOME, distance_km=0.0))
            return True
        if was_home and distance > self.config.hysteresis_m:
            events.append(
                ApproachEvent(type=EventType.LEFT_HOME, distance_km=round(distance / 1000, 3))
            )
            return False
        return was_home

    def _direction(self, at_home: bool, delta: float) -> Direction:
        # Moves are at least a hysteresis long, so a quarter of one separates a
        # real approach from a move along a circle around home.
        tolerance = self.config.hysteresis_m / 4
        if at_home:
            return Direction.ARRIVED
        if delta < -tolerance:
            return Direction.TOWARDS
        if delta > tolerance:
            return Direction.AWAY_FROM
        return Direction.STATIONARY

    def _time_to_home(
        self, direction: Direction, distance: float, previous: float, elapsed: float
    ) -> int | None:
        """Return whole minutes from a smoothed closing speed, towards home only."""
        if direction is not Direction.TOWARDS or elapsed <= 0:
            self._closing_speed = None
            return None
        speed = (previous - distance) / elapsed
        if self._closing_speed is None:
            self._closing_speed = speed
        else:
            self._closing_speed += CLOSING_SPEED_ALPHA * (speed - self._closing_speed)
        if self._closing_speed < MIN_CLOSING_SPEED:
            return None
        return round(distance / self._closing_speed / 60)

    def _maybe_stationary(self, now: datetime) -> list[ApproachEvent]:
        s = self._state
        if (
            s is not None
            and s.direction in (Direction.TOWARDS, Direction.AWAY_FROM)
            and self._last_move is not None
            and (now - self._last_move).total_seconds() > STATIONARY_AFTER_S
        ):
            self._closing_speed = None
            self._state = replace(s, direction=Direction.STATIONARY, time_to_home_min=None)
        return []

    def _accept(self, prev: ApproachState, fix: FixLike, now: datetime) -> list[ApproachEvent]:
        distance = self._distance_m(fix.latitude, fix.longitude)
        elapsed = (now - self._last_move).total_seconds() if self._last_move else 0.0
        self._last_move = now
        events: list[ApproachEvent] = []
        at_home = self._at_home(prev.at_home, distance, events)
        direction = self._direction(at_home, distance - prev.distance_m)
        eta = self._time_to_home(direction, distance, prev.distance_m, elapsed)
        for km, crossing in self._crossings.items():
            kind = crossing.update(distance, self.config.hysteresis_m)
            if kind is not None:
                events.append(
                    ApproachEvent(type=kind, distance_km=round(distance / 1000, 3), threshold_km=km)
                )
        self._state = ApproachState(
            latitude=fix.latitude,
            longitude=fix.longitude,
            accuracy=fix.accuracy,
            distance_m=distance,
            direction=direction,
            time_to_home_min=eta,
            at_home=at_home,
        )
        return events
