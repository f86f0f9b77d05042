"""The car's own pace home, learned across trips: time to home on the roads it takes.

Pure Python, no Home Assistant imports.

A car that drives home mostly takes the same roads, so how long it took from
each distance on earlier trips predicts today's time far better than the
straight-line closing speed, which knows nothing of the detour a winding city
road makes, the stops at lights, or a fast road followed by a slow one.

The profile keeps, for each band of straight-line distance from the zone edge
(:data:`EDGES_M`), the car's **pace in that band**: seconds of travel per
metre of straight-line distance gained, an exponentially weighted mean over
the trips that crossed it (a new trip weighs 1/n, at least
:data:`MIN_TRIP_WEIGHT`, so a changed route takes over within a few trips).
Per-band pace rather than the time from a band's outer edge to arrival,
because a trip that starts *inside* a band (the car was parked at work,
7.9 km away) still teaches that band from where it started, and a band's
time does not depend on whether the car entered the bands beyond it; the
time from a distance is the sum of the paces of the bands inside it, which
interpolates linearly within the current band.

A trip teaches only when it was real and continuous: it ends with the
engine's arrival home; each band's time runs from the inward crossing of its
outer edge (or the trip's farthest point, where it turned home) to the
inward crossing of its inner edge, an edge counting as crossed again only
after the car was :data:`NOISE_M` beyond it (so only travel towards home
counts, and GPS noise at an edge, home's included, does not move its time);
a gap between fixes longer than :data:`MAX_GAP_S` or a stop away from home
longer than :data:`MAX_STOP_S` starts the trip again from there; and a pace
no car keeps (:data:`MIN_PACE` .. :data:`MAX_PACE`) is not learned. Between
fixes minutes apart (a phone) an edge is crossed at the closing speed of the
fixes before, not evenly over the gap, which would put the arrival at the
first fix after parking. The memory is fixed: one pace and one count per
band, and a handful of times for the trip under way.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
import math
from typing import Any

#: Band edges (m of straight-line distance from the zone edge).
EDGES_M = (0.0, 500.0, 1000.0, 2000.0, 3000.0, 5000.0, 8000.0, 12000.0, 20000.0, 35000.0, 60000.0)
BANDS = len(EDGES_M) - 1
#: A new trip weighs 1/n of the profile, but never less than this.
MIN_TRIP_WEIGHT = 0.5
#: A band in which the car stood this long (s) at once teaches nothing on
#: that trip: a stop at a shop or a long jam is not the car's pace home.
#: (Lights, 30-60 s, are part of it.)
STOP_TAINT_S = 180.0
#: The count of trips behind a band's pace stops growing here.
MAX_COUNT = 20
#: Pace bounds (s per m of straight-line distance): 250 km/h, 1.8 km/h.
MIN_PACE = 3.6 / 250
MAX_PACE = 2.0
#: Without a fix for this long (s), or stopped away from home this long, the
#: trip starts again from where the car is.
MAX_GAP_S = 600.0
MAX_STOP_S = 600.0
#: An edge is crossed again only after the car was this far (m) beyond it:
#: GPS noise and multipath around an edge (home's too) do not move its time.
NOISE_M = 150.0
#: Fixes further apart than this (s) are crossed at the pace before them.
SLOW_FIXES_S = 20.0
#: A car standing this close (m) to its trip's farthest point is still there.
STILL_M = 150.0
#: A car that moved within this long (s) is under way: a learned time to home
#: is shown even when its direction is stationary (a road around home).
UNDER_WAY_S = 180.0
#: A trip that starts inside a band teaches it if it covers this much of it.
MIN_COVER_FRACTION = 0.25
MIN_COVER_M = 200.0
#: Today's pace counts against the profile over the latest stretch with at
#: least RATIO_SPAN_S of learned time (else the longest, if MIN_RATIO_SPAN_S):
#: only a delay or gain beyond RATIO_SLACK_S (s) counts, within RATIO_BOUNDS.
MIN_RATIO_SPAN_S = 60.0
RATIO_SPAN_S = 600.0
RATIO_SLACK_S = 30.0
RATIO_BOUNDS = (0.33, 3.0)


@dataclass(slots=True)
class Band:
    """The learned pace in one band and how many trips taught it."""

    pace: float  # s per m of straight-line distance
    count: int


class PaceProfile:
    """The learned pace per band (None: never crossed on a sound trip)."""

    __slots__ = ("bands",)

    def __init__(self, bands: list[Band | None] | None = None) -> None:
        """Start empty, or from ``bands`` (one per band)."""
        self.bands: list[Band | None] = bands if bands is not None else [None] * BANDS

    @property
    def empty(self) -> bool:
        """Whether nothing was learned."""
        return all(b is None for b in self.bands)

    def learn(self, index: int, pace: float) -> None:
        """Weigh one more trip's pace into band ``index``."""
        band = self.bands[index]
        if band is None:
            self.bands[index] = Band(pace, 1)
            return
        count = min(MAX_COUNT, band.count + 1)
        weight = max(1.0 / count, MIN_TRIP_WEIGHT)
        band.pace += weight * (pace - band.pace)
        band.count = count

    def time_from(self, distance_m: float) -> float | None:
        """Return the learned time (s) from ``distance_m`` off the zone edge to arrival."""
        if distance_m <= 0:
            return 0.0
        total = 0.0
        for band, low, high in zip(self.bands, EDGES_M, EDGES_M[1:], strict=False):
            if band is None:
                return None
            if distance_m <= high:
                return total + band.pace * (distance_m - low)
            total += band.pace * (high - low)
        return None  # beyond the last band

    def to_json(self) -> dict[str, Any]:
        """Return the profile as JSON-ready data."""
        return {
            "edges": list(EDGES_M),
            "bands": [None if b is None else [b.pace, b.count] for b in self.bands],
        }

    @classmethod
    def from_json(cls, data: Any) -> PaceProfile:
        """Read a saved profile back; raise TypeError or ValueError if it cannot be trusted."""
        if not isinstance(data, dict):
            raise TypeError("pace")
        edges, bands = data["edges"], data["bands"]
        if not isinstance(edges, list) or [_number(e) for e in edges] != list(EDGES_M):
            raise ValueError("pace edges")  # other bands: not ours to read
        if not isinstance(bands, list) or len(bands) != BANDS:
            raise TypeError("pace bands")
        return cls([None if b is None else _band(b) for b in bands])


def _number(value: Any) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"not a number: {value!r:.40}")
    number = float(value)
    if not math.isfinite(number):
        raise ValueError("not finite")
    return number


def _band_of(distance: float) -> int:
    """Return the band ``distance`` (m from the zone edge, > 0) lies in."""
    return min(bisect.bisect_left(EDGES_M, distance) - 1, BANDS - 1)


def _band(value: Any) -> Band:
    if not isinstance(value, list) or len(value) != 2:
        raise TypeError("pace band")
    pace, count = _number(value[0]), value[1]
    if not MIN_PACE <= pace <= MAX_PACE:
        raise ValueError("pace out of range")
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_COUNT:
        raise ValueError("pace count")
    return Band(pace, count)


class Pace:
    """The profile, and the trip under way it learns from.

    Times are seconds of the source's clock, distances metres of straight line
    from the zone edge (negative inside the zone).
    """

    __slots__ = (
        "_active",
        "_cross",
        "_far",
        "_left",
        "_moved",
        "_nearest",
        "_prev",
        "_rate",
        "_stood",
        "profile",
    )

    def __init__(self) -> None:
        """Start without a profile or a trip."""
        self.profile = PaceProfile()
        self.restart()

    def restart(self) -> None:
        """Forget the trip under way (not the profile)."""
        self._active = False
        #: Per edge, when the car crossed it inwards since it was last well
        #: beyond it (None: beyond it, or not seen).
        self._cross: list[tuple[float, float] | None] = [None] * len(EDGES_M)
        #: The trip's farthest point (time, distance): where it turned home,
        #: and the first fix after it left (None: not yet left).
        self._far = (0.0, -math.inf)
        self._left: float | None = None
        #: The nearest the trip came to home (m).
        self._nearest = math.inf
        self._prev = (0.0, 0.0)
        self._moved = -math.inf
        #: Closing speed (m/s) between the last two fixes far enough apart.
        self._rate = 0.0
        #: The bands the car stood in for STOP_TAINT_S or longer on this trip.
        self._stood: set[int] = set()

    def _start(self, t: float, distance: float, *, moving: bool) -> None:
        self.restart()
        self._active = True
        self._far = self._prev = (t, distance)
        self._nearest = distance
        self._moved = t if moving else -math.inf

    def observe(self, t: float, distance: float, *, at_home: bool, moving: bool) -> None:
        """Follow the trip by one accepted fix; learn from it when it arrives home."""
        gap = t - self._prev[0]
        if not self._active or not 0 <= gap <= MAX_GAP_S:  # unseen, or the clock set back
            if not at_home:
                self._start(t, distance, moving=moving)
            return
        if moving:
            self._moved = t
        elif t - self._moved > MAX_STOP_S and distance > 0 and not at_home:
            self._start(t, distance, moving=False)  # parked away from home: a trip starts here
            return
        elif t - self._moved >= STOP_TAINT_S and distance > 0:
            self._stood.add(_band_of(distance))
        pt, pd = self._prev
        for k, edge in enumerate(EDGES_M):
            if distance > edge + NOISE_M:
                self._cross[k] = None
            elif pd > edge >= distance and self._cross[k] is None:
                when = self._crossed(pt, pd, t, distance, edge)
                # Its uncertainty (s): a quarter of the time between the fixes.
                self._cross[k] = (when, (t - pt) / 4)
        if t - pt >= SLOW_FIXES_S:  # shorter: mostly GPS noise
            self._rate = (pd - distance) / (t - pt)
        far_d = self._far[1]
        if distance >= far_d or (not moving and far_d - distance <= STILL_M):
            # Standing at its farthest point, the car has not started home yet.
            self._far = (t, max(far_d, distance))
            self._left = None
        elif self._left is None:
            self._left = t
        self._prev = (t, distance)
        self._nearest = min(self._nearest, distance)
        if at_home:
            self._learn()
            self.restart()

    def _crossed(self, pt: float, pd: float, t: float, distance: float, edge: float) -> float:
        """When the car crossed ``edge`` between two fixes.

        Between fixes minutes apart (a phone) the car does not close evenly:
        it drove on at the pace of the fixes before, then stopped (home, or a
        stop). So the crossing is where that pace takes it, or, without one,
        where an even pace does.
        """
        linear = pt + (t - pt) * (pd - edge) / (pd - distance)
        if self._rate <= 0:
            return linear
        return min(linear, pt + (pd - edge) / self._rate) if t - pt > SLOW_FIXES_S else linear

    def along(self, t: float, distance: float) -> bool:
        """Whether the car moved lately on a trip being followed, and not away from home."""
        return (
            self._active and t - self._moved <= UNDER_WAY_S and distance <= self._nearest + NOISE_M
        )

    def _departed(self) -> tuple[float, float]:
        """When the car left its farthest point, and the uncertainty (s) of that."""
        far_t = self._far[0]
        if self._left is None:
            return far_t, 0.0
        # It left between the last fix there and the first one away.
        return (far_t + self._left) / 2, (self._left - far_t) / 2

    def _learn(self) -> None:
        cross, far_d = self._cross, self._far[1]
        departed = self._departed()[0]
        for k in range(BANDS):
            inner, outer = cross[k], cross[k + 1]
            low, high = EDGES_M[k], EDGES_M[k + 1]
            if inner is None:
                continue
            if outer is not None:
                seconds, covered = inner[0] - outer[0], high - low
            elif low < far_d <= high and departed <= inner[0]:
                seconds, covered = inner[0] - departed, far_d - low
                if covered < max(MIN_COVER_M, MIN_COVER_FRACTION * (high - low)):
                    continue
            else:
                continue
            pace = seconds / covered
            if MIN_PACE <= pace <= MAX_PACE and k not in self._stood:
                self.profile.learn(k, pace)

    def estimate_s(self, t: float, distance: float) -> float | None:
        """Return the time to home (s) the profile and today's pace give, or None."""
        learned = self.profile.time_from(distance)
        if learned is None:
            return None
        return learned * self._ratio(t, distance, learned)

    def _ratio(self, t: float, distance: float, learned: float) -> float:
        """How today's pace compares with the profile's since a recent mark (1: the same)."""
        if not self._active:
            return 1.0
        marks = [(c[0], c[1], EDGES_M[k]) for k, c in enumerate(self._cross) if c is not None]
        marks.append((*self._departed(), self._far[1]))
        best: tuple[float, float, float] | None = None  # (actual s, learned s, unsure s)
        for mark_t, unsure, mark_d in marks:  # innermost (latest) first
            if mark_d <= distance or (before := self.profile.time_from(mark_d)) is None:
                continue
            best = (t - mark_t, before - learned, unsure)
            if best[1] >= RATIO_SPAN_S:
                break
        if best is None or best[1] < MIN_RATIO_SPAN_S:
            return 1.0
        actual, expected, unsure = best
        low, high = RATIO_BOUNDS
        # Within a band the pace is not even (a light, a faster stretch) and
        # crossing times are estimates: only a difference beyond that slack is
        # today's own.
        excess = max(0.0, abs(actual - expected) - RATIO_SLACK_S - unsure)
        ratio = (expected + math.copysign(excess, actual - expected)) / expected
        return max(low, min(high, ratio))
