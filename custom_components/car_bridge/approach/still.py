"""A car standing still: the running mean of its fixes.

Pure Python, no Home Assistant imports.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
import math

from .geo import local_offset_m
from .model import STOPPED_KMH, Sample

#: Without a reported speed, this long in one place counts as stopped.
DWELL_S = 30.0
#: A car standing still averages its fixes: from this many on, the mean
#: position decides arrival, with a margin of two accuracies over sqrt(n)
#: (about three standard errors), but never less than a third of the accuracy
#: (real GPS errors are correlated). A fix farther than STILL_RADIUS accuracies
#: from the mean starts a new average (the car moved).
STILL_MIN_FIXES = 10
STILL_MAX_GAIN = 3.0
STILL_RADIUS = 3.0


@dataclass(frozen=True, slots=True, kw_only=True)
class Still:
    """The running mean of the fixes of a car standing still."""

    count: int
    latitude: float
    longitude: float
    accuracy: float
    since: datetime

    def add(self, sample: Sample) -> Still:
        """Return the mean with one more fix."""
        n = self.count + 1
        return replace(
            self,
            count=n,
            latitude=self.latitude + (sample.latitude - self.latitude) / n,
            longitude=self.longitude + (sample.longitude - self.longitude) / n,
            accuracy=self.accuracy + (sample.accuracy - self.accuracy) / n,
        )

    @property
    def settled(self) -> bool:
        """Return whether enough fixes are averaged for the mean to decide."""
        return self.count >= STILL_MIN_FIXES

    @property
    def effective_accuracy(self) -> float:
        """Return how far the mean may be off the true position."""
        return max(2 * self.accuracy / math.sqrt(self.count), self.accuracy / STILL_MAX_GAIN)


def follow(still: Still | None, sample: Sample) -> tuple[Still | None, Still | None]:
    """Average one more fix; return the new mean and, if the car is stopped, that mean."""
    if sample.speed is not None and sample.speed > STOPPED_KMH:
        return None, None
    if still is not None:
        north, east = local_offset_m(
            still.latitude, still.longitude, sample.latitude, sample.longitude
        )
        if math.hypot(north, east) <= STILL_RADIUS * max(still.accuracy, sample.accuracy):
            still = still.add(sample)
        else:
            still = None
    if still is None:
        fresh = Still(
            count=1,
            latitude=sample.latitude,
            longitude=sample.longitude,
            accuracy=sample.accuracy,
            since=sample.time,
        )
        return fresh, None
    # Without a reported speed, standing still is judged by time.
    stopped = sample.speed is not None or (sample.time - still.since).total_seconds() >= DWELL_S
    return still, still if stopped and still.settled else None
