"""A crossing missed in an outage: fired late if the car still drives, never after a long one.

Pure Python, no Home Assistant imports.

A tracker that drops out for a minute across a ring (a tunnel, an app asleep)
comes back with the car past it. If the car is still driving, the crossing is
due, late; if it comes back parked, or after so long that the crossing is
history, the arms are set again for where it is, silently.
"""

from __future__ import annotations

from enum import Enum
import math

from .geo import local_offset_m
from .model import Sample

#: A gap this long (s, the source's time), and OUTAGE_FACTOR times the
#: longest of the source's recent intervals, makes the next fix a comeback
#: (a phone reporting every 5 s to 5 min has no outage at 5 min).
OUTAGE_S = 60.0
OUTAGE_FACTOR = 2.0
#: After a gap this long (s), and LONG_OUTAGE_FACTOR times the longest recent
#: interval, a missed crossing is history.
LONG_OUTAGE_S = 600.0
LONG_OUTAGE_FACTOR = 4.0
#: A fix this long (s) after the previous one says where the car is, but a
#: glitch then looks just like a drive: a crossing it makes waits for the
#: next fix to make it too.
SILENCE_S = 120.0
#: Recent intervals remembered.
RECENT_INTERVALS = 8
#: After a comeback, moving this far (m, at least three accuracies) shows the car drives.
MOTION_M = 100.0


class Verdict(Enum):
    """What a fix allows for crossings."""

    GO = "go"  # crossings as usual
    HOLD = "hold"  # a comeback: crossings wait for the car to show it drives
    RESYNC = "resync"  # after a long outage: arm again for where the car is


class Comeback:
    """Watches for comebacks after an outage."""

    __slots__ = ("intervals", "place")

    def __init__(self) -> None:
        """Start with no comeback pending."""
        self.place: Sample | None = None
        #: The source's recent intervals between fixes (s).
        self.intervals: tuple[float, ...] = ()

    def long_silence(self, elapsed: float) -> bool:
        """Return whether ``elapsed`` s since the last fix is a long outage for this source."""
        usual = max(self.intervals, default=0.0)
        return elapsed > max(LONG_OUTAGE_S, LONG_OUTAGE_FACTOR * usual)

    def judge(self, elapsed: float, sample: Sample, *, reported_moving: bool) -> Verdict:
        """Return what ``sample``, ``elapsed`` s after the previous fix, allows."""
        recent = self.intervals
        self.intervals = (*recent, elapsed)[-RECENT_INTERVALS:]
        if not recent:
            return Verdict.GO
        usual = max(recent)
        if elapsed > max(LONG_OUTAGE_S, LONG_OUTAGE_FACTOR * usual):
            self.place = None
            return Verdict.RESYNC
        if elapsed >= max(OUTAGE_S, OUTAGE_FACTOR * usual) and not reported_moving:
            self.place = sample
            return Verdict.HOLD
        if (place := self.place) is None:
            return Verdict.GO
        north, east = local_offset_m(
            place.latitude, place.longitude, sample.latitude, sample.longitude
        )
        if reported_moving or math.hypot(north, east) > max(
            MOTION_M, 3 * max(place.accuracy, sample.accuracy)
        ):
            self.place = None
            return Verdict.GO
        return Verdict.HOLD
