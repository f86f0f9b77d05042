"""The patterns a departure time may follow: weekly, alternate weeks, recent days.

Pure Python, no Home Assistant imports; see ``model.py`` for what each means.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from statistics import median
from typing import Protocol

from .types import Departure


class DayBook(Protocol):
    """What the patterns read of the model: each day's departures and whether it is evidence."""

    def on_day(self, day: date) -> list[tuple[int, Departure]]:
        """Return the departures (local minute, departure) of ``day``."""

    def observed(self, day: date, cutoff: date) -> bool:
        """Return whether ``day`` is evidence for a day whose cutoff is ``cutoff``."""

    def hit(self, day: date, minute: int) -> tuple[int, Departure] | None:
        """Return the departure of ``day`` nearest ``minute``, if within the tolerance."""


#: A departure this close (minutes) to a time of day counts for it.
TOLERANCE_MIN = 20
#: Weeks of the same weekday looked at, and their decay per week.
WEEKS = 8
WEEK_DECAY = 0.8
#: Recent days of the same kind looked at, and their decay per day.
RECENT_DAYS = 7
DAY_DECAY = 0.75
#: How far back (days) the recent days are searched for.
RECENT_SEARCH_DAYS = 28
#: Whole weeks compared for alternation.
ALTERNATE_WEEKS = 4
MIN_SCORE = 0.75
#: Weeks a weekly time must have been seen in.
MIN_WEEKS = 3
#: ... or two weeks in a row, when the same time is this many other recent
#: days' too (a routine kept on some weekdays only, such as part-time work).
EARLY_WEEKS = 2
EARLY_OTHER_DAYS = 2
MIN_ALTERNATION = 0.85


@dataclass(frozen=True, slots=True)
class Verdict:
    """What a pattern concludes for one time of day."""

    pattern: str
    score: float
    hits: list[tuple[float, int, Departure]]  # weight, minute, departure


def _workday(day: date) -> bool:
    return day.weekday() < 5


class References:
    """The earlier days a day's prediction rests on, and the verdict for a time of day."""

    def __init__(self, model: DayBook, day: date, cutoff: date) -> None:
        """Gather the days before ``cutoff`` that ``day`` is judged by."""
        self.model = model
        self.day = day
        self.cutoff = cutoff
        week = timedelta(days=7)
        self.weekly = [
            (k, day - k * week)
            for k in range(1, WEEKS + 1)
            if model.observed(day - k * week, cutoff)
        ]
        kind = _workday(day)
        self.recent: list[date] = []
        probe = min(day, cutoff) - timedelta(days=1)
        for _ in range(RECENT_SEARCH_DAYS):
            if len(self.recent) >= RECENT_DAYS:
                break
            if _workday(probe) == kind and model.observed(probe, cutoff):
                self.recent.append(probe)
            probe -= timedelta(days=1)
        monday = day - timedelta(days=day.weekday())
        self.blocks: list[tuple[int, list[date]]] = []
        for j in range(1, ALTERNATE_WEEKS + 1):
            start = monday - j * week
            days = [start + timedelta(days=i) for i in range(7)]
            seen = [d for d in days if _workday(d) == kind and model.observed(d, cutoff)]
            self.blocks.append((j, seen))

    def candidates(self) -> list[int]:
        """Return the times of day (clusters of past departures) worth judging."""
        days = {d for _, d in self.weekly} | set(self.recent)
        days |= {d for _, seen in self.blocks for d in seen}
        minutes = sorted(m for d in days for m, _ in self.model.on_day(d))
        groups: list[list[int]] = []
        for minute in minutes:
            if groups and minute - groups[-1][0] <= TOLERANCE_MIN:
                groups[-1].append(minute)
            else:
                groups.append([minute])
        return [int(median(group)) for group in groups]

    def judge(self, minute: int) -> Verdict | None:
        """Return the strongest pattern ``minute`` follows, or None to abstain."""
        alternation = self._alternate_weeks(minute)
        if alternation is not None and alternation.pattern == "on":
            return replace(alternation, pattern="alternate_weeks")
        off_week = alternation is not None
        options = [
            self._weekly(minute),
            self._alternate_weekday(minute),
            None if off_week else self._recent(minute),
        ]
        found = [v for v in options if v is not None]
        return max(found, key=lambda v: v.score) if found else None

    def _weekly(self, minute: int) -> Verdict | None:
        if len(self.weekly) < EARLY_WEEKS:
            return None
        hits, total = [], 0.0
        for k, day in self.weekly:
            weight = WEEK_DECAY ** (k - 1)
            total += weight
            if (hit := self.model.hit(day, minute)) is not None:
                hits.append((weight, *hit))
        latest_hit = self.model.hit(self.weekly[0][1], minute) is not None
        score = sum(w for w, _, _ in hits) / total
        if score < MIN_SCORE or not latest_hit or self._shifted(minute):
            return None
        if len(hits) >= MIN_WEEKS:
            return Verdict("weekly", score, hits)
        others = self._other_days(minute)
        if not len(self.weekly) == len(hits) == EARLY_WEEKS or len(others) < EARLY_OTHER_DAYS:
            return None
        # Two weeks are less evidence than three: the confidence says so. The
        # other days' times count too, less, for the time of day.
        return Verdict("weekly", score * len(hits) / MIN_WEEKS, hits + others)

    def _other_days(self, minute: int) -> list[tuple[float, int, Departure]]:
        """Return the recent days of another weekday that left at ``minute`` too."""
        weekday = self.day.weekday()
        return [
            (WEEK_DECAY**2, *hit)
            for d in self.recent
            if d.weekday() != weekday and (hit := self.model.hit(d, minute)) is not None
        ]

    def _alternate_weekday(self, minute: int) -> Verdict | None:
        even = [(k, d) for k, d in self.weekly if k % 2 == 0]
        odd = [(k, d) for k, d in self.weekly if k % 2]
        if len(even) < 2 or len(odd) < 2:
            return None
        hits, agree, total = [], 0.0, 0.0
        for k, day in self.weekly:
            weight = WEEK_DECAY ** ((k - 1) // 2)
            total += weight
            hit = self.model.hit(day, minute)
            if k % 2 == 0 and hit is not None:
                hits.append((weight, *hit))
                agree += weight
            elif k % 2 and hit is None:
                agree += weight
        score = agree / total
        if len(hits) < 2 or score < MIN_ALTERNATION or self.model.hit(even[0][1], minute) is None:
            return None
        return Verdict("alternate_weeks", score, hits)

    def _recent(self, minute: int) -> Verdict | None:
        if len(self.recent) < 4:
            return None
        hits, total = [], 0.0
        for i, day in enumerate(self.recent):
            weight = DAY_DECAY**i
            total += weight
            if (hit := self.model.hit(day, minute)) is not None:
                hits.append((weight, *hit))
        score = sum(w for w, _, _ in hits) / total
        if not any(self.model.hit(d, minute) for d in self.recent[:2]):
            return None
        if len(hits) < 4 or score < MIN_SCORE:
            return None
        return Verdict("recent_days", score, hits)

    def _week_rates(
        self, minute: int
    ) -> dict[int, tuple[float, list[tuple[float, int, Departure]]]] | None:
        """Return each earlier week's share of days left at ``minute`` (None if one is mixed)."""
        status: dict[int, tuple[float, list[tuple[float, int, Departure]]]] = {}
        for j, seen in self.blocks:
            if len(seen) < 2:
                continue
            hits = [(1.0, *hit) for d in seen if (hit := self.model.hit(d, minute)) is not None]
            rate = len(hits) / len(seen)
            if 0.2 < rate < 0.6:
                return None
            status[j] = (rate, hits)
        return status

    def _alternate_weeks(self, minute: int) -> Verdict | None:
        """Return a verdict "on" or "off" when whole weeks alternate at ``minute``, else None."""
        if (status := self._week_rates(minute)) is None:
            return None
        same = [j for j in status if j % 2 == 0]
        other = [j for j in status if j % 2]
        same_on = {status[j][0] >= 0.6 for j in same}
        other_on = {status[j][0] >= 0.6 for j in other}
        if len(same_on) != 1 or len(other_on) != 1 or same_on == other_on:
            return None
        if True not in same_on:
            return Verdict("off", 0.0, [])
        on_rate = sum(status[j][0] for j in same) / len(same)
        off_rate = sum(status[j][0] for j in other) / len(other)
        hits = [hit for j in same for hit in status[j][1]]
        # The same weekday must have taken part in the latest "on" week it was seen in.
        seen = dict(self.blocks)
        latest = next(
            (d for j in sorted(same) if (d := self.day - timedelta(days=7 * j)) in seen[j]), None
        )
        if len(hits) < 3 or (latest is not None and self.model.hit(latest, minute) is None):
            return None
        return Verdict("on", on_rate * (1 - off_rate), hits)

    def _shifted(self, minute: int) -> bool:
        """Return whether the last two days of this kind moved to a new time instead."""
        if len(self.recent) < 2:
            return False
        last, before = self.recent[0], self.recent[1]
        if self.model.hit(last, minute) or self.model.hit(before, minute):
            return False
        for m_last, _ in self.model.on_day(last):
            if self.model.hit(before, m_last) is not None and self._new_on(last, m_last):
                return True
        return False

    def _new_on(self, day: date, minute: int) -> bool:
        seen = [
            day - timedelta(days=7 * k)
            for k in range(1, 5)
            if self.model.observed(day - timedelta(days=7 * k), day)
        ]
        if len(seen) < 2:
            return False
        hits = sum(self.model.hit(d, minute) is not None for d in seen)
        return hits / len(seen) <= 0.25
