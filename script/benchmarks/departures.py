"""Benchmark the learned departures on generated 12-week histories (pure model, no HA).

Each history is a list of days with the departures of a routine (what a good
model should predict) and odd trips (what it should not). Day by day, the
model predicts the day from the days before it (issued at local midnight, so
a prediction counts only if it is at least 30 minutes ahead), then learns the
day. Figures per history:

- precision: predictions within +-15 min of a real departure / predictions
- recall: routine departures predicted within +-15 min / routine departures
  (over all 12 weeks, and from week 3 on, after the model had two weeks to learn)
- false_per_day: wrong predictions per day
- days_to_adapt (routine change in week 8, 07:30 -> 08:45): days from the change
  until the old time is no longer predicted and the new one is (4 of 5 days)
- cpu_us_per_departure: learning one departure and predicting the next day
- stored_bytes: the saved model (JSON) at the end
- cpu_us_per_state: what each vehicle state costs the engine (a parked car)

GeoLife is not reachable here (only PyPI/Debian/npm are, and no package
ships it), so only generated histories are measured. Run: script/bench departures
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
import json
import random
from time import process_time
from typing import Any
from zoneinfo import ZoneInfo

from custom_components.car_bridge.approach.model import Home
from custom_components.car_bridge.departures.engine import DepartureEngine
from custom_components.car_bridge.departures.model import (
    Departure,
    DepartureModel,
)
from custom_components.car_bridge.vehicle.model import VehicleState

TZ = ZoneInfo("Europe/Amsterdam")
WEEKS = 12
WINDOW_MIN = 15
LEAD_MIN = 30
HOME = Home(52.3676, 4.9041, 100.0)
STATES = 2000


@dataclass
class Day:
    day: date
    routine: list[int] = field(default_factory=list)  # minutes past local midnight
    odd: list[int] = field(default_factory=list)
    holiday: bool = False


def _jitter(rng: random.Random, minute: int, spread: int = 10) -> int:
    return minute + rng.randint(-spread, spread)


def _days(start: date) -> list[date]:
    return [start + timedelta(days=i) for i in range(WEEKS * 7)]


def _odd_trips(rng: random.Random, day: date, per_week: float = 1.5) -> list[int]:
    return [rng.randint(9 * 60, 21 * 60)] if rng.random() < per_week / 7 else []


def commuter(rng: random.Random, start: date) -> list[Day]:
    return [
        Day(d, [_jitter(rng, 7 * 60 + 30)] if d.weekday() < 5 else [], _odd_trips(rng, d))
        for d in _days(start)
    ]


def shift_worker(rng: random.Random, start: date) -> list[Day]:
    out = []
    for d in _days(start):
        early = ((d - start).days // 7) % 2 == 0
        minute = 6 * 60 if early else 14 * 60
        out.append(Day(d, [_jitter(rng, minute)] if d.weekday() < 5 else [], _odd_trips(rng, d)))
    return out


def part_time(rng: random.Random, start: date) -> list[Day]:
    return [
        Day(d, [_jitter(rng, 8 * 60 + 15)] if d.weekday() in (0, 2, 3) else [], _odd_trips(rng, d))
        for d in _days(start)
    ]


def irregular(rng: random.Random, start: date) -> list[Day]:
    out = []
    for d in _days(start):
        trips = rng.choice([0, 1, 1, 2, 2, 3])
        out.append(Day(d, [], sorted(rng.randint(7 * 60, 21 * 60) for _ in range(trips))))
    return out


def holiday_week(rng: random.Random, start: date) -> list[Day]:
    days = commuter(rng, start)
    for item in days[5 * 7 - 2 : 6 * 7 + 2]:  # Saturday before week 6 to the Sunday after
        item.routine, item.odd, item.holiday = [], [], True
    return days


def routine_change(rng: random.Random, start: date) -> list[Day]:
    days = commuter(rng, start)
    for item in days[7 * 7 :]:
        if item.routine:
            item.routine = [_jitter(rng, 8 * 60 + 45)]
    return days


SCENARIOS: dict[str, tuple[Callable[[random.Random, date], list[Day]], date, bool]] = {
    # name: generator, first day, whether the holiday calendar is told
    "commuter": (commuter, date(2026, 9, 7), True),
    "commuter_dst_spring": (commuter, date(2027, 2, 15), True),
    "shift_worker": (shift_worker, date(2026, 9, 7), True),
    "part_time": (part_time, date(2026, 9, 7), True),
    "irregular": (irregular, date(2026, 9, 7), True),
    "holiday_week_calendar": (holiday_week, date(2026, 9, 7), True),
    "holiday_week_untold": (holiday_week, date(2026, 9, 7), False),
    "routine_change_week8": (routine_change, date(2026, 9, 7), True),
}


def _at(day: date, minute: int) -> datetime:
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=TZ)


def run(days: list[Day], told: bool) -> dict[str, Any]:
    model = DepartureModel(TZ)
    model.start(days[0].day)
    predicted = correct = routine = routine_hit = 0
    routine_late = routine_late_hit = 0
    cpu = 0.0
    learned = 0
    per_day: list[tuple[list[int], list[int], Day]] = []
    for item in days:
        if told and item.holiday:
            model.exclude(item.day)
        started = process_time()
        preds = [
            p.minute
            for p in model.predictions(item.day)
            if p.at - _at(item.day, 0) >= timedelta(minutes=LEAD_MIN)
        ]
        cpu += process_time() - started
        actual = sorted(item.routine + item.odd)
        used: set[int] = set()
        good = []
        for minute in preds:
            match = next(
                (
                    i
                    for i, m in enumerate(actual)
                    if i not in used and abs(m - minute) <= WINDOW_MIN
                ),
                None,
            )
            if match is not None:
                used.add(match)
                good.append(minute)
        predicted += len(preds)
        correct += len(good)
        late = (item.day - days[0].day).days >= 14
        for m in item.routine:
            hit = any(abs(m - p) <= WINDOW_MIN for p in preds)
            routine += 1
            routine_hit += hit
            if late:
                routine_late += 1
                routine_late_hit += hit
        per_day.append((preds, actual, item))
        started = process_time()
        for minute in actual:
            at = _at(item.day, minute)
            model.add(Departure(at=at))
            model.set_trip(at, 35.0, 18.0)
            learned += 1
        cpu += process_time() - started
    engine = DepartureEngine(TZ, at_home=lambda: True)
    engine.model = model
    engine.set_home(HOME)
    stored = len(json.dumps(engine.as_dict(), separators=(",", ":")))
    # What every state of the vehicle costs (a parked car reporting every 10 s).
    now = _at(days[-1].day, 12 * 60)
    started = process_time()
    for i in range(STATES):
        at = now + timedelta(seconds=10 * i)
        engine.update(VehicleState(timestamp=at), at)
    per_state = (process_time() - started) / STATES
    return {
        "precision": round(correct / predicted, 3) if predicted else None,
        "recall": round(routine_hit / routine, 3) if routine else None,
        "recall_from_week3": round(routine_late_hit / routine_late, 3) if routine_late else None,
        "predictions": predicted,
        "false_per_day": round((predicted - correct) / len(days), 3),
        "cpu_us_per_departure": round(cpu / max(learned, 1) * 1e6, 1),
        "stored_bytes": stored,
        "cpu_us_per_state": round(per_state * 1e6, 1),
        "_days": per_day,
    }


def days_to_adapt(per_day: list[tuple[list[int], list[int], Day]], change: date) -> int | None:
    """Days from the change until the old time is never predicted again and the new
    one is predicted (+-15 min) on at least 4 of the next 5 routine days."""
    for index, (_, _, item) in enumerate(per_day):
        if item.day < change or not item.routine:
            continue
        rest = per_day[index:]
        old_gone = all(all(abs(p - 450) > WINDOW_MIN for p in preds) for preds, _, _ in rest)
        routine = [(preds, it) for preds, _, it in rest if it.routine][:5]
        kept = sum(
            all(any(abs(m - p) <= WINDOW_MIN for p in preds) for m in it.routine)
            for preds, it in routine
        )
        if old_gone and kept >= 4:
            return (item.day - change).days
    return None


def bench_departures() -> dict[str, Any]:
    """Return the figures of every generated history (mean over 5 seeds, and the worst)."""
    results: dict[str, Any] = {}
    for name, (make, start, told) in SCENARIOS.items():
        figures: list[dict[str, Any]] = []
        for seed in range(5):
            days = make(random.Random(seed), start)
            result = run(days, told)
            if name == "routine_change_week8":
                result["days_to_adapt"] = days_to_adapt(result["_days"], start + timedelta(weeks=7))
            if name.startswith("holiday"):
                holiday = [p for p, _, it in result["_days"] if it.holiday]
                result["predictions_on_holiday"] = sum(len(p) for p in holiday)
            del result["_days"]
            figures.append(result)
        merged: dict[str, Any] = {}
        for key in figures[0]:
            values = [f[key] for f in figures if f[key] is not None]
            merged[key] = round(sum(values) / len(values), 3) if values else None
            if key in ("precision", "recall", "days_to_adapt"):
                merged[f"{key}_worst"] = (
                    (max(values) if key == "days_to_adapt" else min(values)) if values else None
                )
        results[name] = merged
    return results
