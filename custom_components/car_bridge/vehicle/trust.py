"""The one number gate: every number from outside passes here.

Pure Python. Mirrored states and attributes, posted values and saved values
all come through :func:`judge` (or :func:`number`, which only says yes or
no): a value is kept when it has the right type, is finite and lies in its
physical range; anything else is *unknown*, never a crash and never an old
value kept in its place. ``-0.0`` becomes ``0.0`` (a battery never shows
"-0.0 %").

Strings are numbers only where the caller says so (``strings=True``: an
entity's state is always a string); a save file written by Car Bridge holds
numbers as numbers, so ``"nan"`` or ``"52.1"`` there means the file was
damaged or edited. Booleans are never numbers (``True`` is not 1 %).

:data:`LIMITS` names the physical range of each quantity once, for every
source and for the save file alike.
"""

from __future__ import annotations

from collections.abc import Hashable
from enum import StrEnum
import math
from typing import Any, Final

#: Longest string read as a number (a sensor state is at most 255 characters).
_MAX_NUMBER_TEXT: Final = 64

#: The physical range of every quantity a vehicle reports, in Car Bridge's units.
LIMITS: Final[dict[str, tuple[float, float]]] = {
    "latitude": (-90.0, 90.0),
    "longitude": (-180.0, 180.0),
    "accuracy": (0.0, 1_000_000.0),  # m
    "heading": (0.0, 360.0),  # degrees
    "speed": (0.0, 500.0),  # km/h
    "battery_level": (0.0, 100.0),  # %
    "charge_limit": (0.0, 100.0),  # %
    "range_km": (0.0, 5000.0),
    "charging_power": (0.0, 2000.0),  # kW
    "energy_added": (0.0, 1_000_000.0),  # kWh
    "charging_current": (0.0, 1000.0),  # A
    "cabin_temperature": (-80.0, 120.0),  # °C
    "outside_temperature": (-80.0, 120.0),  # °C
    "climate_target": (-80.0, 120.0),  # °C
    "odometer": (0.0, 10_000_000.0),  # km: 250 times round the Earth a year for a century
}


class Bad(StrEnum):
    """Why a value is not a number Car Bridge can use."""

    NOT_A_NUMBER = "not a number"
    NOT_FINITE = "not a finite number"
    OUT_OF_RANGE = "outside its physical range"


def judge(  # noqa: PLR0911 - one return per verdict reads best
    value: Any, low: float = -math.inf, high: float = math.inf, *, strings: bool = False
) -> float | Bad:
    """Return ``value`` as a float in [low, high], or why it cannot be one."""
    if isinstance(value, bool):
        return Bad.NOT_A_NUMBER
    if isinstance(value, str) and strings:
        text = value.strip()
        if len(text) > _MAX_NUMBER_TEXT:
            return Bad.NOT_A_NUMBER
        try:
            result = float(text)
        except ValueError:
            return Bad.NOT_A_NUMBER
    elif isinstance(value, (int, float)):
        try:
            result = float(value)
        except OverflowError:  # an int beyond 1.8e308
            return Bad.NOT_FINITE
    else:
        return Bad.NOT_A_NUMBER
    if not math.isfinite(result):
        return Bad.NOT_FINITE
    if not low <= result <= high:
        return Bad.OUT_OF_RANGE
    return result + 0.0  # -0.0 + 0.0 is 0.0


def number(
    value: Any, low: float = -math.inf, high: float = math.inf, *, strings: bool = False
) -> float | None:
    """Return ``value`` as a float if it is a finite number in [low, high]."""
    result = judge(value, low, high, strings=strings)
    return None if isinstance(result, Bad) else result


def quantity(value: Any, name: str, *, strings: bool = False) -> float | None:
    """Return ``value`` if it is a sound ``name`` (a key of :data:`LIMITS`)."""
    return number(value, *LIMITS[name], strings=strings)


def boolean(value: Any) -> bool | None:
    """Return ``value`` if it is a real boolean."""
    return value if isinstance(value, bool) else None


def coordinates(latitude: Any, longitude: Any) -> tuple[float, float] | None:
    """Return a (latitude, longitude) pair if both are valid."""
    lat = quantity(latitude, "latitude")
    lon = quantity(longitude, "longitude")
    if lat is None or lon is None:
        return None
    return lat, lon


def point(value: Any) -> tuple[float, float] | None:
    """Return a ``[latitude, longitude]`` list or tuple as a valid pair."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    return coordinates(value[0], value[1])


class Once:
    """Remembers which keys were already reported, in bounded memory.

    A source that keeps sending bad values must not flood the log: the first
    report of each key (e.g. a kind of problem and an entity) is worth a line,
    the rest are debug. Once ``limit`` keys are remembered, new keys are
    reported at debug level too, so memory stays bounded whatever arrives.
    """

    def __init__(self, limit: int = 256) -> None:
        """Remember at most ``limit`` keys."""
        self._limit = limit
        self._seen: set[Hashable] = set()

    def first(self, key: Hashable) -> bool:
        """Return True the first time ``key`` is seen (while there is room)."""
        if key in self._seen or len(self._seen) >= self._limit:
            return False
        self._seen.add(key)
        return True

    def forget(self, key: Hashable) -> None:
        """Report ``key`` again next time (its problem went away)."""
        self._seen.discard(key)

    def __len__(self) -> int:
        """Return how many keys are remembered."""
        return len(self._seen)
