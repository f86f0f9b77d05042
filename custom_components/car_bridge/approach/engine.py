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
:mod:`.eta`, the saved state :mod:`.saved`; the types are :mod:`.model`. The
at-home decision is the only definition of home: distance 0 and direction
``arrived`` follow from it, and so does the device tracker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime, timedelta

from .crossings import ETA_REARM_MARGIN_MIN, Minutes, Thresholds, event_order
from .decisions import direction_of, home_decision
from .eta import TimeToHome
from .gate import Gate, to_sample
from .judging import Judging
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
from .outage import Comeback
from .pace import PaceProfile
from .resume import Resumable
from .still import Still

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


class ApproachEngine(Judging, Resumable):
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
        self._comeback = Comeback()
        self._unconfirmed: frozenset[tuple[EventType, float | None]] = frozenset()
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
        self._eta.restart()
        self._still: Still | None = None
        #: Whether the car is under way (it moved since it last stood still).
        self._moving = False
        #: The way the car was last seen going (towards or away from home), kept
        #: while it turns stationary between fixes, forgotten once it parks.
        self._going = Direction.STATIONARY

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
            if home != self._home:  # the learned pace was measured from the old zone
                self._eta.pace.profile = PaceProfile()
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

    # -- the hot path ------------------------------------------------------

    def update(self, fix: FixLike, now: datetime) -> list[ApproachEvent]:
        """Feed one fix taken at ``now``; return the events it causes (usually none)."""
        sample = to_sample(fix, now)
        if sample is not None and not self._gate.is_new(now):
            if (shift := self._gate.clock_set_back(now)) is not None:
                self._shift_times(shift)
            sample = None  # out of order (or delivered twice)
        if sample is not None and self._gate.seen_before(sample, self._last):
            sample = None  # an old position delivered again
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
        if (still := self._still) is not None:
            last = None if still.last is None else still.last + delta
            self._still = replace(still, since=still.since + delta, last=last)
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
        self._gate.remember(sample)
        self._last_move = sample.time
        self._anchor = (sample.latitude, sample.longitude, self._state.distance_m)
        self._still = None
        self._moving = False
        self._going = Direction.STATIONARY
        self._comeback.place = None
        self._unconfirmed = frozenset()
        self._eta.restart()
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
        # Whether the car was under way before this fix, or has been silent so
        # long that where it was says nothing of how it moves now.
        stood = not self._moving or self._comeback.long_silence(elapsed * self.config.time_scale)
        going = self._going
        still, significant, departed = self._movement(prev, sample)
        anchor = self._anchor or (prev.latitude, prev.longitude, prev.distance_m)
        reported_moving = sample.speed is not None and sample.speed > STOPPED_KMH
        parked = None if still is None else (self._centre_m(still.latitude, still.longitude), still)
        at_home = self._home_exists and home_decision(
            prev.at_home,
            self._centre_m(sample.latitude, sample.longitude),
            sample.accuracy,
            parked,
            radius=self._home.radius,
            hysteresis_m=self.config.hysteresis_m,
            under_way=self._moving,
        )
        events: list[ApproachEvent] = []
        if at_home != prev.at_home:
            events.append(self._home_event(sample, at_home))
        events += self._crossings(
            sample,
            elapsed,
            at_home,
            parked,
            arrived=at_home and not prev.at_home,
            going=going,
        )
        # Where a car stops, or starts, is worth showing exactly, not up to a
        # hysteresis back.
        just_stopped = (
            sample.speed is not None
            and sample.speed <= STOPPED_KMH
            and last.speed is not None
            and last.speed > STOPPED_KMH
        )
        state = prev
        if significant or events or just_stopped or departed:
            # Restored arms are history once the car moved.
            self._thresholds.saved, self._minutes.saved = {}, {}
            lat, lon, acc = sample.latitude, sample.longitude, sample.accuracy
            if still is not None and not significant:
                lat, lon, acc = still.latitude, still.longitude, still.effective_accuracy
            shown = self._shown_distance(lat, lon, at_home)
            self._last_move = now
            if significant or at_home != prev.at_home:
                # Direction is judged between significant moves only: crossing
                # events (however dense the thresholds) do not move its anchor.
                self._anchor = (lat, lon, shown)
            state = ApproachState(
                latitude=lat,
                longitude=lon,
                accuracy=acc,
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
        moving = significant or (reported_moving and still is None)  # for pace, minutes
        self._state = self._eta.update(
            state,
            sample,
            last,
            elapsed,
            home=self._home,
            centre_m=self._centre_m,
            time_scale=self.config.time_scale,
            moving=moving,
            was_under_way=not stood,
        )
        if self._state.direction in (Direction.TOWARDS, Direction.AWAY_FROM):
            self._going = self._state.direction
        elif self._state.at_home or still is not None:
            self._going = Direction.STATIONARY
        self._maybe_stationary(now)
        events += self._minutes.update(self._state, moving=moving)
        events.sort(key=event_order)
        return events

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
            and (
                s.direction in (Direction.TOWARDS, Direction.AWAY_FROM)
                or s.time_to_home_min is not None  # kept along a road around home
            )
            and self._last_move is not None
            and (now - self._last_move).total_seconds() > STATIONARY_AFTER_S
        ):
            self._eta.reset()
            s = replace(s, direction=Direction.STATIONARY, time_to_home_min=None)
            if (last := self._last) is not None:  # show where it stopped
                lat, lon, acc = last.latitude, last.longitude, last.accuracy
                if (still := self._still) is not None and still.settled:
                    lat, lon, acc = still.latitude, still.longitude, still.effective_accuracy
                s = replace(
                    s,
                    latitude=lat,
                    longitude=lon,
                    accuracy=acc,
                    distance_m=self._shown_distance(lat, lon, s.at_home),
                )
            self._state = s
            self._anchor = (s.latitude, s.longitude, s.distance_m)
