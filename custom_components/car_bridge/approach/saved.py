"""The approach engine's saved state: plain JSON, read back checked. No Home Assistant imports."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from functools import partial
import math
from typing import Any

from .eta import MAX_CLOSING_MPS, MAX_SPEED_WEIGHT_S
from .gate import MAX_PENDING
from .model import Direction, Home, Sample, normalize_km, normalize_minutes
from .pace import PaceProfile
from .still import Still

#: Version of :meth:`ApproachEngine.as_dict` output.
SAVE_VERSION = 1
#: No saved accuracy (m) is worse than the largest maximum accuracy allowed.
MAX_SAVED_ACCURACY_M = 5000.0
#: No saved home zone is wider than this (m); none is smaller than nothing.
MAX_SAVED_RADIUS_M = 100_000.0
#: No time to home is longer: half the Earth's circumference at a walking pace.
MAX_SAVED_MINUTES = 1_000_000
LEGACY_KEYS = frozenset({"latitude", "longitude", "accuracy", "at_home"})
#: Fixes of the first release's save carry no time: any later fix is newer.
LEGACY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True, slots=True, kw_only=True)
class SavedState:
    """Everything the engine saves, as read back and checked.

    ``home`` and ``direction`` are None when they were discarded: the engine
    then re-derives what follows from them from the last position.
    """

    home: Home | None
    home_exists: bool
    latitude: float
    longitude: float
    accuracy: float
    direction: Direction | None
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
    #: The car's learned pace home (None: nothing learned, or discarded).
    pace: PaceProfile | None = None
    #: Names of the parts that were present but could not be trusted.
    discarded: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class LegacyState:
    """The first release's save: a position and whether it was home."""

    sample: Sample
    at_home: bool


def encode(saved: SavedState) -> dict[str, Any]:
    """Return ``saved`` as JSON-ready data."""
    still = saved.still
    home = saved.home
    return {
        "version": SAVE_VERSION,
        "home": None if home is None else [home.latitude, home.longitude, home.radius],
        "home_exists": saved.home_exists,
        "state": {
            "latitude": saved.latitude,
            "longitude": saved.longitude,
            "accuracy": saved.accuracy,
            "direction": None if saved.direction is None else saved.direction.value,
            "time_to_home_min": saved.time_to_home_min,
            "at_home": saved.at_home,
        },
        "last": _sample_to_dict(saved.last),
        "pending": [_sample_to_dict(p) for p in saved.pending],
        "last_time": _time_to_str(saved.last_time),
        "last_move": _time_to_str(saved.last_move),
        "still": None if still is None else _still_to_list(still),
        "speed": [saved.speed_sum, saved.speed_weight],
        "crossings": {str(km): [a, b] for km, (a, b) in saved.crossings.items()},
        "time_to_home": {str(m): armed for m, armed in saved.minutes.items()},
        **({} if saved.pace is None or saved.pace.empty else {"pace": saved.pace.to_json()}),
    }


_BAD = (KeyError, TypeError, ValueError, AttributeError, OverflowError)


class _Reader:
    """Reads one part at a time; a part that cannot be trusted is named and replaced."""

    def __init__(self, data: Mapping[str, Any]) -> None:
        self.data = data
        self.discarded: list[str] = []

    def read[T](self, name: str, parse: Callable[[Any], T], default: T) -> T:
        try:
            return parse(self.data[name])
        except _BAD:
            self.discarded.append(name)
            return default

    def each[K, V](
        self, name: str, parse: Callable[[Any, Any], tuple[K, V]], *, missing_ok: bool = False
    ) -> dict[K, V]:
        """Read a mapping entry by entry, keeping the sound entries."""
        if missing_ok and name not in self.data:
            return {}
        raw = self.data.get(name)
        if not isinstance(raw, Mapping):
            self.discarded.append(name)
            return {}
        kept: dict[K, V] = {}
        for key, value in raw.items():
            try:
                k, v = parse(key, value)
            except _BAD:
                self.discarded.append(f"{name} {key}")
                continue
            kept[k] = v
        return kept


def decode(data: Any) -> SavedState | LegacyState:
    """Read saved data back, part by part.

    A part that cannot be trusted is discarded alone and named in
    ``discarded``. Raise KeyError, TypeError or ValueError only when nothing
    can be resumed: not this format, or no sound position at all.
    """
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
    r = _Reader(data)
    raw_state = data.get("state")
    state = _Reader(raw_state if isinstance(raw_state, Mapping) else {})
    try:
        position: tuple[float, float, float] | None = _position(raw_state)
    except _BAD:
        position = None
        state.discarded.append("position")
    last = r.read("last", _sample_from_dict, None)
    if position is None and last is None:
        raise ValueError("no sound saved position")
    if last is None:
        time = _optional_time(data.get("last_time")) or LEGACY_TIME
        assert position is not None
        lat, lon, acc = position
        last = Sample(
            latitude=lat, longitude=lon, accuracy=acc, speed=None, heading=None, time=time
        )
    if position is None:
        position = (last.latitude, last.longitude, last.accuracy)
    at_home = state.read("at_home", _bool, None)
    direction = state.read("direction", Direction, None)
    if at_home is None or direction is None or at_home != (direction is Direction.ARRIVED):
        if at_home is not None and direction is not None:
            state.discarded.append("direction")
        direction, at_home = None, bool(at_home)
    eta = state.read("time_to_home_min", _minutes, None)
    speed_sum, speed_weight = r.read("speed", _speed, (0.0, 0.0))
    last_known: datetime | None = last.time
    return SavedState(
        home=r.read("home", _home, None),
        home_exists=r.read("home_exists", _bool, True),
        latitude=position[0],
        longitude=position[1],
        accuracy=position[2],
        direction=direction,
        time_to_home_min=eta,
        at_home=at_home,
        last=last,
        pending=r.read("pending", _pending, []),
        last_time=r.read("last_time", _time_from_str, last_known),
        last_move=r.read("last_move", _time_from_str, last_known),
        still=r.read("still", _still_from_list, None),
        speed_sum=speed_sum,
        speed_weight=speed_weight,
        crossings=r.each(
            "crossings", lambda k, v: (normalize_km(_finite(k, 0.0)), _pair(_list(v, 2)))
        ),
        minutes=r.each(
            "time_to_home",
            lambda k, v: (normalize_minutes(_finite(k, 0.0)), _bool(v)),
            missing_ok=True,  # saves from before time-to-home events
        ),
        # Saves from before the learned pace have none.
        pace=r.read("pace", PaceProfile.from_json, None) if "pace" in data else None,
        discarded=(
            *(f"state {name}" for name in state.discarded),
            *r.discarded,
        )
        if isinstance(raw_state, Mapping)
        else ("state", *r.discarded),
    )


def _position(state: Any) -> tuple[float, float, float]:
    if not isinstance(state, Mapping):
        raise TypeError("state")
    return (
        _latitude(state["latitude"]),
        _longitude(state["longitude"]),
        _accuracy(state["accuracy"]),
    )


def _home(value: Any) -> Home:
    lat, lon, radius = _list(value, 3)
    return Home(_latitude(lat), _longitude(lon), _finite(radius, 0.0, MAX_SAVED_RADIUS_M))


def _minutes(value: Any) -> int | None:
    if value is None or (type(value) is int and 0 <= value <= MAX_SAVED_MINUTES):
        return value
    raise ValueError("time_to_home_min")


def _speed(value: Any) -> tuple[float, float]:
    speed_sum, speed_weight = (_finite(v) for v in _list(value, 2))
    # The smoothing's weight is seconds of travel (about ETA_TIME_CONSTANT_S
    # when steady) and its mean a closing speed no car exceeds.
    if not 0 <= speed_weight <= MAX_SPEED_WEIGHT_S or abs(speed_sum) > (
        MAX_CLOSING_MPS * speed_weight
    ):
        raise ValueError("speed")
    return speed_sum, speed_weight


def _pending(value: Any) -> list[Sample]:
    return [_sample_from_dict(p) for p in _list(value)][-MAX_PENDING:]


def _pair(value: list[Any]) -> tuple[bool, bool]:
    return _bool(value[0]), _bool(value[1])


def _optional_time(value: Any) -> datetime | None:
    try:
        return _time_from_str(value)
    except _BAD:
        return None


# -- validation helpers -------------------------------------------------------


def _finite(value: Any, low: float = -math.inf, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a number: {value!r:.40}")
    try:
        number = float(value)
    except OverflowError:  # an integer beyond 1.8e308
        raise ValueError("out of range: a huge integer") from None
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"out of range: {value!r:.40}")
    return number + 0.0  # -0.0 is 0: a tracker never shows longitude -0.0


def _accuracy(value: Any) -> float:
    # No fix less accurate than the largest maximum accuracy is ever accepted;
    # a saved one would put the car in every zone and make every jump reachable.
    return _finite(value, 0.0, MAX_SAVED_ACCURACY_M)


_latitude = partial(_finite, low=-90.0, high=90.0)
_longitude = partial(_finite, low=-180.0, high=180.0)


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


def _still_to_list(s: Still) -> list[Any]:
    head = [s.count, s.latitude, s.longitude, s.accuracy, s.since.isoformat()]
    tail = [_time_to_str(s.last), s.weight, s.scatter, s.arrived_moving, s.reported_stop]
    return [*head, *tail, s.first_lat, s.first_lon]


def _still_from_list(value: Any) -> Still | None:
    if value is None:
        return None
    # The first format had five parts; the drift-aware estimate twelve.
    raw = _list(value)
    if len(raw) not in (5, 12):
        raise ValueError("still parts")
    count, lat, lon, accuracy, since = raw[:5]
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("still count")
    time = _time_from_str(since)
    if time is None:
        raise ValueError("still without time")
    still = Still(
        count=count,
        latitude=_latitude(lat),
        longitude=_longitude(lon),
        accuracy=_accuracy(accuracy),
        since=time,
        first_lat=_latitude(lat),
        first_lon=_longitude(lon),
    )
    if len(raw) == 5:
        return replace(still, weight=count / max(still.accuracy, 1.0) ** 2, last=time)
    last, weight, scatter, arrived_moving, reported_stop, first_lat, first_lon = raw[5:]
    last_time = _time_from_str(last)
    if last_time is not None and last_time < time:
        raise ValueError("still seen before it started")
    return replace(
        still,
        last=last_time,
        weight=_finite(weight, 0.0),
        scatter=_finite(scatter, 0.0, MAX_SAVED_ACCURACY_M**2),
        arrived_moving=_bool(arrived_moving),
        reported_stop=_bool(reported_stop),
        first_lat=_latitude(first_lat),
        first_lon=_longitude(first_lon),
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
