"""The plausibility gate: which fixes are positions, and which jumps a car can make.

Pure Python, no Home Assistant imports.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta
import math
from typing import Any

from .geo import local_offset_m
from .model import UNKNOWN_ACCURACY_M, FixLike, Sample

#: No car moves faster than this (m/s); a fix implying more is held back.
MAX_SPEED_MPS = 70.0
#: No car gains speed faster than this for long (m/s²): from what is known of
#: its speed, a car covers at most v·t + a·t²/2, so at slow sampling a glitch
#: near a parked car is no longer "reachable" just because 15 s passed.
MAX_ACCEL_MPS2 = 3.5
#: Slack on top of both accuracies before a jump counts as impossible.
JUMP_MARGIN_M = 25.0
#: How many held-back fixes wait for confirmation at most.
MAX_PENDING = 4
#: A jump beyond what the car's known speed allows, but within what a car can
#: do, this short (m past both accuracies) is taken at once: it cannot carry a
#: decision on its own (the parked estimate and the hysteresis judge those), and
#: a phone's first fresh fix after a cached one looks exactly like it.
FREE_JUMP_M = 150.0
#: Agreeing fixes (each weighted by its accuracy) a jump needs after it: one
#: for a jump a car could make, two for one it could not (so neither a lone
#: glitch nor two mutually consistent ones move the car).
CONFIRM_POSSIBLE = 1.0
CONFIRM_IMPOSSIBLE = 2.0
#: A confirming fix less accurate than this counts for half.
CONFIRM_FULL_WEIGHT_M = 100.0
#: Known slower than this (m/s), a car stands; for this long (s) after it
#: was last seen, a far fix needs an agreeing one.
STANDING_MPS = 1.5
#: ... and slower than this after a silence this long (s): a phone's average
#: over a silence in which the car slowed down and parked says 2-4 m/s. (Not
#: at every fix: a car crawling in traffic, reported each minute, is not held.)
STOPPING_MPS = 4.0
SILENCE_S = 120.0
STANDING_GAP_S = 600.0
#: Positions remembered to recognise a stale fix delivered again, and for
#: how long (s) a repeat of one is a re-delivery.
SEEN_POSITIONS = 32
SEEN_WINDOW_S = 600.0
#: A held-back fix repeated at exactly the same place is no second opinion (a
#: tracker replaying a stale position after a restart does that); the repeats
#: confirm the place only once they have gone on this long (s).
REPEAT_CONFIRMS_AFTER_S = 120.0
#: This many fixes in a row, each newer than the one before but all older than
#: the last fix seen, mean the clock was set back (a Raspberry Pi without a
#: real-time clock), not late delivery: the engine then adopts the new clock.
CLOCK_RESET_FIXES = 3


def optional_finite(value: Any, low: float, high: float) -> float | None:
    """Return ``value`` as a float in [low, high], or None for anything else."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except TypeError, ValueError:
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def to_sample(fix: FixLike, now: datetime) -> Sample | None:
    """Return the fix as a sample, or None if it is not a usable position."""
    try:
        lat, lon = float(fix.latitude), float(fix.longitude)
        raw_accuracy = fix.accuracy
        accuracy = None if raw_accuracy is None else float(raw_accuracy)
    except TypeError, ValueError:
        return None
    if not (math.isfinite(lat) and math.isfinite(lon)):
        return None
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0) or (lat == 0.0 and lon == 0.0):
        return None
    if accuracy is not None and (math.isnan(accuracy) or accuracy < 0):
        return None
    if accuracy is None or accuracy == 0.0:
        accuracy = UNKNOWN_ACCURACY_M
    return Sample(
        latitude=lat,
        longitude=lon,
        accuracy=accuracy,
        speed=optional_finite(getattr(fix, "speed", None), 0.0, 1000.0),
        heading=optional_finite(getattr(fix, "heading", None), -360.0, 720.0),
        time=now,
    )


def excess_m(frm: Sample, to: Sample, time_scale: float, speed: float | None = None) -> float:
    """Return how far (m) a move goes beyond what a car could do; <= 0 if it could.

    ``speed`` (m/s) is what is known of its speed at ``frm``; without it, any
    speed up to the maximum is possible. A speed the fix itself reports counts
    as known too (a car reporting 110 km/h covers 130 m in 4 s).
    """
    # A sped-up simulator covers time_scale times the ground per second.
    elapsed = (to.time - frm.time).total_seconds() * time_scale
    run = MAX_SPEED_MPS * elapsed
    if speed is not None:
        known = max(speed, 0.0 if to.speed is None else to.speed / 3.6)
        run = min(run, known * elapsed + MAX_ACCEL_MPS2 * elapsed * elapsed / 2)
    north, east = local_offset_m(frm.latitude, frm.longitude, to.latitude, to.longitude)
    return math.hypot(north, east) - (run + frm.accuracy + to.accuracy + JUMP_MARGIN_M)


def reachable(frm: Sample, to: Sample, time_scale: float, speed: float | None = None) -> bool:
    """Return whether a car could have moved between two samples."""
    return excess_m(frm, to, time_scale, speed) <= 0


def speed_between(frm: Sample, to: Sample, time_scale: float) -> float | None:
    """Return the speed (m/s) a move says, at least the reported one; None if unknown."""
    elapsed = (to.time - frm.time).total_seconds() * time_scale
    reported = None if to.speed is None else to.speed / 3.6
    if elapsed <= 0:
        return reported
    north, east = local_offset_m(frm.latitude, frm.longitude, to.latitude, to.longitude)
    moved = math.hypot(north, east) / elapsed
    return moved if reported is None else max(moved, reported)


def same_place(a: Sample, b: Sample) -> bool:
    """Return whether two samples report exactly the same position."""
    return a.latitude == b.latitude and a.longitude == b.longitude


def confirms(pending: Sample, sample: Sample) -> bool:
    """Return whether ``sample`` is independent evidence for a held-back fix."""
    if not same_place(pending, sample):
        return True
    return (sample.time - pending.time).total_seconds() >= REPEAT_CONFIRMS_AFTER_S


class Gate:
    """Which fixes are new, and which of them move the car.

    It remembers the time of the newest fix seen (older or repeated ones are
    not new), the fixes held back after an impossible jump, and a run of old
    fixes that together say the clock was set back.
    """

    __slots__ = ("_older_run", "_seen", "_since", "last_time", "pending", "speed", "time_scale")

    def __init__(self, time_scale: float = 1.0) -> None:
        """Start without history."""
        self.time_scale = time_scale
        self.last_time: datetime | None = None
        self.pending: list[Sample] = []
        #: What is known of the speed (m/s) at the last accepted fix.
        self.speed: float | None = None
        self._older_run: list[datetime] = []
        self._seen: dict[tuple[float, float], datetime] = {}
        #: When the last accepted position was first seen (a frozen GPS repeats it).
        self._since: datetime | None = None

    def reset(self) -> None:
        """Forget everything."""
        self.last_time = None
        self.pending = []
        self.speed = None
        self._older_run = []
        self._seen = {}
        self._since = None

    def remember(self, sample: Sample) -> None:
        """Note a position judged, to recognise it when it is delivered again."""
        key = (sample.latitude, sample.longitude)
        self._seen.pop(key, None)
        self._seen[key] = sample.time
        if len(self._seen) > SEEN_POSITIONS:
            del self._seen[next(iter(self._seen))]

    def seen_before(self, sample: Sample, last: Sample | None) -> bool:
        """Return whether ``sample`` repeats an earlier position other than the latest ones.

        A stale fix delivered again (phone apps and cloud services do) carries a
        new delivery time but an old position: it is no news and confirms nothing.
        """
        key = (sample.latitude, sample.longitude)
        latest = [p for p in (last, self.pending[-1] if self.pending else None) if p is not None]
        seen = self._seen.get(key)
        # A car parked where it parked yesterday may report the very same
        # (rounded) position: only a recent one is a re-delivery.
        return (
            seen is not None
            and (sample.time - seen).total_seconds() <= SEEN_WINDOW_S
            and not any(same_place(p, sample) for p in latest)
        )

    def is_new(self, now: datetime) -> bool:
        """Return whether a fix taken at ``now`` is newer than every fix seen; note it."""
        if self.last_time is not None and now <= self.last_time:
            return False
        self.last_time = now
        self._older_run = []
        return True

    def clock_set_back(self, now: datetime) -> timedelta | None:
        """Count an old fix; after a steady run of them, return how far the clock went back.

        The gate's own times move back already; the caller moves its own.
        """
        run = self._older_run
        self._older_run = [*run, now] if run and now > run[-1] else [now]
        if len(self._older_run) < CLOCK_RESET_FIXES or self.last_time is None:
            return None
        delta = now - self.last_time - timedelta(seconds=1)
        self.last_time += delta
        self.pending = [replace(p, time=p.time + delta) for p in self.pending]
        if self._since is not None:
            self._since += delta
        return delta

    def judge(self, last: Sample, sample: Sample) -> list[Sample]:
        """Return the samples to accept after ``last``: none while a jump is held back.

        A jump needs confirmation in proportion to how implausible it is: none
        within what the car's known speed allows (or a short step beyond), one
        agreeing fix within what a car can do, two beyond that.
        """
        self.remember(sample)
        excess = excess_m(last, sample, self.time_scale, self.speed)
        # A poor fix far from the last is weak evidence on its own, however
        # long since the last: a phone's glitch often says it is poor.
        north, east = local_offset_m(
            last.latitude, last.longitude, sample.latitude, sample.longitude
        )
        jump = math.hypot(north, east)
        weak = sample.accuracy > CONFIRM_FULL_WEIGHT_M and jump > FREE_JUMP_M
        # A car last seen standing that reappears far off, saying nothing of
        # its speed, is confirmed by the next fix: after a silence a glitch
        # looks just like a drive.
        # (After a long silence a first fix is news: it is taken.)
        gap = (sample.time - last.time).total_seconds() * self.time_scale
        standing = (
            self.speed is not None
            and self.speed < (STOPPING_MPS if gap >= SILENCE_S else STANDING_MPS)
            and gap <= STANDING_GAP_S
        )
        if standing and (sample.speed is None or sample.speed < STANDING_MPS * 3.6):
            weak = weak or jump > FREE_JUMP_M + last.accuracy + sample.accuracy
        if not weak and (
            excess <= 0 or (excess <= FREE_JUMP_M and reachable(last, sample, self.time_scale))
        ):
            if not same_place(last, sample) or self._since is None:
                self._since = sample.time
            self.pending = []
            # The very same place again counts as standing: a parked car's
            # cloud position repeats exactly, and a glitch then must wait.
            self.speed = speed_between(last, sample, self.time_scale)
            return [sample]
        if (
            self.pending
            and same_place(self.pending[-1], sample)
            and not confirms(self.pending[-1], sample)
        ):
            return []  # a repeat keeps the first time it was seen
        chain = [
            p for p in self.pending if reachable(p, sample, self.time_scale) and confirms(p, sample)
        ]
        chain.append(sample)
        # Possible or not is judged from when the car was first seen where it
        # last was: a GPS that froze and repeated its fix catches up at once.
        first = last if self._since is None else replace(last, time=min(self._since, last.time))
        possible = reachable(first, chain[0], self.time_scale)
        needed = CONFIRM_POSSIBLE if possible else CONFIRM_IMPOSSIBLE
        evidence = sum(1.0 if p.accuracy <= CONFIRM_FULL_WEIGHT_M else 0.5 for p in chain[1:])
        if evidence >= needed:
            # The fixes after the jump confirm it: the car really is there.
            self.pending = []
            self.speed = speed_between(chain[-2], sample, self.time_scale)
            self._since = sample.time
            return chain
        self.pending = [*self.pending, sample][-MAX_PENDING:]
        return []
