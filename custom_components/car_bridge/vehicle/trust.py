"""Checks for values read back from a save file or another untrusted place.

Pure Python. Each check returns the value when it can be trusted (right type,
finite, in its physical range) and ``None`` otherwise, so that callers keep
what is sound and start the rest afresh. Strings are never numbers here: a
save file written by Car Bridge holds numbers as numbers, so ``"nan"`` or
``"52.1"`` means the file was damaged or edited.
"""

from __future__ import annotations

import math
from typing import Any


def number(value: Any, low: float = -math.inf, high: float = math.inf) -> float | None:
    """Return ``value`` as a float if it is a finite number in [low, high]."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    result = float(value)
    if not math.isfinite(result) or not low <= result <= high:
        return None
    return result


def boolean(value: Any) -> bool | None:
    """Return ``value`` if it is a real boolean."""
    return value if isinstance(value, bool) else None


def coordinates(latitude: Any, longitude: Any) -> tuple[float, float] | None:
    """Return a (latitude, longitude) pair if both are valid."""
    lat = number(latitude, -90.0, 90.0)
    lon = number(longitude, -180.0, 180.0)
    if lat is None or lon is None:
        return None
    return lat, lon


def point(value: Any) -> tuple[float, float] | None:
    """Return a ``[latitude, longitude]`` list or tuple as a valid pair."""
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        return None
    return coordinates(value[0], value[1])
