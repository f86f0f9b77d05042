"""Traccar Client and other OsmAnd-protocol senders.

Two shapes, read from the senders' public code:
- OsmAnd parameters (Traccar Client for Android up to 8 and iOS, and 10's form
  body): ``id``, ``timestamp`` (epoch seconds, milliseconds, or ISO 8601),
  ``lat``, ``lon``, ``speed`` in KNOTS, ``bearing``, ``altitude``, ``accuracy``
  (0 when the fix came from GPS: unknown), ``batt`` (the phone's battery).
  Sent as query parameters of a POST (8 and earlier) or as a form body (10).
  Traccar's server also accepts ``deviceid``, ``heading``/``course`` and
  ``location=lat,lon``; so do we.
- Traccar Client 9 JSON (flutter_background_geolocation's HTTP sync):
  ``{"location": {"timestamp": ISO, "coords": {"latitude", "longitude",
  "accuracy", "speed" (m/s, -1 unknown), "heading" (-1 unknown), "altitude"},
  "battery": {"level": 0..1, "is_charging"}, ...}, "device_id": "…"}``; with
  batch sync ``location`` is a list (the newest fix wins).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Final

from .. import trust
from . import values as v
from .model import ErrorCode, PayloadEncoding, PayloadFormat, TelemetryUpdate

#: Keys that mark a flat parameter set as OsmAnd.
MARKERS: Final = frozenset({"id", "deviceid", "lat", "lon", "location", "timestamp"})
#: The fastest a vehicle goes (the one gate's limit), in each protocol's unit.
MAX_KNOTS: Final = trust.LIMITS["speed"][1] / v.KNOTS_TO_KMH
MAX_MS: Final = trust.LIMITS["speed"][1] / v.MS_TO_KMH


def parse_params(
    params: Mapping[str, str], encoding: PayloadEncoding, now: datetime
) -> TelemetryUpdate:
    """Return the update OsmAnd parameters carry; raises ``values.Invalid``."""
    lat: object = params.get("lat")
    lon: object = params.get("lon")
    if lat is None and lon is None and (location := params.get("location")):
        parts = location.split(",")
        if len(parts) != 2:
            raise v.Invalid(ErrorCode.INVALID_VALUE, "location must be 'latitude,longitude'")
        lat, lon = parts
    fix = v.position("lat", lat, "lon", lon)
    knots = v.number("speed", params.get("speed"), low=0, high=MAX_KNOTS)
    heading_name = next((k for k in ("bearing", "heading", "course") if k in params), "bearing")
    return TelemetryUpdate(
        format=PayloadFormat.OSMAND,
        encoding=encoding,
        timestamp=v.timestamp("timestamp", params.get("timestamp"), now),
        latitude=fix[0] if fix else None,
        longitude=fix[1] if fix else None,
        accuracy=v.accuracy("accuracy", params.get("accuracy")),
        speed=knots * v.KNOTS_TO_KMH if knots is not None else None,
        heading=v.heading(heading_name, params.get(heading_name)),
        altitude=v.number("altitude", params.get("altitude"), low=-1000, high=100_000),
        device_id=v.text("id", params.get("id", params.get("deviceid"))),
        sender_battery=v.number("batt", params.get("batt"), low=0, high=100),
    )


def parse_json(body: Mapping[str, object], now: datetime) -> TelemetryUpdate:
    """Return the update a Traccar Client 9 JSON body carries; raises ``values.Invalid``."""
    location = body.get("location", body if "coords" in body else None)
    if isinstance(location, list):
        if not location:
            raise v.Invalid(ErrorCode.NO_VALUES, "location is an empty list")
        updates = [_location(item, body, now) for item in location]
        return max(updates, key=lambda u: u.timestamp.timestamp() if u.timestamp else 0.0)
    return _location(location, body, now)


def _location(location: object, body: Mapping[str, object], now: datetime) -> TelemetryUpdate:
    if not isinstance(location, Mapping):
        raise v.Invalid(ErrorCode.WRONG_SHAPE, "location must be an object")
    coords = location.get("coords")
    if not isinstance(coords, Mapping):
        raise v.Invalid(ErrorCode.WRONG_SHAPE, "location.coords must be an object")
    battery = location.get("battery", {})
    if not isinstance(battery, Mapping):
        raise v.Invalid(ErrorCode.WRONG_SHAPE, "location.battery must be an object")
    fix = v.position(
        "coords.latitude",
        coords.get("latitude"),
        "coords.longitude",
        coords.get("longitude"),
        strings=False,
    )
    if fix is None:
        raise v.Invalid(
            ErrorCode.MISSING_FIELD, "coords.latitude and coords.longitude are required"
        )
    speed = v.number("coords.speed", coords.get("speed"), low=-1, high=MAX_MS, strings=False)
    level = v.number("battery.level", battery.get("level"), low=-1, high=1, strings=False)
    return TelemetryUpdate(
        format=PayloadFormat.TRACCAR_JSON,
        encoding=PayloadEncoding.JSON,
        timestamp=v.timestamp("location.timestamp", location.get("timestamp"), now),
        latitude=fix[0],
        longitude=fix[1],
        accuracy=v.accuracy("coords.accuracy", coords.get("accuracy"), strings=False),
        speed=speed * v.MS_TO_KMH if speed is not None and speed >= 0 else None,
        heading=v.heading("coords.heading", coords.get("heading"), strings=False, unknown=-1),
        altitude=v.number(
            "coords.altitude", coords.get("altitude"), low=-1000, high=100_000, strings=False
        ),
        device_id=v.text("device_id", body.get("device_id")),
        sender_battery=level * 100 if level is not None and level >= 0 else None,
    )
