"""Geodesy helpers for the approach engine and the simulator.

Pure Python, no Home Assistant imports. Distances are metres on the WGS-84
ellipsoid, so they agree with Home Assistant's own ``location.distance``.
"""

from __future__ import annotations

import math

WGS84_A = 6378137.0
WGS84_F = 1 / 298.257223563
WGS84_B = WGS84_A * (1 - WGS84_F)
EARTH_RADIUS_M = 6371008.8
_E2 = WGS84_F * (2 - WGS84_F)


def ellipsoid_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the geodesic distance in metres (Vincenty's inverse formula).

    Falls back to the spherical distance for the nearly antipodal points where
    the iteration does not converge.
    """
    if lat1 == lat2 and lon1 == lon2:
        return 0.0
    f = WGS84_F
    u1 = math.atan((1 - f) * math.tan(math.radians(lat1)))
    u2 = math.atan((1 - f) * math.tan(math.radians(lat2)))
    big_l = math.radians(lon2 - lon1)
    lam = big_l
    sin_u1, cos_u1 = math.sin(u1), math.cos(u1)
    sin_u2, cos_u2 = math.sin(u2), math.cos(u2)
    for _ in range(200):
        sin_lam, cos_lam = math.sin(lam), math.cos(lam)
        sin_sigma = math.hypot(cos_u2 * sin_lam, cos_u1 * sin_u2 - sin_u1 * cos_u2 * cos_lam)
        if sin_sigma == 0.0:
            return 0.0
        cos_sigma = sin_u1 * sin_u2 + cos_u1 * cos_u2 * cos_lam
        sigma = math.atan2(sin_sigma, cos_sigma)
        sin_alpha = cos_u1 * cos_u2 * sin_lam / sin_sigma
        cos_sq_alpha = 1 - sin_alpha * sin_alpha
        cos_2sm = cos_sigma - 2 * sin_u1 * sin_u2 / cos_sq_alpha if cos_sq_alpha else 0.0
        c = f / 16 * cos_sq_alpha * (4 + f * (4 - 3 * cos_sq_alpha))
        lam_prev = lam
        lam = big_l + (1 - c) * f * sin_alpha * (
            sigma + c * sin_sigma * (cos_2sm + c * cos_sigma * (-1 + 2 * cos_2sm**2))
        )
        if abs(lam - lam_prev) < 1e-12:
            break
    else:
        return great_circle_distance(lat1, lon1, lat2, lon2)
    u_sq = cos_sq_alpha * (WGS84_A**2 - WGS84_B**2) / WGS84_B**2
    a = 1 + u_sq / 16384 * (4096 + u_sq * (-768 + u_sq * (320 - 175 * u_sq)))
    b = u_sq / 1024 * (256 + u_sq * (-128 + u_sq * (74 - 47 * u_sq)))
    delta_sigma = (
        b
        * sin_sigma
        * (
            cos_2sm
            + b
            / 4
            * (
                cos_sigma * (-1 + 2 * cos_2sm**2)
                - b / 6 * cos_2sm * (-3 + 4 * sin_sigma**2) * (-3 + 4 * cos_2sm**2)
            )
        )
    )
    return WGS84_B * a * (sigma - delta_sigma)


def great_circle_distance(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the spherical (haversine) distance in metres."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def local_offset_m(lat1: float, lon1: float, lat2: float, lon2: float) -> tuple[float, float]:
    """Return (north, east) metres from point 1 to point 2 on a local plane.

    Cheap and accurate to well under a metre for the few hundred metres the
    movement filter compares; not meant for long distances.
    """
    phi = math.radians((lat1 + lat2) / 2)
    s = math.sin(phi)
    w = math.sqrt(1 - _E2 * s * s)
    meridional = WGS84_A * (1 - _E2) / (w * w * w)
    normal = WGS84_A / w
    north = math.radians(lat2 - lat1) * meridional
    east = math.radians(lon2 - lon1) * normal * math.cos(phi)
    return north, east


def bearing_deg(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Return the initial great-circle bearing from point 1 to point 2 (0-360)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dl = math.radians(lon2 - lon1)
    x = math.sin(dl) * math.cos(p2)
    y = math.cos(p1) * math.sin(p2) - math.sin(p1) * math.cos(p2) * math.cos(dl)
    return math.degrees(math.atan2(x, y)) % 360


def destination_point(
    lat: float, lon: float, bearing: float, distance_m: float
) -> tuple[float, float]:
    """Return the point ``distance_m`` along a great circle at ``bearing``."""
    delta = distance_m / EARTH_RADIUS_M
    theta = math.radians(bearing)
    p1, l1 = math.radians(lat), math.radians(lon)
    p2 = math.asin(
        math.sin(p1) * math.cos(delta) + math.cos(p1) * math.sin(delta) * math.cos(theta)
    )
    l2 = l1 + math.atan2(
        math.sin(theta) * math.sin(delta) * math.cos(p1),
        math.cos(delta) - math.sin(p1) * math.sin(p2),
    )
    return math.degrees(p2), (math.degrees(l2) + 540) % 360 - 180


def offset_point(lat: float, lon: float, north_m: float, east_m: float) -> tuple[float, float]:
    """Return the point ``north_m``/``east_m`` metres away on a local plane."""
    phi = math.radians(lat)
    s = math.sin(phi)
    w = math.sqrt(1 - _E2 * s * s)
    meridional = WGS84_A * (1 - _E2) / (w * w * w)
    normal = WGS84_A / w
    return (
        lat + math.degrees(north_m / meridional),
        lon + math.degrees(east_m / (normal * max(math.cos(phi), 1e-9))),
    )
