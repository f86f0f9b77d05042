"""How one fix is judged: distances, movement, home and crossing events.

Pure Python, no Home Assistant imports. Mixed into
:class:`.engine.ApproachEngine`, which holds the state these read and move.
"""

from __future__ import annotations

import copy
import math

from .crossings import Thresholds
from .geo import ellipsoid_distance, local_offset_m
from .model import (
    STOPPED_KMH,
    ApproachConfig,
    ApproachEvent,
    ApproachState,
    Direction,
    EventType,
    Home,
    Sample,
)
from .outage import SILENCE_S, Comeback, Verdict
from .still import Still, follow

#: The distance shown when not home is at least this (m), so 0 means home.
MIN_AWAY_DISTANCE_M = 10.0
#: A car that parked after driving still gets the crossings its estimate
#: shows for this long (s); later the estimate only re-arms them.
ARRIVAL_CROSSINGS_S = 1800.0


class Judging:
    """Judging one fix (mixed into the engine)."""

    _config: ApproachConfig
    _home: Home
    _centre_memo: dict[tuple[float, float, float, float], float]
    _still: Still | None
    _moving: bool
    _anchor: tuple[float, float, float] | None
    _comeback: Comeback
    _thresholds: Thresholds
    #: Crossings a fix after a silence made, waiting for the next fix to make them too.
    _unconfirmed: frozenset[tuple[EventType, float | None]]

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

    def _movement(self, prev: ApproachState, sample: Sample) -> tuple[Still | None, bool, bool]:
        """Follow the parked estimate; return it (if parked), and whether the car moved, left."""
        was_parked = self._still is not None and self._still.settled
        self._still, departed = follow(self._still, sample, moving=self._moving)
        still = self._still if self._still is not None and self._still.settled else None
        if still is not None or (was_parked and not departed):
            # Parked: the estimate decides and nothing moves the car but a departure.
            self._moving = False
            return still, False, False
        anchor = self._anchor or (prev.latitude, prev.longitude, prev.distance_m)
        north, east = local_offset_m(anchor[0], anchor[1], sample.latitude, sample.longitude)
        # A departure makes the car under way; its direction waits for a move
        # worth judging.
        significant = math.hypot(north, east) > max(self._config.hysteresis_m, sample.accuracy)
        if significant or departed or (sample.speed is not None and sample.speed > STOPPED_KMH):
            self._moving = True
        return None, significant, departed

    def _crossings(
        self,
        sample: Sample,
        elapsed: float,
        at_home: bool,
        parked: tuple[float, Still] | None,
        *,
        arrived: bool,
        going: Direction,
    ) -> list[ApproachEvent]:
        """Return the threshold crossings of one fix, minding outages.

        ``going``: the direction of travel before this fix.
        """
        verdict = self._comeback.judge(
            elapsed * self._config.time_scale,
            sample,
            reported_moving=sample.speed is not None and sample.speed > STOPPED_KMH,
        )
        if arrived:
            verdict = Verdict.GO  # home: every ring was crossed on the way
            self._comeback.place = None
        go = verdict is Verdict.GO
        if verdict is Verdict.HOLD and parked is None:
            # A comeback's crossings wait, and so do the arms: a lone glitch
            # must not arm a crossing for the next fix to fire.
            return []
        if go and not arrived and elapsed * self._config.time_scale >= SILENCE_S:
            return self._after_silence(sample, at_home, parked, going=going)
        self._unconfirmed = frozenset()
        events = self._crossing_events(
            sample, at_home, parked, under_way=self._moving and go, allowed=go
        )
        if verdict is Verdict.RESYNC or (verdict is Verdict.HOLD and parked is not None):
            # A missed crossing is history, or the car came back parked.
            self._comeback.place = None
            lat, lon = (
                (sample.latitude, sample.longitude)
                if parked is None
                else (parked[1].latitude, parked[1].longitude)
            )
            self._thresholds.clear()
            self._thresholds.sync(self._shown_distance(lat, lon, at_home))
        return events

    def _after_silence(
        self,
        sample: Sample,
        at_home: bool,
        parked: tuple[float, Still] | None,
        *,
        going: Direction,
    ) -> list[ApproachEvent]:
        """Return the crossings of a fix after a silence, once they are sure.

        After a silence a lone glitch is as plausible as a drive. A crossing
        against the way the car was going waits for a second fix: the arms
        stay as they were until one makes it again (or makes none, and the
        arms follow the car as usual). Any other fires at once: a car polled
        every 15 minutes on its way home, whose direction turns stationary
        between its fixes, gets its crossings on time.
        """
        before = copy.deepcopy(self._thresholds)
        events = self._crossing_events(sample, at_home, parked, under_way=self._moving)
        made = frozenset((e.type, e.threshold_km) for e in events)
        against = {
            Direction.TOWARDS: EventType.LEAVING,
            Direction.AWAY_FROM: EventType.APPROACHING,
        }.get(going)
        if not made or made <= self._unconfirmed or all(kind is not against for kind, _ in made):
            self._unconfirmed = frozenset()
            return events
        self._thresholds, self._unconfirmed = before, made
        return []

    def _home_event(self, sample: Sample, at_home: bool) -> ApproachEvent:
        if at_home:
            return ApproachEvent(type=EventType.ARRIVED_HOME, distance_km=0.0)
        edge = max(0.0, self._centre_m(sample.latitude, sample.longitude) - self._home.radius)
        return ApproachEvent(type=EventType.LEFT_HOME, distance_km=round(edge / 1000, 3))

    def _crossing_events(
        self,
        sample: Sample,
        at_home: bool,
        parked: tuple[float, Still] | None,
        *,
        under_way: bool,
        allowed: bool = True,
    ) -> list[ApproachEvent]:
        if at_home:
            distance, accuracy = 0.0, 0.0
        elif parked is not None:
            # Parked: the estimate, with its margin; only an arrival's crossings
            # are still due (a car stopped within its accuracy inside a ring).
            centre, still = parked
            distance = max(0.0, centre - self._home.radius)
            accuracy = still.effective_accuracy
            under_way = allowed and still.arrived_moving and still.span_s <= ARRIVAL_CROSSINGS_S
        else:
            edge = self._centre_m(sample.latitude, sample.longitude) - self._home.radius
            distance, accuracy = max(0.0, edge), sample.accuracy
        return self._thresholds.update(
            distance, accuracy, self._config.hysteresis_m, under_way=under_way
        )
