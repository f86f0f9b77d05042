"""Location codes that links carry instead of numbers, decoded offline."""

from __future__ import annotations

_GEOHASH = "0123456789bcdefghjkmnpqrstuvwxyz"
# openstreetmap-website lib/short_link.rb: 64 symbols for 6 bits; "@" is the
# old spelling of "~", "-" marks a partial zoom level.
_OSM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_~"


def geohash(code: str) -> tuple[float, float] | None:
    """Return the centre of a geohash cell (Waze's ``ul/h<geohash>``), or None."""
    lat_lo, lat_hi, lon_lo, lon_hi = -90.0, 90.0, -180.0, 180.0
    even = True
    if not code:
        return None
    for char in code.lower():
        value = _GEOHASH.find(char)
        if value < 0:
            return None
        for bit in (16, 8, 4, 2, 1):
            if even:
                mid = (lon_lo + lon_hi) / 2
                lon_lo, lon_hi = (mid, lon_hi) if value & bit else (lon_lo, mid)
            else:
                mid = (lat_lo + lat_hi) / 2
                lat_lo, lat_hi = (mid, lat_hi) if value & bit else (lat_lo, mid)
            even = not even
    return (lat_lo + lat_hi) / 2, (lon_lo + lon_hi) / 2


def osm_shortcode(code: str) -> tuple[float, float, int] | None:
    """Return (latitude, longitude, zoom) of an ``osm.org/go/<code>``, or None.

    The code interleaves the bits of x and y, 3 of each per symbol; the point
    returned is the centre of the cell it names (the website returns its
    corner, at most a pixel away at the code's zoom).
    """
    x = y = bits = 0
    partial = 0
    for char in code.replace("@", "~"):
        if char == "-":
            partial += 1
            continue
        value = _OSM.find(char)
        if value < 0 or partial:
            return None
        for _ in range(3):
            x = (x << 1) | (1 if value & 32 else 0)
            value <<= 1
            y = (y << 1) | (1 if value & 32 else 0)
            value <<= 1
        bits += 3
    if bits == 0 or bits > 30 or partial > 2:
        return None
    x = (x << (32 - bits)) + (1 << (31 - bits))
    y = (y << (32 - bits)) + (1 << (31 - bits))
    longitude = x * 360.0 / 2**32 - 180.0
    latitude = y * 180.0 / 2**32 - 90.0
    zoom = bits - 8 - (-partial % 3)
    return latitude, longitude, zoom
