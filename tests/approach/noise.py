"""Realistic GPS error for replays: correlated drift, multipath, glitches, slow and phone sampling.

A *path* is the truth: ``(seconds, north_m, east_m, speed_mps)`` at 1 Hz, in a
local frame around home. :func:`observe` turns it into the fixes a tracker
would report: ``(time, Fix, true_centre_distance_m)``, with

* Gauss-Markov drift (per axis, sigma 5-30 m, correlation time 10-120 s);
* multipath bursts (30-150 m off, 5-60 s, an optimistic reported accuracy);
* single glitches 0.5-5 km off;
* sampling every 1 s, every 15 s, or as a phone does (irregular 5-300 s,
  reported accuracy 5-2,000 m, some fixes delivered again late).

Used by the pure engine tests and by ``script/bench_replay.py``.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
import math
import random

from custom_components.car_bridge.approach.engine import Fix, Home
from custom_components.car_bridge.approach.geo import offset_point

HOME = Home(48.1372, 11.5755, 100.0)
T0 = datetime(2026, 11, 25, 7, 0, tzinfo=UTC)

type Path = list[tuple[float, float, float, float]]
type Observed = list[tuple[datetime, Fix, float]]


@dataclass(frozen=True, kw_only=True)
class Errors:
    """One error model."""

    sigma: float = 0.0  # drift, m per axis
    tau: float = 60.0  # its correlation time, s
    white: float = 2.0  # white noise on top, m per axis
    multipath_per_h: float = 0.0  # burst onsets per hour
    glitch_per_h: float = 0.0  # single far-off fixes per hour
    sampling: str = "1s"  # "1s", "15s" or "phone"
    report_speed: bool = False
    accuracy: float | None = None  # reported; default about the error (optimistic)


def _gm(rng: random.Random, x: float, dt: float, sigma: float, tau: float) -> float:
    decay = math.exp(-dt / tau)
    return x * decay + sigma * math.sqrt(1 - decay * decay) * rng.gauss(0, 1)


def _sample_times(rng: random.Random, sampling: str, end: float) -> Iterator[float]:
    t = 0.0
    while t <= end:
        yield t
        if sampling == "1s":
            t += 1.0
        elif sampling == "15s":
            t += 15.0
        else:
            t += rng.choice((5.0, 10.0, 30.0, 60.0, 120.0, 300.0)) * rng.uniform(0.8, 1.2)


def observe(path: Path, errors: Errors, *, seed: int, home: Home = HOME) -> Observed:
    """Return what a tracker reports of ``path`` with ``errors``."""
    rng = random.Random(seed)
    end = path[-1][0]
    dn = de = 0.0
    burst_until, burst = -1.0, (0.0, 0.0)
    out: Observed = []
    last_t = 0.0
    redeliver: list[tuple[float, Fix, float]] = []
    index = 0
    for t in _sample_times(rng, errors.sampling, end):
        while index + 1 < len(path) and path[index + 1][0] <= t:
            index += 1
        row_t, north, east, speed = path[index]
        if t - row_t > 1.5:
            continue  # no fix in a gap of the path
        dt = max(t - last_t, 1e-3)
        last_t = t
        if errors.sigma:
            dn = _gm(rng, dn, dt, errors.sigma, errors.tau)
            de = _gm(rng, de, dt, errors.sigma, errors.tau)
        en = dn + rng.gauss(0, errors.white)
        ee = de + rng.gauss(0, errors.white)
        accuracy = errors.accuracy or max(5.0, 1.2 * math.hypot(errors.sigma, errors.white))
        if t > burst_until and rng.random() < errors.multipath_per_h * dt / 3600:
            length, bearing = rng.uniform(30, 150), rng.uniform(0, 2 * math.pi)
            burst = (length * math.cos(bearing), length * math.sin(bearing))
            burst_until = t + rng.uniform(5, 60)
        if t <= burst_until:
            en, ee = en + burst[0], ee + burst[1]
        if rng.random() < errors.glitch_per_h * dt / 3600:
            length, bearing = rng.uniform(500, 5000), rng.uniform(0, 2 * math.pi)
            en, ee = en + length * math.cos(bearing), ee + length * math.sin(bearing)
        if errors.sampling == "phone":
            accuracy = min(2000.0, accuracy * rng.choice((0.5, 1.0, 1.0, 2.0, 8.0)))
        lat, lon = offset_point(home.latitude, home.longitude, north + en, east + ee)
        heading = None
        if errors.report_speed and index + 1 < len(path):
            nn, ne = path[index + 1][1] - north, path[index + 1][2] - east
            heading = math.degrees(math.atan2(ne, nn)) % 360 if (nn or ne) else 0.0
        fix = Fix(
            latitude=lat,
            longitude=lon,
            accuracy=accuracy,
            speed=speed * 3.6 if errors.report_speed else None,
            heading=heading,
        )
        truth = math.hypot(north, east)
        out.append((T0 + timedelta(seconds=t), fix, truth))
        if errors.sampling == "phone" and rng.random() < 0.05:
            redeliver.append((t, t + rng.uniform(20, 200), fix, truth))
    if redeliver:
        # A late re-delivery: half say their own (old) time, half are stamped
        # with the time they arrive (the same position, a new time).
        late = [
            (arrive, (T0 + timedelta(seconds=own if i % 2 else arrive), f, d))
            for i, (own, arrive, f, d) in enumerate(redeliver)
        ]
        on_time = [((row[0] - T0).total_seconds(), row) for row in out]
        out = [row for _, row in sorted([*on_time, *late], key=lambda pair: pair[0])]
    return out


# -- paths ---------------------------------------------------------------------


def park(centre_m: float, seconds: float, *, bearing: float = 90.0) -> Path:
    """A car parked ``centre_m`` from the zone centre."""
    b = math.radians(bearing)
    n, e = centre_m * math.cos(b), centre_m * math.sin(b)
    return [(float(t), n, e, 0.0) for t in range(int(seconds) + 1)]


def drive(
    legs: list[tuple[float, float]],
    *,
    start_m: float,
    bearing: float = 0.0,
    wiggle_m: float = 0.0,
    stops_every_s: float = 0.0,
    park_s: float = 900.0,
    start_s: float = 0.0,
) -> Path:
    """A drive home along ``legs`` (metres, km/h), ending parked at the centre.

    The road winds ``wiggle_m`` sideways (a detour factor), and the car stops
    30 s every ``stops_every_s`` (lights).
    """
    b = math.radians(bearing)
    path: Path = []
    total = sum(length for length, _ in legs)
    along, t, speed = 0.0, start_s, 0.0
    plan = [(sum(x for x, _ in legs[: i + 1]), kmh / 3.6) for i, (_, kmh) in enumerate(legs)]
    stopped, next_stop = 0.0, stops_every_s or math.inf
    while along < total:
        target = next(v for edge, v in plan if along < edge)
        braking = speed * speed / 3.0
        if total - along < braking + 5:
            target = max(1.0, speed - 1.5)
        if t - start_s >= next_stop and stopped < 30:
            target, stopped = 0.0, stopped + 1
            speed = 0.0
        elif stopped >= 30:
            stopped, next_stop = 0.0, next_stop + stops_every_s
        speed = min(target, speed + 1.5) if speed < target else max(target, speed - 1.5)
        along = min(total, along + speed)
        # Straight-line remaining distance shrinks slower than the road: a detour.
        remaining = start_m * (1 - along / total)
        side = wiggle_m * math.sin(along / 700.0) * (remaining / max(start_m, 1.0))
        n = remaining * math.cos(b) - side * math.sin(b)
        e = remaining * math.sin(b) + side * math.cos(b)
        path.append((t, n, e, speed))
        t += 1.0
    for _ in range(int(park_s)):
        path.append((t, 0.0, 0.0, 0.0))
        t += 1.0
    return path


def depart(
    start_m: float, to_m: float, *, kmh: float = 40.0, rest_s: float = 300.0, park_s: float = 900.0
) -> Path:
    """A car at rest ``start_m`` from the centre that drives out to ``to_m`` and parks."""
    path: Path = [(float(t), start_m, 0.0, 0.0) for t in range(int(rest_s))]
    at, speed, t = start_m, 0.0, rest_s
    while at < to_m:
        speed = min(kmh / 3.6, speed + 1.5)
        at += speed
        path.append((t, at, 0.0, speed))
        t += 1.0
    path += [(t + s, at, 0.0, 0.0) for s in range(int(park_s))]
    return path


def tangential(
    ring_m: float, *, kmh: float = 50.0, angle_deg: float = 5.0, inner_m: float = 600.0
) -> Path:
    """A road crossing a ring at a shallow angle (``angle_deg`` off its tangent).

    It starts 300 m outside the ring and ends ``inner_m`` inside, the car still driving.
    """
    speed = kmh / 3.6
    radial = speed * math.sin(math.radians(angle_deg))
    along = speed * math.cos(math.radians(angle_deg))
    path: Path = []
    r, phi, t = ring_m + 300.0, 0.0, 0.0
    while r > ring_m - inner_m:
        path.append((t, r * math.cos(phi), r * math.sin(phi), speed))
        r -= radial
        phi += along / r
        t += 1.0
    return path


def ring_road(
    *,
    start_m: float = 10_000.0,
    ring_m: float = 6_000.0,
    arc_deg: float = 30.0,
    kmh: tuple[float, float, float] = (60.0, 50.0, 35.0),
    stops_every_s: float = 180.0,
    park_s: float = 900.0,
) -> Path:
    """A drive home in, then along a ring road around home, then in again (a city route).

    Radially from ``start_m`` to ``ring_m``, ``arc_deg`` along the ring (the
    distance to home does not change there), then radially home; a leg's
    speed each, a 30 s stop (lights) every ``stops_every_s`` on the last leg.
    """
    arc_m = ring_m * math.radians(arc_deg)
    legs = [  # (metres, m/s) of each stretch, in order
        (start_m - ring_m, kmh[0] / 3.6),
        (arc_m, kmh[1] / 3.6),
        (ring_m, kmh[2] / 3.6),
    ]

    def where(along: float) -> tuple[float, float]:
        if along <= legs[0][0]:
            return start_m - along, 0.0
        along -= legs[0][0]
        if along <= arc_m:
            phi = along / ring_m
            return ring_m * math.cos(phi), ring_m * math.sin(phi)
        r = max(0.0, ring_m - (along - arc_m))
        phi = math.radians(arc_deg)
        return r * math.cos(phi), r * math.sin(phi)

    total = sum(length for length, _ in legs)
    ends = [(sum(x for x, _ in legs[: i + 1]), v) for i, (_, v) in enumerate(legs)]
    path: Path = []
    along, t, speed = 0.0, 0.0, 0.0
    stopped, next_stop = 0.0, math.inf
    while along < total:
        target = next(v for end, v in ends if along < end)
        last_leg = along >= legs[0][0] + arc_m
        if last_leg and next_stop == math.inf:
            next_stop = t + stops_every_s
        if total - along < speed * speed / 3.0 + 5:
            target = max(1.0, speed - 1.5)
        if t >= next_stop and stopped < 30:
            target, stopped, speed = 0.0, stopped + 1, 0.0
        elif stopped >= 30:
            stopped, next_stop = 0.0, next_stop + stops_every_s
        speed = min(target, speed + 1.5) if speed < target else max(target, speed - 1.5)
        along = min(total, along + speed)
        n, e = where(along)
        path.append((t, n, e, speed))
        t += 1.0
    path += [(t + s, 0.0, 0.0, 0.0) for s in range(int(park_s))]
    return path


def commute_out(home_drive: Path, *, park_s: float = 3600.0) -> Path:
    """The day before ``home_drive``: its route reversed from home, then parked where it starts."""
    rows = [row for row in home_drive if (row[1], row[2]) != (0.0, 0.0)]
    end = rows[-1][0]
    out: Path = [(end - t, n, e, v) for t, n, e, v in reversed(rows)]
    return out + [(end + 1 + s, rows[0][1], rows[0][2], 0.0) for s in range(int(park_s))]


def without(path: Path, start_s: float, end_s: float) -> Path:
    """The path with no fixes between two times (a tunnel, an app asleep)."""
    return [row for row in path if not start_s <= row[0] < end_s]
