"""The departures engine's part of the save file, validated part by part on load.

Pure Python, no Home Assistant imports. A bad part (or one bad departure)
is dropped and named; everything sound is kept.
"""

from __future__ import annotations

from datetime import date, datetime
import math
import re
from typing import Any, Protocol

from .model import MAX_DEPARTURES, DepartureModel
from .types import Departure


class Saved(Protocol):
    """What is saved of the departures engine: its model and where the car stands."""

    model: DepartureModel
    fired: set[str]
    at_home: bool | None
    left_at: datetime | None
    left_odometer: float | None


VERSION = 1
MAX_TRIP_MIN = 7 * 24 * 60
MAX_TRIP_KM = 10_000.0
MAX_MARKS = 400
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KEY = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")
_MARK = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/\d{1,3}$")


def dump(engine: Saved) -> dict[str, Any]:
    """Return the engine's state as JSON-serialisable data."""
    model = engine.model
    return {
        "version": VERSION,
        "first_day": model.first_day.isoformat() if model.first_day else None,
        "departures": [[d.at.isoformat(), d.trip_min, d.trip_km] for d in model.departures],
        "excluded": sorted(day.isoformat() for day in model.excluded),
        "skipped": sorted(model.skipped),
        "fired": sorted(engine.fired),
        "at_home": engine.at_home,
        "left_at": engine.left_at.isoformat() if engine.left_at else None,
        "left_odometer": engine.left_odometer,
    }


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _day(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


def _number(value: Any, high: float) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    number = float(value)
    return number if math.isfinite(number) and 0 <= number <= high else None


def _departure(item: Any) -> Departure | None:
    if not isinstance(item, list) or len(item) != 3:
        return None
    at = _time(item[0])
    trip_min = None if item[1] is None else _number(item[1], MAX_TRIP_MIN)
    trip_km = None if item[2] is None else _number(item[2], MAX_TRIP_KM)
    if at is None or (item[1] is not None and trip_min is None):
        return None
    if item[2] is not None and trip_km is None:
        return None
    return Departure(at=at, trip_min=trip_min, trip_km=trip_km)


def _strings(value: Any, pattern: re.Pattern[str]) -> tuple[set[str], bool]:
    if not isinstance(value, list):
        return set(), False
    good = {v for v in value[-MAX_MARKS:] if isinstance(v, str) and pattern.match(v)}
    return good, len(good) == len(value)


def _load_departures(engine: Saved, data: dict[str, Any]) -> list[str]:
    discarded: list[str] = []
    model = engine.model
    if data.get("first_day") is not None:
        if (first := _day(data["first_day"])) is None:
            discarded.append("departures.first_day")
        else:
            model.start(first)
    raw = data.get("departures")
    if not isinstance(raw, list):
        return [*discarded, "departures.departures"]
    found = [_departure(item) for item in raw[-MAX_DEPARTURES:]]
    if len(raw) > MAX_DEPARTURES or any(d is None for d in found):
        discarded.append("departures.departures")
    for departure in found:
        if departure is not None:
            model.add(departure)
    return discarded


def _load_marks(engine: Saved, data: dict[str, Any]) -> list[str]:
    discarded: list[str] = []
    excluded, ok = _strings(data.get("excluded", []), _DAY)
    days = {d for v in excluded if (d := _day(v)) is not None}
    if not ok or len(days) != len(excluded):
        discarded.append("departures.excluded")
    for day in days:
        engine.model.exclude(day)
    skipped, ok = _strings(data.get("skipped", []), _KEY)
    engine.model.skipped |= skipped
    if not ok:
        discarded.append("departures.skipped")
    fired, ok = _strings(data.get("fired", []), _MARK)
    engine.fired |= fired
    if not ok:
        discarded.append("departures.fired")
    return discarded


def _load_trip(engine: Saved, data: dict[str, Any]) -> list[str]:
    discarded: list[str] = []
    at_home = data.get("at_home")
    if at_home is None or isinstance(at_home, bool):
        engine.at_home = at_home
    else:
        discarded.append("departures.at_home")
    left_at, odometer = data.get("left_at"), data.get("left_odometer")
    left = None if left_at is None else _time(left_at)
    km = None if odometer is None else _number(odometer, 1e7)
    if (left_at is not None and left is None) or (odometer is not None and km is None):
        discarded.append("departures.trip")
    else:
        engine.left_at, engine.left_odometer = left, km
    return discarded


def load(engine: Saved, data: Any) -> list[str]:
    """Restore ``engine`` from :func:`dump` output; return the names of discarded parts."""
    if data is None:
        return []
    if not isinstance(data, dict) or data.get("version") != VERSION:
        return ["departures"]
    return _load_departures(engine, data) + _load_marks(engine, data) + _load_trip(engine, data)
