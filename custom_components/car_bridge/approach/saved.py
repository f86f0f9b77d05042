"""The approach engine's saved state: written as plain JSON, read back checked.

Pure Python, no Home Assistant imports.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
import math
from typing import Any

from .eta import MAX_CLOSING_MPS, MAX_SPEED_WEIGHT_S
from .gate import MAX_PENDING
from .model import Direction, Home, Sample, normalize_km, normalize_minutes
from .still import Still

#: Version of :meth:`ApproachEngine.as_dict` output.
SAVE_VERSION = 1
#: No saved accuracy (m) is worse than the largest maximum accuracy allowed.
MAX_SAVED_ACCURACY_M = 5000.0
LEGACY_KEYS = frozenset({"latitude", "longitude", "accuracy", "at_home"})
#: Fixes of the first release's save carry no time: any later fix is newer.
LEGACY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedState:
    """Everything the engine saves, as read back and checked."""

    home: Home
    home_exists: bool
    latitude: float
    longitude: float
    accuracy: float
    direction: Direction
    time_to_home_min: int | None
    at_home: bool
    last: Sample
    pending: list[Sample]
    last_time: datetime | None
    last_move: datetime | None
    still: Still | None
    speed_sum: float
    speed_weight: float
    crossings: dict[float, tuple[bool, bool]]
    minutes: dict[float, bool]


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyState:
    """The first release's save: a position and whether it was home."""

    sample: Sample
    at_home: bool


def encode(saved: SavedState) -> dict[str, Any]:
    """Return ``saved`` as JSON-ready data."""
    still = saved.still
    return {
        "version": SAVE_VERSION,
        "home": [saved.home.latitude, saved.home.longitude, saved.home.radius],
        "home_exists": saved.home_exists,
        "state": {
            "latitude": saved.latitude,
            "longitude": saved.longitude,
            "accuracy": saved.accuracy,
            "direction": saved.direction.value,
            "time_to_home_min": saved.time_to_home_min,
            "at_home": saved.at_home,
        },
        "last": _sample_to_dict(saved.last),
        "pending": [_sample_to_dict(p) for p in saved.pending],
        "last_time": _time_to_str(saved.last_time),
        "last_move": _time_to_str(saved.last_move),
        "still": None
        if still is None
        else [
            still.count,
            still.latitude,
            still.longitude,
            still.accuracy,
            still.since.isoformat(),
        ],
        "speed": [saved.speed_sum, saved.speed_weight],
        "crossings": {str(km): [a, b] for km, (a, b) in saved.crossings.items()},
        "time_to_home": {str(m): armed for m, armed in saved.minutes.items()},
    }


def decode(data: Any) -> SavedState | LegacyState:
    """Read saved data back; raise KeyError, TypeError or ValueError if malformed."""
    if isinstance(data, Mapping) and set(data) == LEGACY_KEYS:
        return LegacyState(
            sample=Sample(
                latitude=_latitude(data["latitude"]),
                longitude=_longitude(data["longitude"]),
                accuracy=_accuracy(data["accuracy"]),
                speed=None,
                heading=None,
                time=LEGACY_TIME,
            ),
            at_home=_bool(data["at_home"]),
        )
    if not isinstance(data, Mapping) or data.get("version") != SAVE_VERSION:
        raise ValueError("unsupported saved approach state")
    saved_home = Home(*(_finite(v) for v in _list(data["home"], 3)))
    home_exists = _bool(data["home_exists"])
    state = data["state"]
    if not isinstance(state, Mapping):
        raise TypeError("state")
    lat, lon = _latitude(state["latitude"]), _longitude(state["longitude"])
    accuracy = _accuracy(state["accuracy"])
    at_home = _bool(state["at_home"])
    direction = Direction(state["direction"])
    if at_home != (direction is Direction.ARRIVED):
        raise ValueError("direction disagrees with at_home")
    eta = state["time_to_home_min"]
    if eta is not None and (isinstance(eta, bool) or not isinstance(eta, int) or eta < 0):
        raise ValueError("time_to_home_min")
    speed_sum, speed_weight = (_finite(v) for v in _list(data["speed"], 2))
    # The smoothing's weight is seconds of travel (about ETA_TIME_CONSTANT_S
    # when steady) and its mean a closing speed no car exceeds.
    if not 0 <= speed_weight <= MAX_SPEED_WEIGHT_S or abs(speed_sum) > (
        MAX_CLOSING_MPS * speed_weight
    ):
        raise ValueError("speed")
    crossings = data["crossings"]
    if not isinstance(crossings, Mapping):
        raise TypeError("crossings")
    # Saves from before time-to-home events have no minute arms.
    saved_minutes = data.get("time_to_home", {})
    if not isinstance(saved_minutes, Mapping):
        raise TypeError("time_to_home")
    return SavedState(
        home=saved_home,
        home_exists=home_exists,
        latitude=lat,
        longitude=lon,
        accuracy=accuracy,
        direction=direction,
        time_to_home_min=eta,
        at_home=at_home,
        last=_sample_from_dict(data["last"]),
        pending=[_sample_from_dict(p) for p in _list(data["pending"])][-MAX_PENDING:],
        last_time=_time_from_str(data["last_time"]),
        last_move=_time_from_str(data["last_move"]),
        still=_still_from_list(data["still"]),
        speed_sum=speed_sum,
        speed_weight=speed_weight,
        crossings={
            normalize_km(_finite(km, 0.0)): (_bool(a), _bool(b))
            for km, (a, b) in ((k, _list(v, 2)) for k, v in crossings.items())
        },
        minutes={
            normalize_minutes(_finite(m, 0.0)): _bool(armed) for m, armed in saved_minutes.items()
        },
    )


# -- validation helpers -------------------------------------------------------


def _finite(value: Any, low: float = -math.inf, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a number: {value!r}")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"out of range: {value!r}")
    return number


def _accuracy(value: Any) -> float:
    # No fix less accurate than the largest maximum accuracy is ever accepted;
    # a saved one would put the car in every zone and make every jump reachable.
    return _finite(value, 0.0, MAX_SAVED_ACCURACY_M)


def _latitude(value: Any) -> float:
    return _finite(value, -90.0, 90.0)


def _longitude(value: Any) -> float:
    return _finite(value, -180.0, 180.0)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"not a boolean: {value!r}")
    return value


def _list(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise TypeError(f"not a list of {length}: {value!r}")
    return value


def _time_to_str(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time_from_str(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


def _still_from_list(value: Any) -> Still | None:
    if value is None:
        return None
    count, lat, lon, accuracy, since = _list(value, 5)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("still count")
    time = _time_from_str(since)
    if time is None:
        raise ValueError("still without time")
    return Still(
        count=count,
        latitude=_latitude(lat),
        longitude=_longitude(lon),
        accuracy=_accuracy(accuracy),
        since=time,
    )


def _sample_to_dict(sample: Sample) -> dict[str, Any]:
    return {
        "latitude": sample.latitude,
        "longitude": sample.longitude,
        "accuracy": sample.accuracy,
        "speed": sample.speed,
        "heading": sample.heading,
        "time": sample.time.isoformat(),
    }


def _sample_from_dict(data: Any) -> Sample:
    if not isinstance(data, Mapping):
        raise TypeError("sample")
    time = _time_from_str(data["time"])
    if time is None:
        raise ValueError("sample without time")
    speed, heading = data["speed"], data["heading"]
    return Sample(
        latitude=_latitude(data["latitude"]),
        longitude=_longitude(data["longitude"]),
        accuracy=_accuracy(data["accuracy"]),
        speed=None if speed is None else _finite(speed, 0.0, 1000.0),
        heading=None if heading is None else _finite(heading, -360.0, 720.0),
        time=time,
    )
