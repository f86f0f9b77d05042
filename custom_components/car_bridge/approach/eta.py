"""Time to home: the car's learned pace home, else a smoothed closing speed.

Pure Python, no Home Assistant imports.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
import math

from .geo import bearing_deg
from .model import ApproachState, Direction, Home, Sample
from .pace import Pace

#: Time constant of the smoothed closing speed behind time to home.
ETA_TIME_CONSTANT_S = 240.0
#: Time to home is estimated once this much travel time (s) is averaged: less
#: with a reported speed than with noisy position differences alone.
MIN_ETA_EVIDENCE_S = 10.0
MIN_ETA_EVIDENCE_NO_SPEED_S = 15.0
#: A reported speed says how fast the car goes at one instant: it stands for
#: the time since the previous fix only when that is this short (s). Over a
#: longer interval the change in distance says how fast it closed (stops at
#: lights included), as slow trackers and phones report.
REPORTED_SPEED_MAX_S = 30.0
#: The first interval of a stretch under way longer than this (s) reaches back
#: to where the car stood (a trip's gap or stop as long restarts the pace):
#: it is not averaged.
FIRST_INTERVAL_MAX_S = 600.0
#: Below this closing speed (m/s) no time to home is estimated.
MIN_CLOSING_SPEED = 0.5
#: A saved closing-speed average beyond these bounds was not written by us:
#: its weight (s of travel) and mean closing speed (m/s, the reported speed cap).
MAX_SPEED_WEIGHT_S = 86_400.0
MAX_CLOSING_MPS = 1000 / 3.6

type CentreDistance = Callable[[float, float], float]


class TimeToHome:
    """The smoothed closing speed, and the time to home derived from it.

    The closing speed is the reported speed projected on the bearing to home
    when the source reports speed and heading and the previous fix is recent,
    otherwise the change in distance since the previous fix. It is averaged over time with a time
    constant of a few minutes, so stops at lights count and noise does not;
    samples count only while the vehicle is under way.

    Along a road around home (a significant move that brought the car no
    closer, direction stationary) the time to home shown while heading home
    stays, from the average of before: the car is still under way, and a
    road along home is no reason to stop estimating.

    Where the car's learned pace (:mod:`.pace`) covers its distance, that
    gives the time to home instead, also while the car is under way along a
    road around home (direction stationary); the closing speed is the
    fallback (a first trip, a distance never driven home from).
    """

    __slots__ = ("pace", "repeated_s", "speed_sum", "speed_weight", "under_way")

    def __init__(self) -> None:
        """Start without evidence."""
        self.speed_sum = 0.0
        self.speed_weight = 0.0
        #: The first interval of this stretch under way has been seen.
        self.under_way = False
        #: Time (s) the last position was delivered again since it was new.
        self.repeated_s = 0.0
        self.pace = Pace()

    def reset(self) -> None:
        """Forget the average (the car stopped or turned)."""
        self.speed_sum = self.speed_weight = self.repeated_s = 0.0
        self.under_way = False

    def restart(self) -> None:
        """Forget the average and the trip under way (not what was learned)."""
        self.reset()
        self.pace.restart()

    def update(
        self,
        state: ApproachState,
        sample: Sample,
        last: Sample,
        elapsed: float,
        *,
        home: Home,
        centre_m: CentreDistance,
        time_scale: float,
        moving: bool,
        was_under_way: bool = True,
    ) -> ApproachState:
        """Average one more fix; return ``state`` with the time to home it gives."""
        now_s = sample.time.timestamp() * time_scale
        edge_m = centre_m(sample.latitude, sample.longitude) - home.radius
        self.pace.observe(now_s, edge_m, at_home=state.at_home, moving=moving)
        eta = self._closing(
            state,
            sample,
            last,
            elapsed,
            home=home,
            centre_m=centre_m,
            time_scale=time_scale,
            stood=not was_under_way,
        )
        # Along a road around home the learned time to home stays: a value
        # shown while heading home is kept while the car moves on, no further.
        along = (
            state.direction is Direction.STATIONARY
            and state.time_to_home_min is not None
            and self.pace.along(now_s, edge_m)
        )
        if not state.at_home and (state.direction is Direction.TOWARDS or along):
            learned = self.pace.estimate_s(now_s, edge_m)
            if learned is not None:
                eta = round(learned / 60)
        if eta == state.time_to_home_min:
            return state
        return replace(state, time_to_home_min=eta)

    def _closing(
        self,
        state: ApproachState,
        sample: Sample,
        last: Sample,
        elapsed: float,
        *,
        home: Home,
        centre_m: CentreDistance,
        time_scale: float,
        stood: bool,
    ) -> int | None:
        """Average one more fix's closing speed; return the time to home (min) it gives.

        ``stood``: the car was not under way at the previous fix (it stood, or
        nothing was known of it yet).
        """
        along = (
            state.direction is Direction.STATIONARY
            and state.time_to_home_min is not None
            and not state.at_home
        )
        # The very same position again is no news of how the car moves (a
        # stale fix delivered again, a frozen GPS), not a standstill.
        repeat = state.direction in (Direction.TOWARDS, Direction.AWAY_FROM) and (
            sample.latitude,
            sample.longitude,
        ) == (last.latitude, last.longitude)
        if along or repeat:
            # Only a repeat's time belongs to the next move.
            self.repeated_s = self.repeated_s + elapsed if repeat else 0.0
            towards = along or state.direction is Direction.TOWARDS
            return (
                self._time_to_home(sample, home=home, centre_m=centre_m, reported=True)
                if towards
                else None
            )
        if state.direction not in (Direction.TOWARDS, Direction.AWAY_FROM) or elapsed <= 0:
            self.reset()
            return None
        # The move from a position delivered again took the time since it was new.
        elapsed, self.repeated_s = elapsed + self.repeated_s, 0.0
        has_speed = sample.speed is not None and sample.heading is not None
        long_gap = elapsed * time_scale > REPORTED_SPEED_MAX_S
        # The first interval of a trip reaches back to where the car stood:
        # after a long silence how far it closed says nothing of its speed.
        # (A car polled every 15 minutes was under way at the fix before.)
        fresh = not self.under_way and self.speed_weight == 0.0
        self.under_way = True
        if fresh and stood and elapsed * time_scale > FIRST_INTERVAL_MAX_S and not has_speed:
            return None
        reported = has_speed and (fresh or not long_gap)
        if reported:
            assert sample.speed is not None
            assert sample.heading is not None
            # An instant's speed stands for a short time only.
            elapsed = min(elapsed, REPORTED_SPEED_MAX_S / time_scale)
            to_home = bearing_deg(sample.latitude, sample.longitude, home.latitude, home.longitude)
            closing = sample.speed / 3.6 * math.cos(math.radians(sample.heading - to_home))
        else:
            before = centre_m(last.latitude, last.longitude)
            closing = (before - centre_m(sample.latitude, sample.longitude)) / elapsed / time_scale
        # No car closes faster; a jump from a bad saved fix must not make an
        # average that the saved state's own check would then refuse.
        closing = max(-MAX_CLOSING_MPS, min(MAX_CLOSING_MPS, closing))
        decay = math.exp(-elapsed / ETA_TIME_CONSTANT_S)
        self.speed_sum = self.speed_sum * decay + closing * elapsed
        self.speed_weight = self.speed_weight * decay + elapsed
        if state.direction is not Direction.TOWARDS:
            return None
        return self._time_to_home(sample, home=home, centre_m=centre_m, reported=reported)

    def _time_to_home(
        self, sample: Sample, *, home: Home, centre_m: CentreDistance, reported: bool
    ) -> int | None:
        """Return the time to home (min) at the average closing speed, if it is known."""
        if self.speed_weight < (MIN_ETA_EVIDENCE_S if reported else MIN_ETA_EVIDENCE_NO_SPEED_S):
            return None
        speed = self.speed_sum / self.speed_weight
        if speed < MIN_CLOSING_SPEED:
            return None
        remaining = max(0.0, centre_m(sample.latitude, sample.longitude) - home.radius)
        return round(remaining / speed / 60)
