"""Realistic 1 Hz fix traces for the approach engine, made generator-side.

A trace is a list of ``(time, fix, true_distance_to_zone_edge_m)``. Drives go
straight towards home with acceleration, optional stops (traffic lights), a
tunnel (no fixes) and a frozen GPS that repeats its last fix and catches up.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import random

from custom_components.car_bridge.approach.engine import Fix, Home
from custom_components.car_bridge.approach.geo import destination_point, offset_point

HOME = Home(52.3676, 4.9041, 100.0)
T0 = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)

type Trace = list[tuple[datetime, Fix, float]]


@dataclass(kw_only=True)
class Drive:
    """How a drive home goes."""

    start_km: float = 8.0
    kmh: float = 50.0
    sigma: float = 0.0
    accuracy: float | None = None  # reported; default 1.5 sigma, at least 5 m
    bearing: float = 0.0
    stops_at_km: tuple[float, ...] = ()  # from the centre; 30 s standstill each
    tunnel_km: tuple[float, float] | None = None  # no fixes between these distances
    freeze_km: tuple[float, float] | None = None  # fix frozen between these distances
    home: Home = HOME
    parked_after_s: int = 120
    seed: int = 1
    report_speed: bool = True


def drive_home(d: Drive) -> Trace:
    """Return the fixes of a drive from ``start_km`` to the zone centre."""
    rng = random.Random(d.seed)
    cruise = d.kmh / 3.6
    remaining = d.start_km * 1000  # from the centre
    speed, now, trace = 0.0, T0, []
    stops = sorted(d.stops_at_km, reverse=True)
    stopped_for = 0
    frozen: Fix | None = None
    accuracy = d.accuracy if d.accuracy is not None else max(5.0, 1.5 * d.sigma)
    parked = 0
    while parked < d.parked_after_s:
        now += timedelta(seconds=1)
        if stops and remaining <= stops[0] * 1000 and stopped_for < 30:
            speed, stopped_for = 0.0, stopped_for + 1
        else:
            if stopped_for >= 30:
                stops.pop(0)
                stopped_for = 0
            braking = (speed * speed) / (2 * 1.5)
            target = cruise if remaining > braking + 5 else max(0.5, speed - 1.5)
            speed = min(target, speed + 1.5) if speed < target else max(target, speed - 1.5)
            remaining = max(0.0, remaining - speed)
        if remaining == 0.0:
            speed = 0.0
            parked += 1
        lat, lon = destination_point(d.home.latitude, d.home.longitude, d.bearing, remaining)
        if d.sigma:
            lat, lon = offset_point(lat, lon, rng.gauss(0, d.sigma), rng.gauss(0, d.sigma))
        fix = Fix(
            latitude=lat,
            longitude=lon,
            accuracy=accuracy,
            speed=speed * 3.6 if d.report_speed else None,
            heading=(d.bearing + 180) % 360 if d.report_speed else None,
        )
        true_edge = remaining - d.home.radius
        if d.tunnel_km and d.tunnel_km[1] * 1000 <= remaining <= d.tunnel_km[0] * 1000:
            continue
        if d.freeze_km and d.freeze_km[1] * 1000 <= remaining <= d.freeze_km[0] * 1000:
            frozen = frozen or fix
            fix = frozen
        trace.append((now, fix, true_edge))
    return trace


def parked(km: float, sigma: float, seconds: int, *, seed: int = 4, home: Home = HOME) -> Trace:
    """Return the fixes of a car parked ``km`` from the centre, with noise."""
    rng = random.Random(seed)
    lat0, lon0 = destination_point(home.latitude, home.longitude, 90.0, km * 1000)
    out: Trace = []
    for i in range(1, seconds + 1):
        lat, lon = offset_point(lat0, lon0, rng.gauss(0, sigma), rng.gauss(0, sigma))
        fix = Fix(latitude=lat, longitude=lon, accuracy=max(5.0, 1.5 * sigma), speed=0.0)
        out.append((T0 + timedelta(seconds=i), fix, km * 1000 - home.radius))
    return out
