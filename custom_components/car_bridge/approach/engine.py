"""The home-approach engine: real-world fixes in, one trustworthy answer out.

Out come the filtered distance, direction, time to home, at-home and crossing
events.

Pure Python, no Home Assistant imports. Every fix first passes a plausibility
gate (:mod:`.gate`: finite, in range, newer than the last, accurate enough,
reachable at a car's speed); a jump no car can make is held back until the
fixes after it confirm it. Accepted fixes then serve two purposes:

* **decisions** (crossings, arrival, departure) are taken on each accepted fix
  with its accuracy circle while the car is under way, so they fire as soon
  as the evidence is sure, and on the running mean of its fixes
  (:mod:`.still`) while it stands still, so noise cannot carry it across an
  edge;
* **what is shown** (position, distance, direction) comes from a *filtered*
  position that moves only on significant movement or on a decision, so a
  parked car's outputs stay still however noisy its GPS is.

Crossings and time-to-home crossings are :mod:`.crossings`, time to home is
:mod:`.eta`, the saved state :mod:`.saved` (put back by :mod:`.resume`); the
types are :mod:`.model`. The
at-home decision is the only definition of home: distance 0 and direction
``arrived`` follow from it, and so does the device tracker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta
import math

from .crossings import ETA_REARM_MARGIN_MIN, Minutes, Thresholds, event_order
from .decisions import direction_of, home_decision
from .eta import TimeToHome
from .gate import Gate, to_sample
from .geo import ellipsoid_distance, local_offset_m
from .model import (
    DEFAULT_HYSTERESIS_M,
    DEFAULT_MAX_ACCURACY_M,
    DEFAULT_THRESHOLDS_KM,
    STOPPED_KMH,
    UNKNOWN_ACCURACY_M,
    ApproachConfig,
    ApproachEvent,
    ApproachState,
    Direction,
    EventType,
    Fix,
    FixLike,
    Home,
    MalformedStateError,
    Sample,
    normalize_km,
    normalize_minutes,
)
from .resume import Resumable
from .still import Still, follow

__all__ = [
    "DEFAULT_HYSTERESIS_M",
    "DEFAULT_MAX_ACCURACY_M",
    "DEFAULT_THRESHOLDS_KM",
    "ETA_REARM_MARGIN_MIN",
    "UNKNOWN_ACCURACY_M",
    "ApproachConfig",
    "ApproachEngine",
    "ApproachEvent",
    "ApproachState",
    "Direction",
    "EventType",
    "Fix",
    "FixLike",
    "Home",
    "MalformedStateError",
    "normalize_km",
    "normalize_minutes",
]

#: Without significant movement for this long a vehicle counts as stationary.
STATIONARY_AFTER_S = 180.0
#: The distance shown when not home is at least this (m), so 0 means home.
MIN_AWAY_DISTANCE_M = 10.0


class ApproachEngine(Resumable):
    """Turns a stream of fixes into jitter-proof, glitch-proof approach information."""

    def __init__(self, config: ApproachConfig, home: Home) -> None:
        """Create an engine; the first usable fix initialises it without events."""
        self._config = config
        self._home = home
        #: False while the home zone is deleted: distances still refer to its
        #: last known place, but nothing is home.
        self._home_exists = True
        self._centre_memo: dict[tuple[float, float, float, float], float] = {}
        self._thresholds = Thresholds(config.thresholds_km)
        self._minutes = Minutes(config.time_to_home_minutes)
        self._eta = TimeToHome()
        self._gate = Gate(config.time_scale)
        self._reset()

    def _reset(self) -> None:
        self._state: ApproachState | None = None
        self._last_move: datetime | None = None
        self._last: Sample | None = None
        #: Where direction is measured from (lat, lon, shown distance); None:
        #: the state's position (after a restore).
        self._anchor: tuple[float, float, float] | None = None
        self._gate.reset()
        self._thresholds.clear()
        self._thresholds.saved = {}
        self._minutes.clear()
        self._eta.reset()
        self._still: Still | None = None

    # -- configuration -----------------------------------------------------

    @property
    def config(self) -> ApproachConfig:
        """Return the engine's tunable behaviour."""
        return self._config

    @config.setter
    def config(self, config: ApproachConfig) -> None:
        """Apply new tunables; new thresholds and minutes start from where the car is."""
        self._config = config
        self._gate.time_scale = config.time_scale
        self._thresholds.set_configured(config.thresholds_km)
        self._thresholds.sync(None if self._state is None else self._state.distance_m)
        self._minutes.set_configured(config.time_to_home_minutes)
        self._minutes.sync(self._state)

    @property
    def home(self) -> Home:
        """Return the home the engine measures against."""
        return self._home

    @property
    def thresholds_km(self) -> list[float]:
        """Return every threshold crossings are tracked for."""
        return self._thresholds.km

    @property
    def time_to_home_minutes(self) -> list[float]:
        """Return every number of minutes time-to-home crossings are tracked for."""
        return self._minutes.minutes

    def set_home(self, home: Home | None) -> None:
        """Measure against a new home (None: it was deleted); fire nothing.

        Everything is re-evaluated at once from the last accepted fix, so the
        at-home decision, distance and direction follow the zone immediately.
        """
        exists = home is not None
        if (home is None or home == self._home) and exists == self._home_exists:
            return
        if home is not None:
            self._home = home
        self._home_exists = exists
        last = self._last
        if self._state is None or last is None:
            return
        self._gate.pending = []
        self._thresholds.saved = {}
        self._initialise(last, direction=Direction.STATIONARY)

    def set_extra_thresholds(self, thresholds_km: Iterable[float]) -> None:
        """Track crossings for these thresholds as well as the configured ones."""
        self._thresholds.set_extra(thresholds_km)
        self._thresholds.sync(None if self._state is None else self._state.distance_m)

    def set_extra_minutes(self, minutes: Iterable[float]) -> None:
        """Fire ``time_to_home_below`` for these minutes as well as the configured ones."""
        self._minutes.set_extra(minutes)
        self._minutes.sync(self._state)

    # -- state -------------------------------------------------------------

    @property
    def state(self) -> ApproachState | None:
        """Return the current conclusions, or None before the first usable fix."""
        return self._state

    # -- geometry ------------------------------------------------------------

    def _centre_m(self, lat: float, lon: float) -> float:
        # A fix is measured several times (decision, display, speed): memoise
        # the few most recent, keyed with the home they were measured from.
        h = self._home
        key = (lat, lon, h.latitude, h.longitude)
        if (distance := self._centre_memo.get(key)) is None:
            if len(self._centre_memo) >= 8:
                self._centre_memo.clear()
            distance = self._centre_memo[key] = ellipsoid_distance(
                lat, lon, h.latitude, h.longitude
            )
        return distance

    def _shown_distance(self, lat: float, lon: float, at_home: bool) -> float:
        """Distance to the zone edge as shown: 0 exactly when home."""
        if at_home:
            return 0.0
        edge = self._centre_m(lat, lon) - self._home.radius
        return max(MIN_AWAY_DISTANCE_M, edge)

    # -- the hot path ------------------------------------------------------

    def update(self, fix: FixLike, now: datetime) -> list[ApproachEvent]:
        """Feed one fix taken at ``now``; return the events it causes (usually none)."""
        sample = to_sample(fix, now)
        if sample is not None and not self._gate.is_new(now):
            if (shift := self._gate.clock_set_back(now)) is not None:
                self._shift_times(shift)
            sample = None  # out of order (or delivered twice)
        # Unusable or too inaccurate: ignored.
        if sample is not None and sample.accuracy <= self.config.max_accuracy_m:
            if self._state is None or self._last is None:
                self._initialise(sample)
                return []
            if accepted := self._gate.judge(self._last, sample):
                return [event for a in accepted for event in self._accept(a)]
        self._maybe_stationary(now)
        return []

    def _shift_times(self, delta: timedelta) -> None:
        """Move every stored time by ``delta`` (the clock was set back)."""
        if self._last_move is not None:
            self._last_move += delta
        if self._still is not None:
            self._still = replace(self._still, since=self._still.since + delta)
        if self._last is not None:
            self._last = replace(self._last, time=self._last.time + delta)

    def _initialise(self, sample: Sample, direction: Direction | None = None) -> None:
        """Start (or restart after a zone change) from one sample, firing nothing."""
        home = self._home
        # Without history the best guess: home if the accuracy circle touches the zone.
        at_home = self._home_exists and self._centre_m(sample.latitude, sample.longitude) <= (
            home.radius + sample.accuracy
        )
        self._state = ApproachState(
            latitude=sample.latitude,
            longitude=sample.longitude,
            accuracy=sample.accuracy,
            distance_m=self._shown_distance(sample.latitude, sample.longitude, at_home),
            direction=Direction.ARRIVED if at_home else (direction or Direction.STATIONARY),
            time_to_home_min=None,
            at_home=at_home,
        )
        self._last = sample
        self._last_move = sample.time
        self._anchor = (sample.latitude, sample.longitude, self._state.distance_m)
        self._still = None
        self._eta.reset()
        self._thresholds.clear()
        self._thresholds.sync(self._state.distance_m)
        self._minutes.sync(self._state)

    def _accept(self, sample: Sample) -> list[ApproachEvent]:
        prev = self._state
        last = self._last
        assert prev is not None
        assert last is not None
        now = sample.time
        elapsed = (now - last.time).total_seconds()
        self._last = sample
        self._still, still = follow(self._still, sample)
        # A move counts from the anchor, or, for a car standing still, from the
        # mean of its fixes, so that no pair of outliers makes a movement.
        anchor = self._anchor or (prev.latitude, prev.longitude, prev.distance_m)
        ref_lat, ref_lon = anchor[0], anchor[1]
        if self._still is not None and self._still.settled:
            ref_lat, ref_lon = self._still.latitude, self._still.longitude
        north, east = local_offset_m(ref_lat, ref_lon, sample.latitude, sample.longitude)
        significant = math.hypot(north, east) > max(self.config.hysteresis_m, sample.accuracy)
        under_way = (
            significant
            or (sample.speed is not None and sample.speed > STOPPED_KMH)
            or prev.direction in (Direction.TOWARDS, Direction.AWAY_FROM)
        )
        at_home = self._home_exists and home_decision(
            prev.at_home,
            self._centre_m(sample.latitude, sample.longitude),
            sample.accuracy,
            None if still is None else (self._centre_m(still.latitude, still.longitude), still),
            radius=self._home.radius,
            hysteresis_m=self.config.hysteresis_m,
            under_way=under_way,
        )
        events: list[ApproachEvent] = []
        if at_home != prev.at_home:
            under_way = True
            events.append(self._home_event(sample, at_home))
        events += self._crossing_events(sample, at_home, under_way=under_way)
        # Where a car stops is worth showing exactly, not up to a hysteresis back.
        just_stopped = (
            sample.speed is not None
            and sample.speed <= STOPPED_KMH
            and last.speed is not None
            and last.speed > STOPPED_KMH
        )
        state = prev
        if significant or events or just_stopped:
            # Restored arms are history once the car moved.
            self._thresholds.saved, self._minutes.saved = {}, {}
            shown = self._shown_distance(sample.latitude, sample.longitude, at_home)
            self._last_move = now
            if significant or at_home != prev.at_home:
                # Direction is judged between significant moves only: crossing
                # events (however dense the thresholds) do not move its anchor.
                self._anchor = (sample.latitude, sample.longitude, shown)
            state = ApproachState(
                latitude=sample.latitude,
                longitude=sample.longitude,
                accuracy=sample.accuracy,
                distance_m=shown,
                direction=direction_of(
                    prev,
                    at_home,
                    shown,
                    anchor_m=anchor[2],
                    significant=significant,
                    hysteresis_m=self.config.hysteresis_m,
                ),
                time_to_home_min=prev.time_to_home_min,
                at_home=at_home,
            )
        self._state = self._eta.update(
            state,
            sample,
            last,
            elapsed,
            home=self._home,
            centre_m=self._centre_m,
            time_scale=self.config.time_scale,
        )
        self._maybe_stationary(now)
        moving = significant or (sample.speed is not None and sample.speed > STOPPED_KMH)
        events += self._minutes.update(self._state, moving=moving)
        events.sort(key=event_order)
        return events

    def _home_event(self, sample: Sample, at_home: bool) -> ApproachEvent:
        if at_home:
            return ApproachEvent(type=EventType.ARRIVED_HOME, distance_km=0.0)
        edge = max(0.0, self._centre_m(sample.latitude, sample.longitude) - self._home.radius)
        return ApproachEvent(type=EventType.LEFT_HOME, distance_km=round(edge / 1000, 3))

    def _crossing_events(
        self, sample: Sample, at_home: bool, *, under_way: bool
    ) -> list[ApproachEvent]:
        if at_home:
            distance, accuracy = 0.0, 0.0
        else:
            edge = self._centre_m(sample.latitude, sample.longitude) - self._home.radius
            distance, accuracy = max(0.0, edge), sample.accuracy
        return self._thresholds.update(
            distance, accuracy, self.config.hysteresis_m, under_way=under_way
        )

    def note_time(self, now: datetime) -> None:
        """Let time pass without a fix (the source reported other values).

        A car whose position has not moved for long enough counts as
        stationary, as on a fix; nothing else changes and nothing fires.
        """
        self._maybe_stationary(now)

    def _maybe_stationary(self, now: datetime) -> None:
        s = self._state
        if (
            s is not None
            and s.direction in (Direction.TOWARDS, Direction.AWAY_FROM)
            and self._last_move is not None
            and (now - self._last_move).total_seconds() > STATIONARY_AFTER_S
        ):
            self._eta.reset()
            s = replace(s, direction=Direction.STATIONARY, time_to_home_min=None)
            if (last := self._last) is not None:  # show where it stopped
                s = replace(
                    s,
                    latitude=last.latitude,
                    longitude=last.longitude,
                    accuracy=last.accuracy,
                    distance_m=self._shown_distance(last.latitude, last.longitude, s.at_home),
                )
            self._state = s
            self._anchor = (s.latitude, s.longitude, s.distance_m)
