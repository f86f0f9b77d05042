"""Learned departures: recurring local times per weekday, alternate weeks or recent days.

Pure Python, no Home Assistant imports. Times are local wall-clock minutes
(a DST change moves nothing); a day's predictions rest only on earlier days.
It abstains unless one of these patterns clearly holds for a time of day:

* weekly: the same weekday of the past weeks (recent weeks weigh more),
  the latest of them included, and no new routine seen on the last two days;
  three weeks, or two in a row when other recent days left at that time too
  (a routine on some weekdays only), with a confidence two thirds as high;
* alternate weeks (shift work): whole weeks of the same kind of day
  (workdays or weekend) alternate, or the same weekday two weeks apart;
* recent days: the last days of the same kind, which follows a new routine
  within a week (unless alternating weeks say this week is the other one).

Days the car stood unused although departures were expected (twice: a
holiday nobody mentioned) silence it until the car leaves again, and teach
nothing; days marked "not leaving" (holidays) are neither predicted nor learned.
"""

from __future__ import annotations

from bisect import insort
from dataclasses import replace
from datetime import date, datetime, time, timedelta, tzinfo
from statistics import median

from .patterns import TOLERANCE_MIN, References, Verdict
from .types import Departure, Prediction

__all__ = ["TOLERANCE_MIN", "Departure", "DepartureModel", "Prediction"]

#: Memory bound: a year of departures, at most this many.
MAX_AGE_DAYS = 366
MAX_DEPARTURES = 4000
#: How far an empty run of days is followed when deciding whether the car stood unused.
MAX_RUN_DAYS = 62


def _weighted_median(values: list[tuple[float, int]]) -> int:
    ordered = sorted(values, key=lambda item: item[1])
    half = sum(weight for weight, _ in ordered) / 2
    running = 0.0
    for weight, value in ordered:
        running += weight
        if running >= half:
            return value
    return ordered[-1][1]


class DepartureModel:
    """Past departures and what they let it predict, day by day."""

    def __init__(self, tz: tzinfo) -> None:
        """Create an empty model working in the wall-clock time of ``tz``."""
        self.tz = tz
        self._departures: list[tuple[datetime, Departure]] = []
        self._days: dict[date, list[tuple[int, Departure]]] = {}
        #: The first day it watched: earlier days are not evidence either way.
        self.first_day: date | None = None
        self.excluded: set[date] = set()
        self.skipped: set[str] = set()
        self._memo: dict[date, tuple[Prediction, ...]] = {}
        #: Days ahead predicted from an earlier cutoff (cleared on any change).
        self._ahead: dict[tuple[date, date], tuple[Prediction, ...]] = {}
        #: Every day through this one is in the memo.
        self._filled: date | None = None

    # -- what it knows -------------------------------------------------------

    @property
    def departures(self) -> list[Departure]:
        """Return the departures it keeps, oldest first."""
        return [dep for _, dep in self._departures]

    def local(self, at: datetime) -> tuple[date, int]:
        """Return the local date and minute of an aware time."""
        here = at.astimezone(self.tz)
        return here.date(), here.hour * 60 + here.minute

    def departed_near(self, prediction: Prediction, before: int, after: int) -> bool:
        """Return whether the car left ``before`` minutes ahead of ``prediction`` to ``after``."""
        return any(
            -before <= m - prediction.minute <= after for m, _ in self._days.get(prediction.day, ())
        )

    def start(self, day: date) -> None:
        """Note that it watches from ``day`` on (kept if it watched earlier)."""
        if self.first_day is None or day < self.first_day:
            self.first_day = day
            self._memo.clear()
            self._ahead.clear()
            self._filled = None

    def add(self, departure: Departure) -> None:
        """Learn one departure (a repeated one is ignored)."""
        if any(at == departure.at for at, _ in self._departures[-50:]):
            return
        day, minute = self.local(departure.at)
        insort(self._departures, (departure.at, departure), key=lambda item: item[0])
        insort(self._days.setdefault(day, []), (minute, departure), key=lambda item: item[0])
        self.start(day)
        self._prune()
        self._forget_after(day)

    def set_trip(self, left_at: datetime, trip_min: float, trip_km: float | None) -> None:
        """Give the departure at ``left_at`` its trip's length."""
        for index in range(len(self._departures) - 1, -1, -1):
            at, dep = self._departures[index]
            if at == left_at:
                new = replace(dep, trip_min=trip_min, trip_km=trip_km)
                self._departures[index] = (at, new)
                day, _ = self.local(at)
                self._days[day] = [(m, new if d is dep else d) for m, d in self._days[day]]
                self._forget_after(day)
                return

    def exclude(self, day: date, excluded: bool = True) -> None:
        """Mark ``day`` as one the car is not expected to leave (or no longer)."""
        if (day in self.excluded) != excluded:
            if excluded:
                self.excluded.add(day)
            else:
                self.excluded.discard(day)
            self._forget_after(day - timedelta(days=1))

    def skip(self, prediction: Prediction) -> None:
        """Withdraw one prediction."""
        self.skipped.add(prediction.key)
        # A withdrawn prediction is not one the car failed to follow.
        self._forget_after(prediction.day)

    def _forget_after(self, day: date) -> None:
        self._memo = {d: p for d, p in self._memo.items() if d <= day}
        self._ahead.clear()
        if self._filled is not None and self._filled > day:
            self._filled = day

    def _prune(self) -> None:
        newest = self._departures[-1][0]
        oldest = newest - timedelta(days=MAX_AGE_DAYS)
        drop = 0
        while drop < len(self._departures) and (
            self._departures[drop][0] < oldest or len(self._departures) - drop > MAX_DEPARTURES
        ):
            drop += 1
        if not drop:
            return
        del self._departures[:drop]
        first = self.local(self._departures[0][0])[0]
        self._days = {d: v for d, v in self._days.items() if d >= first}
        self.excluded = {d for d in self.excluded if d >= first - timedelta(days=7)}
        if self.first_day is not None and self.first_day < first:
            self.first_day = first
        self._memo.clear()
        self._ahead.clear()
        self._filled = None

    def prune_marks(self, today: date) -> None:
        """Drop holiday marks and withdrawals that lie too far in the past."""
        self.excluded = {d for d in self.excluded if (today - d).days <= MAX_AGE_DAYS}
        cutoff = (today - timedelta(days=2)).isoformat()
        self.skipped = {key for key in self.skipped if key >= cutoff}

    # -- predicting ----------------------------------------------------------

    def predictions(self, day: date, cutoff: date | None = None) -> tuple[Prediction, ...]:
        """Return the departures expected on ``day`` (withdrawn ones left out).

        ``cutoff`` is the first day not yet seen in full (``day`` itself when
        omitted); a later day is predicted from what was seen before it.
        """
        final = cutoff is None or cutoff >= day
        limit = day if final else cutoff
        assert limit is not None
        self._fill(limit - timedelta(days=1))
        if final:
            found = self._memo_get(day)
        elif (found_ahead := self._ahead.get((day, limit))) is not None:
            found = found_ahead
        else:
            found = self._ahead[(day, limit)] = self._compute(day, limit)
        return tuple(p for p in found if p.key not in self.skipped)

    def _memo_get(self, day: date) -> tuple[Prediction, ...]:
        if (found := self._memo.get(day)) is None:
            found = self._memo[day] = self._compute(day, day)
        return found

    def _fill(self, upto: date) -> None:
        if self.first_day is None or upto < self.first_day:
            return
        if self._filled is not None and self._filled >= upto:
            return  # every day through upto is known (the common case: once per state)
        day = max(self.first_day, upto - timedelta(days=MAX_AGE_DAYS))
        while day <= upto:
            if day not in self._memo:
                self._memo[day] = self._compute(day, day)
            day += timedelta(days=1)
        self._filled = upto

    def _predicted(self, day: date) -> bool:
        return any(p.key not in self.skipped for p in self._memo.get(day, ()))

    def _empty_run(self, day: date, cutoff: date) -> tuple[date, date]:
        assert self.first_day is not None
        one = timedelta(days=1)
        start = end = day
        while (
            start - one >= self.first_day
            and not self._days.get(start - one)
            and (day - start).days < MAX_RUN_DAYS
        ):
            start -= one
        while (
            end + one < cutoff and not self._days.get(end + one) and (end - day).days < MAX_RUN_DAYS
        ):
            end += one
        return start, end

    def _unused_run(self, day: date, cutoff: date) -> bool:
        """Return whether ``day`` lies in a run of days the car stood unused despite predictions."""
        if self._days.get(day):
            return False
        start, end = self._empty_run(day, cutoff)
        count = 0
        while start <= end:
            count += self._predicted(start)
            if count >= 2:
                return True
            start += timedelta(days=1)
        return False

    def on_day(self, day: date) -> list[tuple[int, Departure]]:
        """Return the departures (local minute, departure) of ``day``."""
        return self._days.get(day, [])

    def observed(self, day: date, cutoff: date) -> bool:
        """Return whether ``day`` is evidence (either way) for a day whose cutoff is ``cutoff``."""
        return (
            self.first_day is not None
            and self.first_day <= day < cutoff
            and day not in self.excluded
            and not self._unused_run(day, cutoff)
        )

    def _at(self, day: date, minute: int) -> datetime:
        return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.tz)

    def hit(self, day: date, minute: int) -> tuple[int, Departure] | None:
        """Return the departure of ``day`` nearest ``minute``, if within the tolerance."""
        best: tuple[int, Departure] | None = None
        for m, dep in self._days.get(day, ()):
            if abs(m - minute) <= TOLERANCE_MIN and (
                best is None or abs(m - minute) < abs(best[0] - minute)
            ):
                best = (m, dep)
        return best

    def _compute(self, day: date, cutoff: date) -> tuple[Prediction, ...]:
        if self.first_day is None or day < self.first_day or day in self.excluded:
            return ()
        yesterday = cutoff - timedelta(days=1)
        if (
            yesterday >= self.first_day
            and not self._days.get(yesterday)
            and self._unused_run(yesterday, cutoff)
        ):
            return ()
        refs = References(self, day, cutoff)
        verdicts: list[tuple[int, Verdict]] = []
        for candidate in refs.candidates():
            verdict = refs.judge(candidate)
            if verdict is not None:
                minute = _weighted_median([(w**0.25, m) for w, m, _ in verdict.hits])
                verdicts.append((minute, verdict))
        verdicts.sort(key=lambda item: -item[1].score)
        chosen: list[Prediction] = []
        for minute, verdict in verdicts:
            if any(abs(p.minute - minute) <= TOLERANCE_MIN + 10 for p in chosen):
                continue
            trips = [d.trip_min for _, _, d in verdict.hits if d.trip_min is not None]
            kms = [d.trip_km for _, _, d in verdict.hits if d.trip_km is not None]
            chosen.append(
                Prediction(
                    day=day,
                    minute=minute,
                    at=self._at(day, minute),
                    confidence=round(min(verdict.score, 1.0), 2),
                    departures=len(verdict.hits),
                    usual_trip_min=round(median(trips), 1) if trips else None,
                    usual_trip_km=round(median(kms), 1) if kms else None,
                    pattern=verdict.pattern,
                )
            )
        return tuple(sorted(chosen, key=lambda p: p.minute))
