"""A simulated car's weekly routine: a weekday commute, on Home Assistant's clock.

Pure Python, no Home Assistant imports. On weekdays the car leaves home for
work in the morning and comes back in the late afternoon, each a few minutes
earlier or later from day to day (seeded: the same car keeps the same days).
A leg starts only within its window after its time and only from where it
starts (home, or work), so a restart at noon does not start the morning
commute, and a car the user drove elsewhere is left alone.

The routine runs on the real clock: the time factor speeds up the drive, not
the calendar, because a learned departure is a real time of day that
automations act on. So that a new simulated car shows learning at once, the
routine's past weeks (:meth:`Routine.past`) are learned at its first setup,
as a mirror learns its tracker's past from the recorder.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
import random

from ..approach.geo import destination_point, great_circle_distance
from ..departures.types import Departure

ROUTINES = ("none", "weekday_commute")


@dataclass(frozen=True, slots=True, kw_only=True)
class Commute:
    """When and how far the car commutes."""

    leave_min: int = 7 * 60 + 45
    back_min: int = 17 * 60 + 15
    jitter_min: int = 8
    work_km: float = 12.0
    #: A leg starts only this many minutes after its time, at most.
    window_min: int = 90
    #: The car counts as at work within this distance (m) of it.
    at_work_m: float = 300.0


class Routine:
    """Where the car should be heading now, if its routine says so."""

    def __init__(self, tz: tzinfo, seed: int, commute: Commute | None = None) -> None:
        """Start the routine of the car ``seed`` names, in the home's time zone."""
        self.tz = tz
        self.seed = seed
        self.commute = commute or Commute()
        #: Work lies in a direction of its own for every car.
        self.bearing = random.Random(seed).uniform(0.0, 360.0)

    def work(self, home: tuple[float, float]) -> tuple[float, float]:
        """Return where work is, ``work_km`` from ``home``."""
        return destination_point(*home, self.bearing, self.commute.work_km * 1000)

    def minute(self, day: date, leg: str) -> int:
        """Return the local minute of day the ``leg`` ("out" or "back") starts on ``day``."""
        c = self.commute
        base = c.leave_min if leg == "out" else c.back_min
        rng = random.Random(f"{self.seed}:{day.isoformat()}:{leg}")
        return base + rng.randint(-c.jitter_min, c.jitter_min)

    def due(
        self, now: datetime, *, position: tuple[float, float], home: tuple[float, float, float]
    ) -> tuple[float, float] | None:
        """Return where a parked car at ``position`` should drive to now, or None."""
        local = now.astimezone(self.tz)
        day = local.date()
        if day.weekday() >= 5:
            return None
        minute = local.hour * 60 + local.minute
        home_at = (home[0], home[1])
        window = self.commute.window_min
        out = self.minute(day, "out")
        if out <= minute < out + window and great_circle_distance(*position, *home_at) <= home[2]:
            return self.work(home_at)
        back = self.minute(day, "back")
        work = self.work(home_at)
        if (
            back <= minute < back + window
            and great_circle_distance(*position, *work) <= self.commute.at_work_m
        ):
            return home_at
        return None

    def past(self, now: datetime, days: int, cruise_kmh: float) -> list[Departure]:
        """Return the departures from home of the ``days`` days before today.

        Each with its trip as the departures engine records one: the whole
        time away (out, the day at work, back) and both legs' distance.
        """
        today = now.astimezone(self.tz).date()
        drive_min = self.commute.work_km / max(cruise_kmh, 5.0) * 60 + 2
        out: list[Departure] = []
        for back in range(days, 0, -1):
            day = today - timedelta(days=back)
            if day.weekday() >= 5:
                continue
            minute = self.minute(day, "out")
            at = datetime.combine(day, time(minute // 60, minute % 60), tzinfo=self.tz)
            away = self.minute(day, "back") - minute + drive_min
            trip_km = 2 * self.commute.work_km
            out.append(Departure(at=at, trip_min=round(away, 1), trip_km=trip_km))
        return out
