"""China's GCJ-02 and BD-09 datums, forward and (iterated) inverse.

The forward GCJ-02 transform is the published "Mars coordinates" formula
(Krasovsky ellipsoid; reproduced in eviltransform and coordtransform, among
others); BD-09 adds Baidu's rotation and offset on top. There is no closed-form
inverse: a one-step inverse leaves up to a few metres, so the inverse here
iterates the forward transform until it lands on the given point to 1e-10 deg.
Both apply only inside mainland China (outside it, the apps use WGS-84).
"""

from __future__ import annotations

from collections.abc import Callable
import math

_A = 6378245.0  # Krasovsky 1940 semi-major axis
_EE = 0.00669342162296594323  # its first eccentricity squared
_X_PI = math.pi * 3000.0 / 180.0

# Mainland China as rectangles (west, north, east, south), minus the
# neighbours they overlap (Taiwan, Vietnam, Mongolia, Russia, North Korea):
# the boundary the GCJ-02 implementations that care use (e.g. the "region"
# and "exclude" tables of geo-china / coordtransform's Java ports).
_REGIONS = (
    (79.4462, 49.2204, 96.3300, 42.8899),
    (109.6872, 54.1415, 135.0002, 39.3742),
    (73.1246, 42.8899, 124.143255, 29.5297),
    (82.9684, 29.5297, 97.0352, 26.7186),
    (97.0253, 29.5297, 124.367395, 20.4125),
    (107.975793, 20.4125, 111.744104, 17.871542),
)
_EXCLUDED = (
    (119.921265, 25.398623, 122.497559, 21.785006),
    (101.8652, 22.2840, 106.6650, 20.0988),
    (106.4525, 21.5422, 108.0510, 20.4878),
    (109.0323, 55.8175, 119.1270, 50.3257),
    (127.4568, 55.8175, 137.0227, 49.5574),
    (131.2662, 44.8922, 137.0227, 42.5692),
)


def _inside(rects: tuple[tuple[float, float, float, float], ...], lat: float, lon: float) -> bool:
    return any(w <= lon <= e and s <= lat <= n for w, n, e, s in rects)


def in_china(latitude: float, longitude: float) -> bool:
    """Return whether the point is in mainland China, where GCJ-02 applies."""
    return _inside(_REGIONS, latitude, longitude) and not _inside(_EXCLUDED, latitude, longitude)


def _offset(lat: float, lon: float) -> tuple[float, float]:
    x, y = lon - 105.0, lat - 35.0
    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * math.sqrt(abs(x))
    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * math.sqrt(abs(x))
    common = (20.0 * math.sin(6.0 * x * math.pi) + 20.0 * math.sin(2.0 * x * math.pi)) * 2.0 / 3.0
    d_lat += common
    d_lon += common
    d_lat += (20.0 * math.sin(y * math.pi) + 40.0 * math.sin(y / 3.0 * math.pi)) * 2.0 / 3.0
    d_lon += (20.0 * math.sin(x * math.pi) + 40.0 * math.sin(x / 3.0 * math.pi)) * 2.0 / 3.0
    d_lat += (160.0 * math.sin(y / 12.0 * math.pi) + 320.0 * math.sin(y * math.pi / 30.0)) * 2 / 3
    d_lon += (150.0 * math.sin(x / 12.0 * math.pi) + 300.0 * math.sin(x / 30.0 * math.pi)) * 2 / 3
    rad = lat / 180.0 * math.pi
    magic = 1.0 - _EE * math.sin(rad) ** 2
    sqrt_magic = math.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_A * (1.0 - _EE)) / (magic * sqrt_magic) * math.pi)
    d_lon = (d_lon * 180.0) / (_A / sqrt_magic * math.cos(rad) * math.pi)
    return d_lat, d_lon


def wgs84_to_gcj02(latitude: float, longitude: float) -> tuple[float, float]:
    """Return the GCJ-02 coordinates of a WGS-84 point in China."""
    d_lat, d_lon = _offset(latitude, longitude)
    return latitude + d_lat, longitude + d_lon


def gcj02_to_bd09(latitude: float, longitude: float) -> tuple[float, float]:
    """Return Baidu's BD-09 coordinates of a GCJ-02 point."""
    x, y = longitude, latitude
    z = math.sqrt(x * x + y * y) + 0.00002 * math.sin(y * _X_PI)
    theta = math.atan2(y, x) + 0.000003 * math.cos(x * _X_PI)
    return z * math.sin(theta) + 0.006, z * math.cos(theta) + 0.0065


def wgs84_to_bd09(latitude: float, longitude: float) -> tuple[float, float]:
    """Return Baidu's BD-09 coordinates of a WGS-84 point in China."""
    return gcj02_to_bd09(*wgs84_to_gcj02(latitude, longitude))


def _invert(
    forward: Callable[[float, float], tuple[float, float]], latitude: float, longitude: float
) -> tuple[float, float]:
    """Return the point the forward transform maps onto (latitude, longitude)."""
    lat, lon = latitude, longitude
    # The transforms move a point by < 0.02 deg and change slowly, so the
    # fixed-point iteration gains ~5 digits a step; 10 steps is far beyond need.
    for _ in range(10):
        f_lat, f_lon = forward(lat, lon)
        d_lat, d_lon = f_lat - latitude, f_lon - longitude
        lat, lon = lat - d_lat, lon - d_lon
        if abs(d_lat) < 1e-10 and abs(d_lon) < 1e-10:
            break
    return lat, lon


def gcj02_to_wgs84(latitude: float, longitude: float) -> tuple[float, float]:
    """Return the WGS-84 point whose GCJ-02 coordinates are given (iterated)."""
    return _invert(wgs84_to_gcj02, latitude, longitude)


def bd09_to_wgs84(latitude: float, longitude: float) -> tuple[float, float]:
    """Return the WGS-84 point whose BD-09 coordinates are given (iterated)."""
    return _invert(wgs84_to_bd09, latitude, longitude)
