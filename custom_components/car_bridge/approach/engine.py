"""The home-approach engine: real-world fixes in, one trustworthy answer out.

Out come the filtered distance, direction, time to home, at-home and crossing
events.

Pure Python, no Home Assistant imports. Every fix first passes a plausibility
gate (finite, in range, newer than the last, accurate enough, reachable at a
car's speed); a jump no car can make is held back until the fixes after it
confirm it. Accepted fixes then serve two purposes:

* **decisions** (crossings, arrival, departure) are taken on each accepted fix
  with its accuracy circle while the car is under way, so they fire as soon
  as the evidence is sure, and on the running mean of its fixes while it
  stands still, so noise cannot carry it across an edge;
* **what is shown** (position, distance, direction) comes from a *filtered*
  position that moves only on significant movement or on a decision, so a
  parked car's outputs stay still however noisy its GPS is.

The at-home decision is the only definition of home: distance 0 and direction
``arrived`` follow from it, and so does the device tracker.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import StrEnum
import math
from typing import Any, Protocol

from .geo import bearing_deg, ellipsoid_distance, local_offset_m

DEFAULT_HYSTERESIS_M = 200.0
DEFAULT_MAX_ACCURACY_M = 200.0
DEFAULT_THRESHOLDS_KM = (5.0, 1.0)
#: Without significant movement for this long a vehicle counts as stationary.
STATIONARY_AFTER_S = 180.0
#: Time constant of the smoothed closing speed behind time to home.
ETA_TIME_CONSTANT_S = 240.0
#: Time to home is estimated once this much travel time (s) is averaged: less
#: with a reported speed than with noisy position differences alone.
MIN_ETA_EVIDENCE_S = 20.0
MIN_ETA_EVIDENCE_NO_SPEED_S = 30.0
#: Below this closing speed (m/s) no time to home is estimated.
MIN_CLOSING_SPEED = 0.5
#: A saved closing-speed average beyond these bounds was not written by us:
#: its weight (s of travel) and mean closing speed (m/s, the reported speed cap).
MAX_SPEED_WEIGHT_S = 86_400.0
#: No saved accuracy (m) is worse than the largest maximum accuracy allowed.
MAX_SAVED_ACCURACY_M = 5000.0
MAX_CLOSING_MPS = 1000 / 3.6
#: Accuracy assumed for a fix that reports none (or 0, which several car
#: integrations send for "unknown").
UNKNOWN_ACCURACY_M = 50.0
#: No car moves faster than this (m/s); a fix implying more is held back.
MAX_SPEED_MPS = 70.0
#: Slack on top of both accuracies before a jump counts as impossible.
JUMP_MARGIN_M = 25.0
#: How many held-back fixes wait for confirmation at most.
MAX_PENDING = 2
#: A held-back fix repeated at exactly the same place is no second opinion (a
#: tracker replaying a stale position after a restart does that); the repeats
#: confirm the place only once they have gone on this long (s).
REPEAT_CONFIRMS_AFTER_S = 120.0
#: A vehicle reporting at most this speed (km/h) counts as stopped.
STOPPED_KMH = 5.0
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
#: The distance shown when not home is at least this (m), so 0 means home.
MIN_AWAY_DISTANCE_M = 10.0
#: This many fixes in a row, each newer than the one before but all older than
#: the last fix seen, mean the clock was set back (a Raspberry Pi without a
#: real-time clock), not late delivery: the engine then adopts the new clock.
CLOCK_RESET_FIXES = 3
#: Time to home must rise this far (min) above a watched number of minutes
#: before crossing it again fires again.
ETA_REARM_MARGIN_MIN = 2.0
#: Version of :meth:`ApproachEngine.as_dict` output.
SAVE_VERSION = 1


class Direction(StrEnum):
    """Direction of travel, with core ``proximity``'s values."""

    ARRIVED = "arrived"
    TOWARDS = "towards"
    AWAY_FROM = "away_from"
    STATIONARY = "stationary"


class EventType(StrEnum):
    """Events the engine emits."""

    APPROACHING = "approaching"
    LEAVING = "leaving"
    ARRIVED_HOME = "arrived_home"
    LEFT_HOME = "left_home"
    TIME_TO_HOME_BELOW = "time_to_home_below"


@dataclass(frozen=True, slots=True)
class Home:
    """The home zone: centre and radius in metres."""

    latitude: float
    longitude: float
    radius: float


class FixLike(Protocol):
    """The part of a GPS fix the engine reads.

    Sources may also offer ``speed`` (km/h) and ``heading`` (degrees); the
    engine reads them when present and not None.
    """

    @property
    def latitude(self) -> float:
        """Latitude in degrees."""

    @property
    def longitude(self) -> float:
        """Longitude in degrees."""

    @property
    def accuracy(self) -> float | None:
        """Accuracy radius in metres; None or 0 when unknown."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Fix:
    """A GPS fix as a caller may hand it to the engine."""

    latitude: float
    longitude: float
    accuracy: float | None = None
    speed: float | None = None  # km/h
    heading: float | None = None  # degrees


@dataclass(frozen=True, slots=True, kw_only=True)
class _Sample:
    """A fix that passed the sanity checks, with its time and usable accuracy."""

    latitude: float
    longitude: float
    accuracy: float
    speed: float | None
    heading: float | None
    time: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class _Still:
    """The running mean of the fixes of a car standing still."""

    count: int
    latitude: float
    longitude: float
    accuracy: float
    since: datetime

    def add(self, sample: _Sample) -> _Still:
        n = self.count + 1
        return replace(
            self,
            count=n,
            latitude=self.latitude + (sample.latitude - self.latitude) / n,
            longitude=self.longitude + (sample.longitude - self.longitude) / n,
            accuracy=self.accuracy + (sample.accuracy - self.accuracy) / n,
        )

    @property
    def effective_accuracy(self) -> float:
        return max(2 * self.accuracy / math.sqrt(self.count), self.accuracy / STILL_MAX_GAIN)


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproachEvent:
    """A crossing, an arrival or a departure."""

    type: EventType
    distance_km: float
    threshold_km: float | None = None
    #: For ``time_to_home_below``: the minutes whose crossing it announces.
    minutes: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproachState:
    """What the engine currently concludes."""

    latitude: float
    longitude: float
    accuracy: float
    distance_m: float
    direction: Direction
    time_to_home_min: int | None
    at_home: bool


@dataclass(kw_only=True)
class ApproachConfig:
    """Tunable behaviour of the engine."""

    thresholds_km: tuple[float, ...] = DEFAULT_THRESHOLDS_KM
    #: Time to home (minutes) whose crossing while heading home is an event.
    time_to_home_minutes: tuple[float, ...] = ()
    hysteresis_m: float = DEFAULT_HYSTERESIS_M
    max_accuracy_m: float = DEFAULT_MAX_ACCURACY_M
    #: Seconds of the source's clock per second of the fixes' timestamps (a
    #: simulator's time factor). Speeds are the source's (the plausibility gate
    #: allows time_scale times the ground per second) and time to home is in the
    #: source's minutes, so a sped-up drive reads like the real drive it stands for.
    time_scale: float = 1.0


class MalformedStateError(ValueError):
    """Saved engine state that cannot be trusted."""


class _Crossing:
    """Approaching/leaving state for one threshold, armed with hysteresis.

    ``approaching`` fires once the whole accuracy circle is within the
    threshold while the vehicle is under way (a car parked on the ring has not
    crossed it, however its fixes scatter) and re-arms only once it lies wholly beyond threshold +
    hysteresis; ``leaving`` mirrors it (re-arming at threshold - hysteresis,
    or home, for thresholds inside the hysteresis).
    """

    __slots__ = ("approach_armed", "leave_armed", "threshold_m")

    def __init__(self, threshold_m: float, distance_m: float) -> None:
        self.threshold_m = threshold_m
        self.approach_armed = distance_m > threshold_m
        self.leave_armed = not self.approach_armed

    def update(
        self, distance_m: float, accuracy: float, hysteresis_m: float, *, under_way: bool
    ) -> EventType | None:
        t = self.threshold_m
        near, far = distance_m + accuracy, distance_m - accuracy
        event: EventType | None = None
        if self.approach_armed and near <= t and under_way:
            self.approach_armed = False
            event = EventType.APPROACHING
        elif not self.approach_armed and far > t + hysteresis_m:
            self.approach_armed = True
        if self.leave_armed and far > t and under_way:
            self.leave_armed = False
            event = EventType.LEAVING
        elif not self.leave_armed and near <= max(0.0, t - hysteresis_m):
            self.leave_armed = True
        return event


def normalize_km(value: float) -> float:
    """Return a threshold in km as the engine keys it (1 m resolution)."""
    return round(float(value), 3)


def normalize_minutes(value: float) -> float:
    """Return a number of minutes as the engine keys it (0.01 min resolution)."""
    return round(float(value), 2)


def _minutes_armed(minutes: float, state: ApproachState | None, armed: bool | None) -> bool:
    """Return the next arm state of one watched number of minutes.

    Armed, it fires (and disarms) once time to home is known and at most
    ``minutes``; disarmed, it re-arms once time to home is clearly above again
    (``ETA_REARM_MARGIN_MIN``), or the car turns away or is home, so one
    approach fires it once however the estimate wobbles or pauses at a light.
    """
    eta = None if state is None else state.time_to_home_min
    if armed is None:  # first seen: armed unless already within
        return eta is None or eta > minutes
    if armed:
        return not (eta is not None and eta <= minutes)
    if state is None:
        return False
    return (
        state.at_home
        or state.direction is Direction.AWAY_FROM
        or (eta is not None and eta > minutes + ETA_REARM_MARGIN_MIN)
    )


def _event_order(event: ApproachEvent) -> tuple[int, float]:
    """Order events as a drive meets them: departure, leaving, approaching, arrival."""
    threshold = event.threshold_km or 0.0
    match event.type:
        case EventType.LEFT_HOME:
            return (0, 0.0)
        case EventType.LEAVING:
            return (1, threshold)
        case EventType.APPROACHING:
            return (2, -threshold)
        case EventType.TIME_TO_HOME_BELOW:
            return (3, -(event.minutes or 0.0))
        case _:
            return (4, 0.0)


class ApproachEngine:
    """Turns a stream of fixes into jitter-proof, glitch-proof approach information."""

    def __init__(self, config: ApproachConfig, home: Home) -> None:
        """Create an engine; the first usable fix initialises it without events."""
        self.config = config
        self._home = home
        #: False while the home zone is deleted: distances still refer to its
        #: last known place, but nothing is home.
        self._home_exists = True
        self._centre_memo: dict[tuple[float, float, float, float], float] = {}
        self._extra: frozenset[float] = frozenset()
        self._extra_minutes: frozenset[float] = frozenset()
        #: Arm state per watched number of minutes (None: not yet evaluated).
        self._minutes: dict[float, bool | None] = {}
        self._reset()
        self._sync_minutes()

    def _reset(self) -> None:
        self._state: ApproachState | None = None
        self._last_move: datetime | None = None
        self._last_time: datetime | None = None
        self._last: _Sample | None = None
        self._pending: list[_Sample] = []
        self._crossings: dict[float, _Crossing] = {}
        self._saved_arms: dict[float, tuple[bool, bool]] = {}
        self._minutes = dict.fromkeys(self._minutes)
        self._saved_minutes: dict[float, bool] = {}
        self._speed_sum = 0.0
        self._speed_weight = 0.0
        self._still: _Still | None = None
        self._older_run: list[datetime] = []

    # -- configuration -----------------------------------------------------

    @property
    def home(self) -> Home:
        """Return the home the engine measures against."""
        return self._home

    @property
    def thresholds_km(self) -> list[float]:
        """Return every threshold crossings are tracked for."""
        return sorted(self._crossings)

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
        self._pending = []
        self._crossings = {}
        self._saved_arms = {}
        self._initialise(last, direction=Direction.STATIONARY)

    def set_extra_thresholds(self, thresholds_km: Iterable[float]) -> None:
        """Track crossings for these thresholds as well as the configured ones."""
        self._extra = frozenset(normalize_km(t) for t in thresholds_km)
        self._sync_crossings()

    @property
    def time_to_home_minutes(self) -> list[float]:
        """Return every number of minutes time-to-home crossings are tracked for."""
        return sorted(self._minutes)

    def set_extra_minutes(self, minutes: Iterable[float]) -> None:
        """Fire ``time_to_home_below`` for these minutes as well as the configured ones."""
        self._extra_minutes = frozenset(normalize_minutes(m) for m in minutes)
        self._sync_minutes()

    def _sync_minutes(self) -> None:
        wanted = {normalize_minutes(m) for m in self.config.time_to_home_minutes}
        wanted |= self._extra_minutes
        self._minutes = {
            m: self._minutes.get(m, self._saved_minutes.get(m)) for m in sorted(wanted)
        }
        if self._state is not None:
            for m, armed in self._minutes.items():
                if armed is None:
                    self._minutes[m] = _minutes_armed(m, self._state, None)

    def _minutes_events(self) -> list[ApproachEvent]:
        """Update the arms of the watched minutes; return the crossings."""
        state = self._state
        events: list[ApproachEvent] = []
        for m, armed in self._minutes.items():
            now_armed = _minutes_armed(m, state, armed)
            if armed and not now_armed and state is not None:
                events.append(
                    ApproachEvent(
                        type=EventType.TIME_TO_HOME_BELOW,
                        distance_km=round(state.distance_m / 1000, 3),
                        minutes=m,
                    )
                )
            self._minutes[m] = now_armed
        return events

    def _sync_crossings(self) -> None:
        wanted = {normalize_km(t) for t in self.config.thresholds_km} | self._extra
        for km in list(self._crossings):
            if km not in wanted:
                del self._crossings[km]
        if self._state is None:
            return
        distance = self._state.distance_m
        for km in wanted - self._crossings.keys():
            crossing = self._crossings[km] = _Crossing(km * 1000, distance)
            if (arms := self._saved_arms.get(km)) is not None:
                crossing.approach_armed, crossing.leave_armed = arms

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

    # -- the plausibility gate --------------------------------------------

    def _sample(self, fix: FixLike, now: datetime) -> _Sample | None:
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
        return _Sample(
            latitude=lat,
            longitude=lon,
            accuracy=accuracy,
            speed=_optional_finite(getattr(fix, "speed", None), 0.0, 1000.0),
            heading=_optional_finite(getattr(fix, "heading", None), -360.0, 720.0),
            time=now,
        )

    def _reachable(self, frm: _Sample, to: _Sample) -> bool:
        """Return whether a car could have moved between two samples."""
        elapsed = (to.time - frm.time).total_seconds()
        north, east = local_offset_m(frm.latitude, frm.longitude, to.latitude, to.longitude)
        # A sped-up simulator covers time_scale times the ground per second.
        allowed = (
            MAX_SPEED_MPS * elapsed * self.config.time_scale
            + frm.accuracy
            + to.accuracy
            + JUMP_MARGIN_M
        )
        return math.hypot(north, east) <= allowed

    # -- the hot path ------------------------------------------------------

    def update(self, fix: FixLike, now: datetime) -> list[ApproachEvent]:
        """Feed one fix taken at ``now``; return the events it causes (usually none)."""
        sample = self._sample(fix, now)
        if sample is not None and self._last_time is not None and now <= self._last_time:
            self._clock_set_back(now)
        # Unusable, out of order (or delivered twice), or too inaccurate: ignored.
        if sample is not None and (self._last_time is None or now > self._last_time):
            self._last_time = now
            self._older_run = []
            if sample.accuracy <= self.config.max_accuracy_m:
                return self._admit(sample)
        return self._maybe_stationary(now)

    def _clock_set_back(self, now: datetime) -> None:
        """Count old fixes; after a steady run of them, move every stored time back."""
        run = self._older_run
        self._older_run = [*run, now] if run and now > run[-1] else [now]
        if len(self._older_run) < CLOCK_RESET_FIXES or self._last_time is None:
            return
        delta = now - self._last_time - timedelta(seconds=1)
        self._last_time += delta
        if self._last_move is not None:
            self._last_move += delta
        if self._still is not None:
            self._still = replace(self._still, since=self._still.since + delta)
        if self._last is not None:
            self._last = replace(self._last, time=self._last.time + delta)
        self._pending = [replace(p, time=p.time + delta) for p in self._pending]

    def _admit(self, sample: _Sample) -> list[ApproachEvent]:
        """Accept a usable fix, or hold it back if no car could have got there."""
        if self._state is None or self._last is None:
            self._initialise(sample)
            return []
        if self._reachable(self._last, sample):
            self._pending = []
            return self._accept(sample)
        for pending in reversed(self._pending):
            if self._reachable(pending, sample) and _confirms(pending, sample):
                # The fix after the jump confirms it: the car really is there.
                self._pending = []
                return self._accept(pending) + self._accept(sample)
        if not (self._pending and _same_place(self._pending[-1], sample)):
            # A repeat keeps the first time it was seen, for REPEAT_CONFIRMS_AFTER_S.
            self._pending = [*self._pending, sample][-MAX_PENDING:]
        return self._maybe_stationary(sample.time)

    def _initialise(self, sample: _Sample, direction: Direction | None = None) -> None:
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
        self._still = None
        self._speed_sum = self._speed_weight = 0.0
        self._crossings = {}
        self._sync_crossings()
        self._sync_minutes()

    def _update_still(self, sample: _Sample) -> _Still | None:
        """Average the fixes of a car standing still; return the average if it is stopped."""
        still = self._still
        if sample.speed is not None and sample.speed > STOPPED_KMH:
            self._still = None
            return None
        if still is not None:
            north, east = local_offset_m(
                still.latitude, still.longitude, sample.latitude, sample.longitude
            )
            if math.hypot(north, east) <= STILL_RADIUS * max(still.accuracy, sample.accuracy):
                still = self._still = still.add(sample)
            else:
                still = None
        if still is None:
            self._still = _Still(
                count=1,
                latitude=sample.latitude,
                longitude=sample.longitude,
                accuracy=sample.accuracy,
                since=sample.time,
            )
            return None
        # Without a reported speed, standing still is judged by time.
        stopped = sample.speed is not None or (sample.time - still.since).total_seconds() >= DWELL_S
        return still if stopped and still.count >= STILL_MIN_FIXES else None

    def _home_decision(
        self, was_home: bool, sample: _Sample, still: _Still | None, *, under_way: bool
    ) -> bool:
        """Arrive on sure evidence; leave only well beyond the hysteresis."""
        centre = self._centre_m(sample.latitude, sample.longitude)
        radius = self._home.radius
        if not self._home_exists:
            return False
        if was_home:
            return centre - radius - sample.accuracy <= self.config.hysteresis_m
        # A car under way is home once one fix's accuracy circle lies inside.
        if under_way and centre <= radius - sample.accuracy:
            return True
        if still is None:
            return False
        # A car standing still is judged by the mean of its fixes, which noise
        # cannot carry across the edge: home when that mean is surely inside,
        # or, for a zone smaller than the GPS accuracy, when the zone centre
        # lies within its accuracy.
        mean_centre = self._centre_m(still.latitude, still.longitude)
        return mean_centre <= max(radius - still.effective_accuracy, still.accuracy)

    def _accept(self, sample: _Sample) -> list[ApproachEvent]:
        prev = self._state
        last = self._last
        assert prev is not None
        assert last is not None
        now = sample.time
        elapsed = (now - last.time).total_seconds()
        self._last = sample
        events: list[ApproachEvent] = []
        still = self._update_still(sample)
        # A move counts from the anchor, or, for a car standing still, from the
        # mean of its fixes, so that no pair of outliers makes a movement.
        ref_lat, ref_lon = prev.latitude, prev.longitude
        if self._still is not None and self._still.count >= STILL_MIN_FIXES:
            ref_lat, ref_lon = self._still.latitude, self._still.longitude
        north, east = local_offset_m(ref_lat, ref_lon, sample.latitude, sample.longitude)
        significant = math.hypot(north, east) > max(self.config.hysteresis_m, sample.accuracy)
        under_way = (
            significant
            or (sample.speed is not None and sample.speed > STOPPED_KMH)
            or prev.direction in (Direction.TOWARDS, Direction.AWAY_FROM)
        )
        at_home = self._home_decision(prev.at_home, sample, still, under_way=under_way)
        raw_distance = max(
            0.0, self._centre_m(sample.latitude, sample.longitude) - self._home.radius
        )
        if at_home != prev.at_home:
            under_way = True
            kind = EventType.ARRIVED_HOME if at_home else EventType.LEFT_HOME
            events.append(
                ApproachEvent(
                    type=kind, distance_km=0.0 if at_home else round(raw_distance / 1000, 3)
                )
            )
        if at_home:
            decision_distance, decision_accuracy = 0.0, 0.0
        else:
            decision_distance, decision_accuracy = raw_distance, sample.accuracy
        distance_km = round(decision_distance / 1000, 3)
        for km, crossing in self._crossings.items():
            crossed = crossing.update(
                decision_distance,
                decision_accuracy,
                self.config.hysteresis_m,
                under_way=under_way,
            )
            if crossed is not None:
                events.append(
                    ApproachEvent(
                        type=crossed,
                        distance_km=distance_km,
                        threshold_km=km,
                    )
                )
        events.sort(key=_event_order)

        # Where a car stops is worth showing exactly, not up to a hysteresis back.
        just_stopped = (
            sample.speed is not None
            and sample.speed <= STOPPED_KMH
            and last.speed is not None
            and last.speed > STOPPED_KMH
        )
        if significant or events or just_stopped:
            # Restored arms are history once the car moved.
            self._saved_arms, self._saved_minutes = {}, {}
            shown = self._shown_distance(sample.latitude, sample.longitude, at_home)
            direction = self._direction(prev, at_home, shown, significant=significant)
            self._last_move = now
            state = ApproachState(
                latitude=sample.latitude,
                longitude=sample.longitude,
                accuracy=sample.accuracy,
                distance_m=shown,
                direction=direction,
                time_to_home_min=prev.time_to_home_min,
                at_home=at_home,
            )
        else:
            state = prev
        state = self._with_time_to_home(state, sample, last, elapsed)
        self._state = state
        self._maybe_stationary(now)
        events += self._minutes_events()
        events.sort(key=_event_order)
        return events

    def _direction(
        self, prev: ApproachState, at_home: bool, shown: float, *, significant: bool
    ) -> Direction:
        if at_home:
            return Direction.ARRIVED
        if prev.at_home:
            return Direction.AWAY_FROM
        if not significant:
            return prev.direction  # a decision moved the position a little
        # Moves are at least a hysteresis long, so a quarter of one separates a
        # real approach from a move along a circle around home.
        delta = shown - prev.distance_m
        tolerance = self.config.hysteresis_m / 4
        if delta < -tolerance:
            return Direction.TOWARDS
        if delta > tolerance:
            return Direction.AWAY_FROM
        return Direction.STATIONARY

    def _with_time_to_home(
        self, state: ApproachState, sample: _Sample, last: _Sample, elapsed: float
    ) -> ApproachState:
        """Update the smoothed closing speed and derive the time to home from it.

        The closing speed is the reported speed projected on the bearing to
        home when the source reports speed and heading, otherwise the change
        in distance since the previous fix. It is averaged over time with a
        time constant of a few minutes, so stops at lights count and noise
        does not; samples count only while the vehicle is under way.
        """
        if state.direction not in (Direction.TOWARDS, Direction.AWAY_FROM) or elapsed <= 0:
            self._speed_sum = self._speed_weight = 0.0
            if state.time_to_home_min is None:
                return state
            return replace(state, time_to_home_min=None)
        home = self._home
        reported = sample.speed is not None and sample.heading is not None
        if reported:
            assert sample.speed is not None
            assert sample.heading is not None
            to_home = bearing_deg(sample.latitude, sample.longitude, home.latitude, home.longitude)
            closing = sample.speed / 3.6 * math.cos(math.radians(sample.heading - to_home))
        else:
            before = self._centre_m(last.latitude, last.longitude)
            closing = (
                (before - self._centre_m(sample.latitude, sample.longitude))
                / elapsed
                / self.config.time_scale
            )
        decay = math.exp(-elapsed / ETA_TIME_CONSTANT_S)
        self._speed_sum = self._speed_sum * decay + closing * elapsed
        self._speed_weight = self._speed_weight * decay + elapsed
        speed = self._speed_sum / self._speed_weight
        eta: int | None = None
        if (
            state.direction is Direction.TOWARDS
            and self._speed_weight
            >= (MIN_ETA_EVIDENCE_S if reported else MIN_ETA_EVIDENCE_NO_SPEED_S)
            and speed >= MIN_CLOSING_SPEED
        ):
            remaining = max(0.0, self._centre_m(sample.latitude, sample.longitude) - home.radius)
            eta = round(remaining / speed / 60)
        if eta == state.time_to_home_min:
            return state
        return replace(state, time_to_home_min=eta)

    def note_time(self, now: datetime) -> None:
        """Let time pass without a fix (the source reported other values).

        A car whose position has not moved for long enough counts as
        stationary, as on a fix; nothing else changes and nothing fires.
        """
        self._maybe_stationary(now)

    def _maybe_stationary(self, now: datetime) -> list[ApproachEvent]:
        s = self._state
        if (
            s is not None
            and s.direction in (Direction.TOWARDS, Direction.AWAY_FROM)
            and self._last_move is not None
            and (now - self._last_move).total_seconds() > STATIONARY_AFTER_S
        ):
            self._speed_sum = self._speed_weight = 0.0
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
        return []

    # -- saving and restoring ------------------------------------------------

    def as_dict(self) -> dict[str, Any] | None:
        """Return everything needed to resume as if there had been no restart."""
        s = self._state
        if s is None or self._last is None:
            return None
        return {
            "version": SAVE_VERSION,
            "home": [self._home.latitude, self._home.longitude, self._home.radius],
            "home_exists": self._home_exists,
            "state": {
                "latitude": s.latitude,
                "longitude": s.longitude,
                "accuracy": s.accuracy,
                "direction": s.direction.value,
                "time_to_home_min": s.time_to_home_min,
                "at_home": s.at_home,
            },
            "last": _sample_to_dict(self._last),
            "pending": [_sample_to_dict(p) for p in self._pending],
            "last_time": _time_to_str(self._last_time),
            "last_move": _time_to_str(self._last_move),
            "still": None
            if (still := self._still) is None
            else [
                still.count,
                still.latitude,
                still.longitude,
                still.accuracy,
                still.since.isoformat(),
            ],
            "speed": [self._speed_sum, self._speed_weight],
            "crossings": {
                str(km): [c.approach_armed, c.leave_armed] for km, c in self._crossings.items()
            },
            "time_to_home": {
                str(m): armed for m, armed in self._minutes.items() if armed is not None
            },
        }

    def restore(self, data: Any) -> None:
        """Resume from :meth:`as_dict` output without emitting events.

        Every value is checked; anything malformed leaves a fresh engine (that
        the next usable fix starts silently) and raises :class:`MalformedStateError`.
        """
        try:
            self._restore(data)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            self._reset()
            raise MalformedStateError(str(err)) from err

    def _restore(self, data: Any) -> None:
        if isinstance(data, Mapping) and set(data) == _LEGACY_KEYS:
            self._restore_legacy(data)
            return
        if not isinstance(data, Mapping) or data.get("version") != SAVE_VERSION:
            raise ValueError("unsupported saved approach state")
        saved_home = Home(*(_finite(v) for v in _list(data["home"], 3)))
        home_exists = _bool(data["home_exists"])
        state = data["state"]
        if not isinstance(state, Mapping):
            raise TypeError("state")
        lat, lon = _latitude(state["latitude"]), _longitude(state["longitude"])
        accuracy = _accuracy(state["accuracy"])
        at_home = _bool(state["at_home"])
        direction = Direction(state["direction"])
        if at_home != (direction is Direction.ARRIVED):
            raise ValueError("direction disagrees with at_home")
        eta = state["time_to_home_min"]
        if eta is not None and (isinstance(eta, bool) or not isinstance(eta, int) or eta < 0):
            raise ValueError("time_to_home_min")
        last = _sample_from_dict(data["last"])
        pending = [_sample_from_dict(p) for p in _list(data["pending"])][-MAX_PENDING:]
        last_time = _time_from_str(data["last_time"])
        last_move = _time_from_str(data["last_move"])
        still = _still_from_list(data["still"])
        speed_sum, speed_weight = (_finite(v) for v in _list(data["speed"], 2))
        # The smoothing's weight is seconds of travel (about ETA_TIME_CONSTANT_S
        # when steady) and its mean a closing speed no car exceeds.
        if not 0 <= speed_weight <= MAX_SPEED_WEIGHT_S or abs(speed_sum) > (
            MAX_CLOSING_MPS * speed_weight
        ):
            raise ValueError("speed")
        crossings = data["crossings"]
        if not isinstance(crossings, Mapping):
            raise TypeError("crossings")
        arms = {
            normalize_km(_finite(km, 0.0)): (_bool(a), _bool(b))
            for km, (a, b) in ((k, _list(v, 2)) for k, v in crossings.items())
        }
        # Saves from before time-to-home events have no minute arms.
        saved_minutes = data.get("time_to_home", {})
        if not isinstance(saved_minutes, Mapping):
            raise TypeError("time_to_home")
        minute_arms = {
            normalize_minutes(_finite(m, 0.0)): _bool(armed) for m, armed in saved_minutes.items()
        }
        self._reset()
        current_home, current_exists = self._home, self._home_exists
        self._home, self._home_exists = saved_home, home_exists
        self._state = ApproachState(
            latitude=lat,
            longitude=lon,
            accuracy=accuracy,
            distance_m=self._shown_distance(lat, lon, at_home),
            direction=direction,
            time_to_home_min=eta if direction is Direction.TOWARDS else None,
            at_home=at_home,
        )
        self._last, self._pending = last, pending
        self._last_time, self._last_move = last_time, last_move
        self._still = still
        self._speed_sum, self._speed_weight = speed_sum, speed_weight
        self._saved_arms = arms
        self._saved_minutes = minute_arms
        self._sync_crossings()
        self._sync_minutes()
        # The zone may have changed while Home Assistant was stopped.
        self.set_home(current_home if current_exists else None)

    def _restore_legacy(self, data: Mapping[str, Any]) -> None:
        """Resume from the first release's save: a position and whether it was home."""
        sample = _Sample(
            latitude=_latitude(data["latitude"]),
            longitude=_longitude(data["longitude"]),
            accuracy=_accuracy(data["accuracy"]),
            speed=None,
            heading=None,
            time=_LEGACY_TIME,
        )
        edge = self._centre_m(sample.latitude, sample.longitude) - self._home.radius
        # Home as saved, unless that place is beyond leaving distance now.
        at_home = _bool(data["at_home"]) and edge <= self.config.hysteresis_m
        self._reset()
        self._initialise(sample)
        if self._home_exists and self._state is not None and self._state.at_home != at_home:
            self._state = replace(
                self._state,
                at_home=at_home,
                direction=Direction.ARRIVED if at_home else Direction.STATIONARY,
                distance_m=self._shown_distance(sample.latitude, sample.longitude, at_home),
            )


_LEGACY_KEYS = frozenset({"latitude", "longitude", "accuracy", "at_home"})
#: Fixes of the first release's save carry no time: any later fix is newer.
_LEGACY_TIME = datetime(2000, 1, 1, tzinfo=UTC)


def _same_place(a: _Sample, b: _Sample) -> bool:
    return a.latitude == b.latitude and a.longitude == b.longitude


def _confirms(pending: _Sample, sample: _Sample) -> bool:
    """Return whether ``sample`` is independent evidence for a held-back fix."""
    if not _same_place(pending, sample):
        return True
    return (sample.time - pending.time).total_seconds() >= REPEAT_CONFIRMS_AFTER_S


# -- validation helpers for restore -------------------------------------------


def _optional_finite(value: Any, low: float, high: float) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except TypeError, ValueError:
        return None
    return number if math.isfinite(number) and low <= number <= high else None


def _finite(value: Any, low: float = -math.inf, high: float = math.inf) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TypeError(f"not a number: {value!r}")
    number = float(value)
    if not (math.isfinite(number) and low <= number <= high):
        raise ValueError(f"out of range: {value!r}")
    return number


def _accuracy(value: Any) -> float:
    # No fix less accurate than the largest maximum accuracy is ever accepted;
    # a saved one would put the car in every zone and make every jump reachable.
    return _finite(value, 0.0, MAX_SAVED_ACCURACY_M)


def _latitude(value: Any) -> float:
    return _finite(value, -90.0, 90.0)


def _longitude(value: Any) -> float:
    return _finite(value, -180.0, 180.0)


def _bool(value: Any) -> bool:
    if not isinstance(value, bool):
        raise TypeError(f"not a boolean: {value!r}")
    return value


def _list(value: Any, length: int | None = None) -> list[Any]:
    if not isinstance(value, list) or (length is not None and len(value) != length):
        raise TypeError(f"not a list of {length}: {value!r}")
    return value


def _time_to_str(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _time_from_str(value: Any) -> datetime | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError("time")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError("naive time")
    return parsed


def _still_from_list(value: Any) -> _Still | None:
    if value is None:
        return None
    count, lat, lon, accuracy, since = _list(value, 5)
    if isinstance(count, bool) or not isinstance(count, int) or count < 1:
        raise ValueError("still count")
    time = _time_from_str(since)
    if time is None:
        raise ValueError("still without time")
    return _Still(
        count=count,
        latitude=_latitude(lat),
        longitude=_longitude(lon),
        accuracy=_accuracy(accuracy),
        since=time,
    )


def _sample_to_dict(sample: _Sample) -> dict[str, Any]:
    return {
        "latitude": sample.latitude,
        "longitude": sample.longitude,
        "accuracy": sample.accuracy,
        "speed": sample.speed,
        "heading": sample.heading,
        "time": sample.time.isoformat(),
    }


def _sample_from_dict(data: Any) -> _Sample:
    if not isinstance(data, Mapping):
        raise TypeError("sample")
    time = _time_from_str(data["time"])
    if time is None:
        raise ValueError("sample without time")
    speed, heading = data["speed"], data["heading"]
    return _Sample(
        latitude=_latitude(data["latitude"]),
        longitude=_longitude(data["longitude"]),
        accuracy=_accuracy(data["accuracy"]),
        speed=None if speed is None else _finite(speed, 0.0, 1000.0),
        heading=None if heading is None else _finite(heading, -360.0, 720.0),
        time=time,
    )
