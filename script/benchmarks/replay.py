"""Replay drives and parks with realistic GPS error; Car Bridge beside core's rules.

Each case is a true path (tests/approach/noise.py: drives home on open roads
and through a city, a departure from rest near a ring, a road along a ring, an
outage across a ring, 8-hour parks at the zone edge and at rings) seen through
an error model (white noise, Gauss-Markov drift, multipath bursts, glitches)
at 1 s, 15 s or phone sampling. The same fixes go to

* the Car Bridge approach engine (pure, as the integration runs it), and
* core's rules: ``zone`` (home when the accuracy circle touches the zone) and
  ``proximity`` (distance to the zone, a numeric_state trigger per threshold,
  direction from the change of distance).

Per engine: false events, missed events, delay of each event (s and m past
the threshold), direction changes while parked, and for drives the
time-to-home error (MAE over the last 15 min) and coverage (share of fixes of
the last 15 min with a value, from when the car has moved 200 m, the
hysteresis: before that nothing can tell it is on its way). For drives home
the time to home is also scored *learned*: the same route is first driven home three times (other
seeds, each after the drive out and an hour parked) through one engine,
which learns the car's pace (``approach/pace.py``), and the fourth trip (the
first trip's fixes again) is scored. Beside them, the *naive* estimate on
the same fixes: distance to home ÷ recent speed (the yardstick the time to
home must beat). There are no recorded real traces in
the repository yet: every path is synthetic.

``script/bench`` prints the table after the JSON figures (whose ``replay``
group holds the same rows); ``script/bench_replay.py [--quick]`` prints the
table alone (quick: 1-hour parks, two seeds).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
import math
import statistics
from typing import Any

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    Direction,
)
from custom_components.car_bridge.approach.geo import ellipsoid_distance
from tests.approach.noise import (
    HOME,
    T0,
    Errors,
    Observed,
    Path as TruePath,
    commute_out,
    depart,
    drive,
    observe,
    park,
    ring_road,
    tangential,
    without,
)

THRESHOLDS_KM = (5.0, 1.0)
HYSTERESIS_M = 200.0
#: An event this long before the truth, or this long after it, matches it.
EARLY_S, LATE_S = 60.0, 900.0
HOUR = 3600.0

type Event = tuple[float, str, float | None, float]  # s, type, threshold, true edge distance


@dataclass
class Score:
    """What one engine did on one case."""

    false: int = 0
    missed: int = 0
    delays_s: list[float] = field(default_factory=list)
    delays_m: list[float] = field(default_factory=list)
    parked_flips: int = 0
    eta_errors: list[float] = field(default_factory=list)
    eta_shown: int = 0
    eta_due: int = 0


def truth_events(path: TruePath) -> list[Event]:
    """Return the events the true path makes."""
    out: list[Event] = []
    prev: float | None = None
    for t, n, e, _ in path:
        centre = math.hypot(n, e)
        edge = max(0.0, centre - HOME.radius)
        if prev is not None:
            if prev > HOME.radius >= centre:
                out.append((t, "arrived_home", None, edge))
            if prev <= HOME.radius < centre:
                out.append((t, "left_home", None, edge))
            before = max(0.0, prev - HOME.radius)
            for km in THRESHOLDS_KM:
                if before > km * 1000 >= edge:
                    out.append((t, "approaching", km, edge))
                if before <= km * 1000 < edge:
                    out.append((t, "leaving", km, edge))
        prev = centre
    return out


def _edge_of(fix: Any) -> float:
    return ellipsoid_distance(fix.latitude, fix.longitude, HOME.latitude, HOME.longitude)


def run_engine(
    observed: Observed, engine: ApproachEngine | None = None, shift: timedelta = timedelta()
) -> tuple[list[Event], list[tuple[float, Any]]]:
    """Feed the fixes (``shift`` later) to Car Bridge's engine; return its events and states."""
    if engine is None:
        engine = ApproachEngine(ApproachConfig(thresholds_km=THRESHOLDS_KM), HOME)
    events: list[Event] = []
    states: list[tuple[float, Any]] = []
    for now, fix, truth in observed:
        t = (now - T0).total_seconds()
        edge = max(0.0, truth - HOME.radius)
        new = engine.update(fix, now + shift)
        events += [(t, ev.type.value, ev.threshold_km, edge) for ev in new]
        states.append((t, engine.state))
    return events, states


#: Trips home replayed through one engine before the scored one (learned case).
LEARN_TRIPS = 3


def run_learned(
    path: TruePath, errors: Errors, observed: Observed, *, seed: int
) -> tuple[list[Event], list[tuple[float, Any]]]:
    """Drive ``path`` home LEARN_TRIPS times first, then replay ``observed`` as run_engine.

    Each trip is a day: out along the route reversed, parked an hour where
    the drive home starts, then the drive home; all through one engine.
    """
    engine = ApproachEngine(ApproachConfig(thresholds_km=THRESHOLDS_KM), HOME)
    out = commute_out(path, park_s=HOUR)
    at = timedelta()
    for i in range(LEARN_TRIPS + 1):
        run_engine(observe(out, errors, seed=2000 + 10 * seed + i), engine, at)
        at += timedelta(seconds=out[-1][0] + 1)
        if i == LEARN_TRIPS:
            break
        run_engine(observe(path, errors, seed=1000 + 10 * seed + i), engine, at)
        at += timedelta(seconds=path[-1][0] + 1)
    return run_engine(observed, engine, at)


@dataclass
class _CoreState:
    latitude: float
    direction: Direction
    distance_m: float
    time_to_home_min: int | None = None


def run_core(observed: Observed) -> tuple[list[Event], list[tuple[float, Any]]]:
    """Core's zone + proximity + numeric_state rules on the same fixes."""
    events: list[Event] = []
    states: list[tuple[float, Any]] = []
    home: bool | None = None
    dist: float | None = None
    direction = Direction.STATIONARY
    last_time: datetime | None = None
    for now, fix, truth in observed:
        if last_time is not None and now <= last_time:
            continue  # the device tracker keeps the newest state
        last_time = now
        t = (now - T0).total_seconds()
        edge_true = max(0.0, truth - HOME.radius)
        centre = _edge_of(fix)
        in_zone = centre - (fix.accuracy or 0) < HOME.radius
        new_dist = 0.0 if in_zone else max(0.0, centre - HOME.radius)
        if home is not None and in_zone != home:
            events.append((t, "arrived_home" if in_zone else "left_home", None, edge_true))
        if dist is not None:
            for km in THRESHOLDS_KM:
                if dist > km * 1000 >= new_dist:
                    events.append((t, "approaching", km, edge_true))
                if dist <= km * 1000 < new_dist:
                    events.append((t, "leaving", km, edge_true))
            delta = new_dist - dist
            if in_zone:
                direction = Direction.ARRIVED
            elif abs(delta) > 1.0:  # proximity's default tolerance, 1 m
                direction = Direction.TOWARDS if delta < 0 else Direction.AWAY_FROM
            else:
                direction = Direction.STATIONARY
        home, dist = in_zone, new_dist
        states.append((t, _CoreState(0.0, direction, new_dist)))
    return events, states


#: The naive estimate: distance to home ÷ the speed over about this long (s).
NAIVE_WINDOW_S = 60.0


def run_naive(observed: Observed) -> list[tuple[float, Any]]:
    """Time to home as "distance ÷ recent speed", on the same fixes (a yardstick).

    The recent speed is the reported one where there is one, else the
    straight-line distance between this fix and the one about a minute before,
    divided by the time between them; below 0.5 m/s there is no value.
    """
    states: list[tuple[float, Any]] = []
    seen: list[tuple[float, Any]] = []
    for now, fix, _ in observed:
        t = (now - T0).total_seconds()
        if seen and t <= seen[-1][0]:
            continue  # the tracker keeps the newest fix
        seen.append((t, fix))
        if fix.speed is not None:
            speed = fix.speed / 3.6
        else:
            before = next(
                ((tb, fb) for tb, fb in reversed(seen[:-1]) if t - tb >= NAIVE_WINDOW_S),
                seen[-2] if len(seen) > 1 else None,
            )
            speed = 0.0
            if before is not None:
                metres = ellipsoid_distance(
                    before[1].latitude, before[1].longitude, fix.latitude, fix.longitude
                )
                speed = metres / (t - before[0])
        remaining = max(0.0, _edge_of(fix) - HOME.radius)
        eta = round(remaining / speed / 60) if speed >= 0.5 else None
        states.append((t, _CoreState(0.0, Direction.STATIONARY, remaining, eta)))
    return states


def score(
    path: TruePath, events: list[Event], states: list[tuple[float, Any]], *, parked_from: float
) -> Score:
    """Match events to the truth; count what is false, missed, late; time to home."""
    s = Score()
    truth = truth_events(path)
    used: set[int] = set()
    for t, kind, km, _ in truth:
        match = next(
            (
                i
                for i, (te, k, th, _) in enumerate(events)
                if i not in used and k == kind and th == km and t - EARLY_S <= te <= t + LATE_S
            ),
            None,
        )
        if match is None:
            s.missed += 1
            continue
        used.add(match)
        te, _, _, edge = events[match]
        s.delays_s.append(te - t)
        if km is not None:
            s.delays_m.append(abs(edge - km * 1000))
    s.false = len(events) - len(used)
    prev: Direction | None = None
    for t, st in states:
        if st is None or t < parked_from:
            continue
        if prev is not None and st.direction is not prev:
            s.parked_flips += 1
        prev = st.direction
    arrival = next((t for t, k, _, _ in truth if k == "arrived_home"), None)
    if arrival is not None:
        # An approach starts once the car has moved a hysteresis from where it
        # stood: before that nothing can tell it will.
        _, n0, e0, _ = path[0]
        started = next(t for t, n, e, _ in path if math.hypot(n - n0, e - e0) >= HYSTERESIS_M)
        for t, st in states:
            if st is None or not max(arrival - 900, started) <= t < arrival - 30:
                continue
            s.eta_due += 1
            if st.time_to_home_min is not None:
                s.eta_shown += 1
                s.eta_errors.append(abs(st.time_to_home_min - (arrival - t) / 60))
    return s


def cases(quick: bool) -> list[tuple[str, TruePath, float]]:
    """Return (name, true path, when the car is parked for good) for every case."""
    hours = 1.0 if quick else 8.0
    city = drive([(3000, 70), (5000, 30)], start_m=8000, wiggle_m=600, stops_every_s=150)
    open_road = drive([(20000, 90)], start_m=20000, bearing=40)
    mixed = drive([(9000, 80), (4000, 35)], start_m=12000, wiggle_m=400, stops_every_s=240)
    outage = drive([(8000, 60)], start_m=8000, bearing=200)
    ring = ring_road()
    out_t = next(t for t, n, e, _ in outage if math.hypot(n, e) <= 5300)
    out: list[tuple[str, TruePath, float]] = [
        ("city 8 km", city, city[-1][0] - 600),
        ("open road 20 km", open_road, open_road[-1][0] - 600),
        ("mixed 12 km", mixed, mixed[-1][0] - 600),
        ("ring road 10 km", ring, ring[-1][0] - 600),
        ("outage 90 s at 5 km", without(outage, out_t, out_t + 90), outage[-1][0] - 600),
        ("depart from rest 1 km", depart(1050.0, 2500.0), math.inf),
        # The road goes on for 20 min past the ring (1.5 km closer, as the
        # car gets 1.2 m/s closer at 5 degrees): a trace that ended minutes
        # after a comeback fix left the crossing waiting for the fix that
        # shows the car still drives, which never came.
        ("road along 5 km ring", tangential(5100.0, inner_m=1500.0), math.inf),
    ]
    for name, centre in (
        ("edge 40 m in", 60.0),
        ("edge 40 m out", 140.0),
        ("5 km ring +30 m", 5130.0),
        ("5 km ring -30 m", 5070.0),
        ("1 km ring +20 m", 1120.0),
    ):
        out.append((f"parked {hours:g} h {name}", park(centre, hours * HOUR), 0.0))
    return out


MODELS: dict[str, Errors] = {
    "white 5 m, speed": Errors(white=5.0, report_speed=True),
    "drift 15 m/60 s": Errors(sigma=15.0, tau=60.0),
    "drift 30 m/120 s, multipath, glitches": Errors(
        sigma=30.0, tau=120.0, multipath_per_h=6.0, glitch_per_h=1.0, accuracy=20.0
    ),
}
SAMPLINGS = ("1s", "15s", "phone")


def bench_replay(*, quick: bool = False) -> dict[str, Any]:
    """Return the replay's rows (one per case, error model, sampling and engine) and totals."""
    seeds = (1, 2) if quick else (1, 2, 3)
    rows: list[dict[str, Any]] = []
    for name, path, parked_from in cases(quick):
        for model_name, model in MODELS.items():
            for sampling in SAMPLINGS:
                per: dict[str, list[Score]] = {"car_bridge": [], "core": []}
                learned: list[Score] = []
                naive: list[Score] = []
                home_drive = any(k == "arrived_home" for _, k, _, _ in truth_events(path))
                for seed in seeds:
                    errors = Errors(**{**model.__dict__, "sampling": sampling})
                    observed = observe(path, errors, seed=seed)
                    for engine, runner in (("car_bridge", run_engine), ("core", run_core)):
                        events, states = runner(observed)
                        per[engine].append(score(path, events, states, parked_from=parked_from))
                    if home_drive:
                        naive.append(score(path, [], run_naive(observed), parked_from=math.inf))
                    if home_drive:
                        events, states = run_learned(path, errors, observed, seed=seed)
                        learned.append(score(path, events, states, parked_from=parked_from))
                rows += [
                    _figures(
                        name, model_name, sampling, engine, scores, learned=learned, naive=naive
                    )
                    for engine, scores in per.items()
                ]
    totals = {
        engine: {
            "false": sum(r["false"] for r in rows if r["engine"] == engine),
            "missed": sum(r["missed"] for r in rows if r["engine"] == engine),
        }
        for engine in ("car_bridge", "core")
    }
    return {"seeds": len(seeds), "rows": rows, "totals": totals}


def table(figures: dict[str, Any]) -> str:
    """Return the replay figures as a table."""
    header = (
        f"{'case':34} {'errors':38} {'rate':5} | {'engine':5} "
        f"{'false':>5} {'miss':>4} {'p50 s':>6} {'max s':>6} {'max m':>6} {'flips':>5} "
        f"{'ETA MAE':>7} {'cover':>6} {'learned':>7} {'cover':>6} {'naive':>6} {'cover':>6}"
    )
    lines = [header, "-" * len(header)]
    lines += [_row(r) for r in figures["rows"]]
    lines.append("")
    lines += [
        f"{engine}: {t['false']} false and {t['missed']} missed events in all cases"
        f" and {figures['seeds']} seeds"
        for engine, t in figures["totals"].items()
    ]
    return "\n".join(lines)


def _eta(scores: list[Score]) -> tuple[float | None, float | None]:
    """Return the time-to-home MAE (min) and coverage of ``scores``."""
    errors = [e for s in scores for e in s.eta_errors]
    due = sum(s.eta_due for s in scores)
    shown = sum(s.eta_shown for s in scores)
    return statistics.mean(errors) if errors else None, shown / due if due else None


def _figures(
    case: str,
    model: str,
    sampling: str,
    engine: str,
    scores: list[Score],
    *,
    learned: list[Score],
    naive: list[Score],
) -> dict[str, Any]:
    delays_s = [d for s in scores for d in s.delays_s]
    delays_m = [d for s in scores for d in s.delays_m]
    mae, coverage = _eta(scores)
    mae_learned, coverage_learned = _eta(learned) if engine == "car_bridge" else (None, None)
    mae_naive, coverage_naive = _eta(naive) if engine == "car_bridge" else (None, None)
    return {
        "case": case,
        "errors": model,
        "sampling": sampling,
        "engine": engine,
        "false": sum(s.false for s in scores),
        "missed": sum(s.missed for s in scores),
        "delay_s_p50": statistics.median(delays_s) if delays_s else None,
        "delay_s_max": max(delays_s) if delays_s else None,
        "delay_m_max": max(delays_m) if delays_m else None,
        "parked_direction_changes": sum(s.parked_flips for s in scores),
        "eta_mae_min": mae,
        "eta_coverage": coverage,
        "eta_mae_learned_min": mae_learned,
        "eta_coverage_learned": coverage_learned,
        "eta_mae_naive_min": mae_naive,
        "eta_coverage_naive": coverage_naive,
    }


def _row(r: dict[str, Any]) -> str:
    def fmt(value: float | None, digits: int = 0) -> str:
        return "-" if value is None else f"{value:.{digits}f}"

    def pct(value: float | None) -> str:
        return f"{fmt(None if value is None else 100 * value):>5}%"

    return (
        f"{r['case']:34} {r['errors']:38} {r['sampling']:5} | "
        f"{'CB' if r['engine'] == 'car_bridge' else 'core':5} "
        f"{r['false']:>5} {r['missed']:>4} {fmt(r['delay_s_p50']):>6} "
        f"{fmt(r['delay_s_max']):>6} {fmt(r['delay_m_max']):>6} "
        f"{r['parked_direction_changes']:>5} {fmt(r['eta_mae_min'], 2):>7} "
        f"{pct(r['eta_coverage'])} {fmt(r['eta_mae_learned_min'], 2):>7} "
        f"{pct(r['eta_coverage_learned'])} {fmt(r['eta_mae_naive_min'], 2):>6} "
        f"{pct(r['eta_coverage_naive'])}"
    )
