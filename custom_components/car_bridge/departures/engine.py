"""The departures engine: learns each departure from home, announces the expected ones.

Pure Python, no Home Assistant imports; implements the ``Engine`` protocol of
``vehicle/engines.py`` (key ``departures``). Given ``at_home`` (the approach
engine's one decision about home, as the vehicle's engines wire it), a
departure is when that turns false. On its own (the bench, a replay of a
tracker's history) it judges plausible fixes the way the approach engine
decides a departure: beyond the zone by more than the hysteresis and the
fix's accuracy.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import date, datetime, timedelta, tzinfo
import math
from typing import Any

from ..approach.geo import ellipsoid_distance
from ..approach.model import (
    DEFAULT_HYSTERESIS_M,
    DEFAULT_MAX_ACCURACY_M,
    UNKNOWN_ACCURACY_M,
    Home,
)
from ..vehicle.engines import Conclusion
from ..vehicle.model import Position, VehicleState
from .model import TOLERANCE_MIN, Departure, DepartureModel, Prediction
from .saved import dump, load

KEY = "departures"
EVENT_DEPARTURE_EXPECTED = "departure_expected"
#: Minutes before a departure always announced (triggers may ask for more).
DEFAULT_MINUTES_BEFORE = 30
MIN_MINUTES_BEFORE = 5
MAX_MINUTES_BEFORE = 180
#: A departure this early (minutes) still fulfils the prediction it came for.
EARLY_MIN = 30
#: A trip shorter than this (minutes) moved the car, it did not go anywhere.
MIN_TRIP_MIN = 2.0


class DepartureEngine:
    """Departures learned from the fixes, and the next one expected."""

    key = KEY

    def __init__(
        self,
        tz: tzinfo,
        *,
        learning: bool = True,
        hysteresis_m: float = DEFAULT_HYSTERESIS_M,
        at_home: Callable[[], bool | None] | None = None,
    ) -> None:
        """Create an engine working in the local time of ``tz``.

        ``at_home`` returns whether the car is home now (None: not known yet);
        without it the engine judges the fixes itself.
        """
        self.model = DepartureModel(tz)
        self._judge = at_home
        self._last_fix: datetime | None = None
        self.learning = learning
        self._hysteresis_m = hysteresis_m
        self._home: Home | None = None
        self.at_home: bool | None = None
        self.left_at: datetime | None = None
        self.left_odometer: float | None = None
        self.fired: set[str] = set()
        self._minutes: frozenset[int] = frozenset({DEFAULT_MINUTES_BEFORE})
        self._result: Prediction | None = None
        self._now: datetime | None = None

    # -- Engine protocol -----------------------------------------------------

    @property
    def result(self) -> Prediction | None:
        """Return the next expected departure (None while it abstains)."""
        return self._result

    def set_home(self, home: Home | None) -> None:
        """Measure against a new home zone; a zone change is never a departure."""
        self._home = home
        self.at_home = None

    def update(self, state: VehicleState, now: datetime) -> Sequence[Conclusion]:
        """Learn a departure or a return from the state's fix."""
        if self.model.first_day is None and self.learning:
            self.model.start(self.model.local(now)[0])
        when = state.fix_time or state.timestamp
        home_now = self._judge() if self._judge is not None else self._judged(state, when)
        if home_now is not None and self._home is not None:
            if self.at_home is None:
                self.at_home = home_now
            elif self.at_home and not home_now:
                self.at_home = False
                self._left(when, state.odometer)
            elif not self.at_home and home_now:
                self.at_home = True
                self._back(when, state.odometer)
        # A state may carry an old time (a push source marked disconnected):
        # time never runs backwards for the predictions.
        return self.tick(now if self._now is None else max(now, self._now))

    def tick(self, now: datetime) -> Sequence[Conclusion]:
        """Refresh the next departure; announce what is now N minutes away."""
        self._now = now
        today = self.model.local(now)[0]
        self.model.prune_marks(today)
        self._result = self._next(now) if self.learning else None
        nxt = self._result
        if nxt is None or self.at_home is False:
            return []
        out: list[Conclusion] = []
        for minutes in sorted(self._minutes, reverse=True):
            mark = f"{nxt.key}/{minutes}"
            if mark in self.fired or not nxt.at - timedelta(minutes=minutes) <= now < nxt.at:
                continue
            self.fired.add(mark)
            out.append(
                Conclusion(
                    type=EVENT_DEPARTURE_EXPECTED,
                    data={
                        "minutes_before": minutes,
                        "departure": nxt.at.isoformat(),
                        "confidence": nxt.confidence,
                        "usual_trip_min": nxt.usual_trip_min,
                    },
                )
            )
        self._prune_fired(today)
        return out

    def as_dict(self) -> dict[str, Any]:
        """Return the learned departures and the announcements made, for the save file."""
        return dump(self)

    def restore(self, data: Any) -> list[str]:
        """Resume from :meth:`as_dict` output, keeping what is sound."""
        discarded = load(self, data)
        self._result = None
        return discarded

    # -- the user's say ------------------------------------------------------

    def set_minutes(self, minutes: Iterable[int]) -> None:
        """Announce departures these many minutes ahead (besides the default)."""
        self._minutes = frozenset(
            {DEFAULT_MINUTES_BEFORE}
            | {m for m in minutes if MIN_MINUTES_BEFORE <= m <= MAX_MINUTES_BEFORE}
        )

    def set_not_leaving(self, day: date, not_leaving: bool) -> None:
        """Mark ``day`` as a holiday (no departure expected, nothing learned), or not."""
        self.model.exclude(day, not_leaving)
        self._refresh()

    def skip_next(self) -> Prediction | None:
        """Withdraw the next expected departure; return it (None if none was expected)."""
        skipped = self._result
        if skipped is not None:
            self.model.skip(skipped)
            self._refresh()
        return skipped

    def learn_history(self, departures: Iterable[Departure], since: date) -> None:
        """Learn departures that happened before it watched (e.g. from the recorder)."""
        self.model.start(since)
        for departure in departures:
            self.model.add(departure)
        self._refresh()

    def upcoming(self, days: int = 7) -> list[Prediction]:
        """Return the departures expected from today on (for diagnostics)."""
        if self._now is None:
            return []
        today = self.model.local(self._now)[0]
        found: list[Prediction] = []
        for offset in range(days):
            day = today + timedelta(days=offset)
            found += self.model.predictions(day, None if offset == 0 else today)
        return found

    # -- inside --------------------------------------------------------------

    def _refresh(self) -> None:
        if self._now is not None:
            self._result = self._next(self._now) if self.learning else None

    def _judged(self, state: VehicleState, when: datetime) -> bool | None:
        """Judge home from a plausible, new fix (None: this state says nothing)."""
        position, home = state.position, self._home
        if position is None or home is None or not _plausible(position):
            return None
        if self._last_fix is not None and when <= self._last_fix:
            return None  # delivered late or twice
        self._last_fix = when
        centre = ellipsoid_distance(
            position.latitude, position.longitude, home.latitude, home.longitude
        )
        accuracy = position.accuracy or UNKNOWN_ACCURACY_M
        if self.at_home is None:
            return centre <= home.radius + self._hysteresis_m
        if self.at_home:
            return centre - home.radius - accuracy <= self._hysteresis_m
        return centre <= home.radius

    def _left(self, when: datetime, odometer: float | None) -> None:
        self.left_at, self.left_odometer = when, odometer
        if not self.learning:
            return
        day = self.model.local(when)[0]
        if day in self.model.excluded:
            return
        self.model.add(Departure(at=when))

    def _back(self, when: datetime, odometer: float | None) -> None:
        left_at, left_odometer = self.left_at, self.left_odometer
        self.left_at = self.left_odometer = None
        if left_at is None or not self.learning:
            return
        minutes = (when - left_at).total_seconds() / 60
        km = None
        if odometer is not None and left_odometer is not None and odometer >= left_odometer:
            km = round(odometer - left_odometer, 1)
        if minutes < MIN_TRIP_MIN:
            return
        self.model.set_trip(left_at, round(minutes, 1), km)

    def _next(self, now: datetime) -> Prediction | None:
        today = self.model.local(now)[0]
        for day, cutoff in ((today, None), (today + timedelta(days=1), today)):
            for prediction in self.model.predictions(day, cutoff):
                if prediction.at + timedelta(minutes=TOLERANCE_MIN) <= now:
                    continue
                if self.model.departed_near(prediction, EARLY_MIN, TOLERANCE_MIN):
                    continue
                return prediction
        return None

    def _prune_fired(self, today: date) -> None:
        oldest = (today - timedelta(days=2)).isoformat()
        self.fired = {mark for mark in self.fired if mark >= oldest}


def _plausible(position: Position) -> bool:
    """Return whether a fix is a place (finite, on Earth, not 0/0, accurate enough)."""
    lat, lon, accuracy = position.latitude, position.longitude, position.accuracy
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return False
    if lat == 0 and lon == 0:
        return False
    return accuracy is None or (math.isfinite(accuracy) and accuracy <= DEFAULT_MAX_ACCURACY_M)
