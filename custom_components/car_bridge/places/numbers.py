"""Coordinates written as text: decimal pairs and degrees-minutes-seconds."""

from __future__ import annotations

import math
import re

from .model import PlaceError, PlaceErrorReason

_NUMBER = r"[+-]?(?:\d{1,3}(?:\.\d*)?|\.\d+)"
_PAIR = re.compile(
    rf"^\s*(?:loc:\s*)?({_NUMBER})\s*(?:,|\s)\s*({_NUMBER})\s*(?:\((?P<label>.*)\))?\s*$"
)
# A whole line that is a decimal pair: both numbers need a fraction, so that
# "Flat 12, 5" in an address is never read as a place.
_DECIMAL_LINE = re.compile(r"^\s*([+-]?\d{1,3}\.\d+)\s*[,;\s]\s*([+-]?\d{1,3}\.\d+)\s*$")
# 52°22'23.2"N 4°53'32.0"E, N 52° 22.386' E 4° 53.533', 52.3731° N, 4.8922° E:
# the hemisphere letter stands either before every axis or after every axis.
_DEGREES = (
    r"(?P<d{i}>\d{{1,3}}(?:\.\d+)?)\s*[°º˚]\s*"
    r"(?:(?P<m{i}>\d{{1,2}}(?:\.\d+)?)\s*['′’]\s*)?"
    r"(?:(?P<s{i}>\d{{1,2}}(?:\.\d+)?)\s*(?:\"|″|''|”)\s*)?"
)
_BEFORE = r"(?P<h{i}>[NSEW])\s*" + _DEGREES
_AFTER = _DEGREES + r"\s*(?P<h{i}>[NSEW])"
_DMS = tuple(
    re.compile(
        r"^\s*" + axis.format(i=1) + r"\s*[,;]?\s*" + axis.format(i=2) + r"\s*$", re.IGNORECASE
    )
    for axis in (_BEFORE, _AFTER)
)


def checked(latitude: float, longitude: float) -> tuple[float, float]:
    """Return the pair if it is on the map, else raise ``out_of_range``."""
    if not (math.isfinite(latitude) and math.isfinite(longitude)):
        raise PlaceError(PlaceErrorReason.OUT_OF_RANGE)
    if abs(latitude) > 90.0 or abs(longitude) > 180.0:
        raise PlaceError(PlaceErrorReason.OUT_OF_RANGE)
    return latitude, longitude


def pair(text: str | None, *, lon_first: bool = False) -> tuple[float, float] | None:
    """Return (latitude, longitude) of a text that is "lat,lon", or None.

    Accepts Google's ``loc:`` prefix and a ``(label)`` suffix; ``lon_first``
    reads "lon,lat" (Amap, Yandex). Raises ``out_of_range`` for numbers that
    are a pair but not on the map.
    """
    if text is None:
        return None
    match = _PAIR.match(text)
    if match is None:
        return None
    first, second = float(match.group(1)), float(match.group(2))
    return checked(second, first) if lon_first else checked(first, second)


def label(text: str | None) -> str | None:
    """Return the ``(label)`` of a "lat,lon(label)" text, if any."""
    if text is None or (match := _PAIR.match(text)) is None:
        return None
    value = match.group("label")
    return value.strip() or None if value else None


def decimal_line(line: str) -> tuple[float, float] | None:
    """Return the pair a whole line of shared text gives, or None."""
    match = _DECIMAL_LINE.match(line)
    if match is not None:
        return checked(float(match.group(1)), float(match.group(2)))
    return dms(line)


def _axis(match: re.Match[str], i: int) -> tuple[str, float] | None:
    hemisphere = match.group(f"h{i}").upper()
    degrees = float(match.group(f"d{i}"))
    minutes = float(match.group(f"m{i}") or 0.0)
    seconds = float(match.group(f"s{i}") or 0.0)
    if minutes >= 60.0 or seconds >= 60.0:
        return None
    value = degrees + minutes / 60.0 + seconds / 3600.0
    return hemisphere, -value if hemisphere in "SW" else value


def dms(text: str) -> tuple[float, float] | None:
    """Return the pair of a degrees(-minutes(-seconds)) text with N/S/E/W, or None."""
    match = _DMS[0].match(text) or _DMS[1].match(text)
    if match is None:
        return None
    first, second = _axis(match, 1), _axis(match, 2)
    if first is None or second is None:
        return None
    axes = {first[0] in "NS": first[1], second[0] in "NS": second[1]}
    if len(axes) != 2:  # two latitudes or two longitudes
        return None
    return checked(axes[True], axes[False])
