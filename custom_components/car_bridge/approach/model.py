"""What the approach engine reads and tells: fixes, home, config, state and events.

Pure Python, no Home Assistant imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Protocol

DEFAULT_HYSTERESIS_M = 200.0
DEFAULT_MAX_ACCURACY_M = 200.0
DEFAULT_THRESHOLDS_KM = (5.0, 1.0)
#: Accuracy assumed for a fix that reports none (or 0, which several car
#: integrations send for "unknown").
UNKNOWN_ACCURACY_M = 50.0
#: A vehicle reporting at most this speed (km/h) counts as stopped.
STOPPED_KMH = 5.0


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
    TIME_TO_HOME_BELOW = "time_to_home_below"


@dataclass(frozen=True, slots=True)
class Home:
    """The home zone: centre and radius in metres."""

    latitude: float
    longitude: float
    radius: float


class FixLike(Protocol):
    """The part of a GPS fix the engine reads.

    Sources may also offer ``speed`` (km/h) and ``heading`` (degrees); the
    engine reads them when present and not None.
    """

    @property
    def latitude(self) -> float:
        """Latitude in degrees."""

    @property
    def longitude(self) -> float:
        """Longitude in degrees."""

    @property
    def accuracy(self) -> float | None:
        """Accuracy radius in metres; None or 0 when unknown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """A GPS fix as a caller may hand it to the engine."""

    latitude: float
    longitude: float
    accuracy: float | None = None
    speed: float | None = None  # km/h
    heading: float | None = None  # degrees


@dataclass(frozen=True, slots=True, kw_only=True)
class Sample:
    """A fix that passed the sanity checks, with its time and usable accuracy."""

    latitude: float
    longitude: float
    accuracy: float
    speed: float | None
    heading: float | None
    time: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproachEvent:
    """A crossing, an arrival, a departure or a time-to-home crossing."""

    type: EventType
    distance_km: float
    threshold_km: float | None = None
    #: For ``time_to_home_below``: the minutes whose crossing it announces.
    minutes: float | None = None


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
    #: Time to home (minutes) whose crossing while heading home is an event.
    time_to_home_minutes: tuple[float, ...] = ()
    hysteresis_m: float = DEFAULT_HYSTERESIS_M
    max_accuracy_m: float = DEFAULT_MAX_ACCURACY_M
    #: Seconds of the source's clock per second of the fixes' timestamps (a
    #: simulator's time factor). Speeds are the source's (the plausibility gate
    #: allows time_scale times the ground per second) and time to home is in the
    #: source's minutes, so a sped-up drive reads like the real drive it stands for.
    time_scale: float = 1.0


class MalformedStateError(ValueError):
    """Saved engine state that cannot be trusted."""


def normalize_km(value: float) -> float:
    """Return a threshold in km as the engine keys it (1 m resolution)."""
    return round(float(value), 3)


def normalize_minutes(value: float) -> float:
    """Return a number of minutes as the engine keys it (0.01 min resolution)."""
    return round(float(value), 2)
