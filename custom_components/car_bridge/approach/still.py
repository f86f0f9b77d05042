"""A car standing still: the accuracy-weighted, drift-aware estimate of where it is.

Pure Python, no Home Assistant imports.

Real GPS errors of a parked car are not white noise: the position drifts
(correlated over tens of seconds to minutes, 5-30 m) and multipath throws
bursts of fixes 30-150 m off for up to a minute, often with an optimistic
reported accuracy. So the estimate

* weights each fix by its accuracy and down-weights fixes far from the mean
  (a burst cannot drag it);
* knows how sure it is from the time it has averaged, not from the number of
  fixes (a drift seen for 30 s is one sample, however many fixes show it),
  never surer than ``DRIFT_FLOOR_M`` allows in that time;
* leaves the place only on evidence of a departure: a reported speed, or fixes
  outside it that go on getting farther, not a burst that hovers off it. Fixes
  that recede steadily but stay within a burst's reach are a departure only
  once the next fix goes on at their pace (drift that wanders out, then a
  burst on top, recedes steadily for four fixes too, and then hovers).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime, timedelta
import itertools
import math

from .geo import local_offset_m, offset_point
from .model import STOPPED_KMH, Sample

#: Without a reported speed, this long in one place counts as stopped (s).
DWELL_S = 30.0
#: With a reported standstill, this long is enough (s).
DWELL_REPORTED_S = 8.0
#: Fixes averaged at least before the estimate decides anything.
STILL_MIN_FIXES = 3
#: The correlation time assumed for GPS drift (s): one independent look per TAU_S.
TAU_S = 120.0
#: Drift at least this large (m, per axis) is assumed whatever the accuracy says.
DRIFT_FLOOR_M = 15.0
#: After this long (s, five drift correlation times) the fixes' own scatter
#: gives the spread, not their reported accuracy.
TRUST_SCATTER_S = 5 * TAU_S
#: The margin of the estimate, in standard errors.
SIGMAS = 2.5
#: A fix farther than this many standard deviations (at least OUTSIDE_MIN_M)
#: is outside the place; inside it, farther than DOWNWEIGHT_SIGMAS counts less.
OUTSIDE_SIGMAS = 3.0
OUTSIDE_MIN_M = 80.0
DOWNWEIGHT_SIGMAS = 2.0
#: Outside fixes needed in a row, each farther by at least DEPART_STEP_M, to
#: call it a departure without a reported speed; the last must be
#: ``depart_m`` off, and the first-to-last gain at least DEPART_GAIN_M (a
#: multipath burst jumps off and hovers; a car drives).
DEPART_FIXES = 4
DEPART_STEP_M = 2.0
DEPART_GAIN_M = 25.0
#: Each of those steps points this close (degrees) to the way out.
DEPART_BEARING_DEG = 60.0
#: ... this many spreads off, at least DEPART_MIN_M whatever the spread.
DEPART_SPREADS = 4.5
DEPART_MIN_M = 60.0
#: No step of those may make more than this share of their sum.
DEPART_MAX_STEP_SHARE = 0.6
#: Two outside fixes, the second farther and beyond this (m), are a departure:
#: no multipath burst reaches so far.
FAR_M = 250.0
#: Outside for this long (s) without coming back, in one place: the car moved.
OUTSIDE_FOR_S = 180.0
#: The farthest a multipath burst throws fixes (m).
MULTIPATH_REACH_M = 150.0
#: Outside fixes remembered.
MAX_OUTSIDE = 64
#: Two fixes beyond FAR_M agree on a direction within this (degrees).
FAR_BEARING_DEG = 45.0
#: A departure within a burst's reach is confirmed by a later fix that has
#: gone on at least this share of the pace of the fixes that suggested it.
CONFIRM_PACE_SHARE = 0.5


@dataclass(frozen=True, slots=True, kw_only=True)
class Still:
    """The weighted estimate of a car standing still, and the fixes seen outside it."""

    count: int
    latitude: float
    longitude: float
    #: Weighted mean of the fixes' reported accuracy (m).
    accuracy: float
    since: datetime
    #: The time of the newest fix averaged.
    last: datetime | None = None
    #: Sum of the fixes' weights (1/accuracy²).
    weight: float = 0.0
    #: Weighted mean squared distance of the fixes from the estimate (m²).
    scatter: float = 0.0
    #: Whether the car came to this place driving (its crossings are due).
    arrived_moving: bool = False
    #: Whether a reported speed says it stands still.
    reported_stop: bool = False
    #: Residuals (s since ``since``, m north, m east) of the outside fixes in a row.
    outside: tuple[tuple[float, float, float], ...] = ()
    #: The same of the last few fixes, inside or outside, once settled.
    recent: tuple[tuple[float, float, float], ...] = ()
    #: The first fix's place.
    first_lat: float = 0.0
    first_lon: float = 0.0
    #: A departure that waits for its confirmation: (s since ``since``, m off
    #: the place, pace in m/s) of the fix that suggested it.
    leaving: tuple[float, float, float] | None = None

    @property
    def span_s(self) -> float:
        """Return how long the estimate has averaged (s)."""
        return 0.0 if self.last is None else (self.last - self.since).total_seconds()

    @property
    def settled(self) -> bool:
        """Return whether the car has stood still long enough for the estimate to decide."""
        dwell = DWELL_REPORTED_S if self.reported_stop else DWELL_S
        return self.count >= STILL_MIN_FIXES and self.span_s >= dwell

    @property
    def sigma(self) -> float:
        """Return the spread (m, per axis) of one fix about the estimate."""
        observed = math.sqrt(self.scatter / 2)
        if self.span_s >= TRUST_SCATTER_S:
            # Long enough to have seen the drift: what the fixes do beats
            # what they say (a reported accuracy is often only a guess).
            return max(observed, DRIFT_FLOOR_M)
        return max(self.accuracy / 1.5, observed, DRIFT_FLOOR_M)

    @property
    def spread(self) -> float:
        """Return how far (m, per axis) fixes scatter about the place."""
        return max(self.accuracy / 1.5, min(math.sqrt(self.scatter / 2), 60.0), DRIFT_FLOOR_M)

    @property
    def radius(self) -> float:
        """Return how far (m) a fix may be and still show the car in this place."""
        return max(OUTSIDE_SIGMAS * self.spread, OUTSIDE_MIN_M)

    @property
    def reach(self) -> float:
        """Return how far (m) a multipath burst, with the drift on top, may throw a fix."""
        return max(2 * self.radius, MULTIPATH_REACH_M + OUTSIDE_SIGMAS * self.spread)

    @property
    def depart_m(self) -> float:
        """Return how far (m) steadily receding fixes must get to be a departure."""
        return max(DEPART_SPREADS * self.spread, DEPART_MIN_M)

    @property
    def effective_accuracy(self) -> float:
        """Return how far the estimate may be off the true position (m)."""
        looks = min(float(self.count), 1.0 + self.span_s / TAU_S)
        return SIGMAS * self.sigma / math.sqrt(looks)

    def add(self, sample: Sample, north: float, east: float) -> Still:
        """Return the estimate with one more fix at offset (north, east) from it."""
        residual = math.hypot(north, east)
        weight = 1.0 / max(sample.accuracy, 1.0) ** 2
        if residual > (limit := DOWNWEIGHT_SIGMAS * self.sigma):
            weight *= (limit / residual) ** 2
        total = self.weight + weight
        share = weight / total
        lat = self.latitude + (sample.latitude - self.latitude) * share
        lon = self.longitude + (sample.longitude - self.longitude) * share
        return replace(
            self,
            count=self.count + 1,
            latitude=lat,
            longitude=lon,
            accuracy=self.accuracy + (sample.accuracy - self.accuracy) * share,
            weight=total,
            scatter=self.scatter + (residual * residual - self.scatter) * share,
            last=sample.time,
            reported_stop=sample.speed is not None,
            outside=(),
        )


def start(sample: Sample, *, moving: bool) -> Still:
    """Return an estimate of one fix."""
    return Still(
        count=1,
        latitude=sample.latitude,
        longitude=sample.longitude,
        accuracy=sample.accuracy,
        since=sample.time,
        last=sample.time,
        weight=1.0 / max(sample.accuracy, 1.0) ** 2,
        arrived_moving=moving,
        reported_stop=sample.speed is not None,
        first_lat=sample.latitude,
        first_lon=sample.longitude,
    )


def _bearing_gap(a: tuple[float, float, float], b: tuple[float, float, float]) -> float:
    gap = abs(math.degrees(math.atan2(a[2], a[1]) - math.atan2(b[2], b[1]))) % 360
    return min(gap, 360 - gap)


def _departed(
    still: Still,
    outside: tuple[tuple[float, float, float], ...],
    last: tuple[tuple[float, float, float], ...],
) -> bool:
    """Return whether the fixes outside the place, or the last few, say the car left it."""
    dists = [math.hypot(n, e) for _, n, e in outside]
    if (
        len(dists) >= 2
        and dists[-2] >= 2 * still.radius
        and dists[-1] > max(FAR_M, dists[-2] + DEPART_STEP_M)
        and _bearing_gap(outside[-2], outside[-1]) <= FAR_BEARING_DEG
    ):
        return True
    if len(last) < DEPART_FIXES:
        return False
    points = last[-DEPART_FIXES:]
    recent = [math.hypot(n, e) for _, n, e in points]
    _, n1, e1 = points[-1]
    steps = [b - a for a, b in itertools.pairwise(recent)]
    # A car drives away: each step goes outwards, in about the direction of
    # its place, and steadily; drift wanders and a burst jumps off at once.
    outwards = all(
        _bearing_gap((0.0, b[1] - a[1], b[2] - a[2]), points[-1]) <= DEPART_BEARING_DEG
        for a, b in itertools.pairwise(points)
    )
    return (
        outwards
        and min(steps) >= DEPART_STEP_M
        and max(steps) <= DEPART_MAX_STEP_SHARE * sum(steps)
        and recent[-1] >= still.depart_m
        and math.hypot(n1 - points[0][1], e1 - points[0][2]) >= DEPART_GAIN_M
    )


def _new_place(still: Still, outside: tuple[tuple[float, float, float], ...]) -> int:
    """Return how many of the last outside fixes show the car standing in another place.

    They must lie together, away from this place: beyond the reach of a
    multipath burst (and the drift on top) for DWELL_S, or anywhere outside for
    OUTSIDE_FOR_S. 0 if they do not.
    """
    _, n1, e1 = outside[-1]
    together = 0
    for _, n, e in reversed(outside):
        if math.hypot(n - n1, e - e1) > still.radius:
            break
        together += 1
    if together < STILL_MIN_FIXES:
        return 0
    span = outside[-1][0] - outside[-together][0]
    far = all(math.hypot(n, e) >= still.reach for _, n, e in outside[-together:])
    return together if span >= (DWELL_S if far else OUTSIDE_FOR_S) else 0


def _moved_to(
    still: Still, cluster: tuple[tuple[float, float, float], ...], sample: Sample
) -> Still:
    """Return the estimate of the new place from the outside fixes standing there."""
    north = sum(n for _, n, _ in cluster) / len(cluster)
    east = sum(e for _, _, e in cluster) / len(cluster)
    lat, lon = offset_point(still.latitude, still.longitude, north, east)
    fresh = start(sample, moving=True)
    return replace(
        fresh,
        count=len(cluster),
        latitude=lat,
        longitude=lon,
        since=still.since + timedelta(seconds=cluster[0][0]),
        weight=len(cluster) / max(sample.accuracy, 1.0) ** 2,
        first_lat=lat,
        first_lon=lon,
    )


def follow(still: Still | None, sample: Sample, *, moving: bool) -> tuple[Still | None, bool]:
    """Follow one more fix; return the estimate and whether the car just left a place.

    ``moving``: whether the car was under way before this fix. The estimate is
    None while a reported speed says the car moves.
    """
    driving = sample.speed is not None and sample.speed > STOPPED_KMH
    if still is None:
        return (None if driving else start(sample, moving=moving)), False
    settled = still.settled
    if driving:
        return None, settled
    # Until settled, fixes are measured from the first (a crawling car's mean
    # would follow it); then from the estimate.
    ref = (still.latitude, still.longitude) if settled else (still.first_lat, still.first_lon)
    north, east = local_offset_m(*ref, sample.latitude, sample.longitude)
    inside = math.hypot(north, east) <= max(still.radius, OUTSIDE_SIGMAS * sample.accuracy / 1.5)
    if not settled:
        if not inside:
            return start(sample, moving=True), False
        north, east = local_offset_m(
            still.latitude, still.longitude, sample.latitude, sample.longitude
        )
        return still.add(sample, north, east), False
    return _settled(still, sample, north, east, inside=inside)


def _settled(
    still: Still, sample: Sample, north: float, east: float, *, inside: bool
) -> tuple[Still, bool]:
    """Follow one more fix of a settled place; return the estimate and whether the car left."""
    t = (sample.time - still.since).total_seconds()
    last = (*still.recent, (t, north, east))[-DEPART_FIXES:]
    if still.leaving is not None:
        off_m = math.hypot(north, east)
        if _confirmed(still, still.leaving, t, off_m):
            return start(sample, moving=True), True
        if inside and off_m < still.leaving[1]:
            still = replace(still, leaving=None)  # it hovered and came back: a burst
    if inside:
        if _departed(still, (), last):
            return _leave(still, sample, last)
        return replace(still.add(sample, north, east), recent=last), False
    # An outside fix is not averaged, but its spread counts (capped): drift
    # that wanders out of the place must not make it look sure.
    capped = min(math.hypot(north, east), 2 * still.radius)
    scatter = still.scatter + (capped * capped - still.scatter) / (still.count + 1)
    return _outside(replace(still, recent=last, scatter=scatter), sample, north, east)


def _confirmed(still: Still, leaving: tuple[float, float, float], t: float, off_m: float) -> bool:
    """Return whether a fix ``off_m`` from the place at ``t`` confirms a departure."""
    since, off_then, pace = leaving
    if off_m >= still.reach:
        return True
    return t > since and (off_m - off_then) / (t - since) >= CONFIRM_PACE_SHARE * pace


def _leave(
    still: Still, sample: Sample, last: tuple[tuple[float, float, float], ...]
) -> tuple[Still, bool]:
    """Leave the place, or wait for one more fix while the fixes are within a burst's reach."""
    t, north, east = last[-1]
    off_m = math.hypot(north, east)
    if off_m >= still.reach:
        return start(sample, moving=True), True
    if still.leaving is not None:
        return replace(still, recent=last), False  # already waiting for its confirmation
    t0, n0, e0 = last[0]
    pace = (off_m - math.hypot(n0, e0)) / (t - t0) if t > t0 else 0.0
    return replace(still, recent=last, leaving=(t, off_m, pace)), False


def _outside(still: Still, sample: Sample, north: float, east: float) -> tuple[Still, bool]:
    """Note a fix outside a settled place; return the estimate and whether the car left."""
    t = (sample.time - still.since).total_seconds()
    outside = (*still.outside, (t, north, east))[-MAX_OUTSIDE:]
    if _departed(still, outside, still.recent):
        left, departed = _leave(still, sample, still.recent)
        return (left, True) if departed else (replace(left, outside=outside), False)
    if together := _new_place(still, outside):
        return _moved_to(still, outside[-together:], sample), True
    return replace(still, outside=outside), False
