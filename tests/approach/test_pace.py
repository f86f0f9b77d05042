"""The learned pace home: time to home from the car's own trips (issue 21, point 5)."""

from __future__ import annotations

from datetime import timedelta
import json
import math
import statistics

import pytest

from custom_components.car_bridge.approach.engine import (
    ApproachConfig,
    ApproachEngine,
    Direction,
)
from custom_components.car_bridge.approach.pace import (
    BANDS,
    EDGES_M,
    MAX_COUNT,
    Pace,
    PaceProfile,
)

from .noise import HOME, T0, Errors, Observed, Path, commute_out, drive, observe, tangential

CITY = drive([(3000, 70), (5000, 30)], start_m=8000, wiggle_m=600, stops_every_s=150)
MIXED = drive([(9000, 80), (4000, 35)], start_m=12000, wiggle_m=400, stops_every_s=240)
OPEN = drive([(8000, 90)], start_m=8000, bearing=120)
DRIFT = Errors(sigma=15.0, tau=60.0)


def engine() -> ApproachEngine:
    return ApproachEngine(ApproachConfig(), HOME)


class Days:
    """Days through one engine: out along the route, parked an hour, then home."""

    def __init__(self, eng: ApproachEngine | None = None) -> None:
        self.engine = eng or engine()
        self.at = timedelta()

    def feed(self, observed: Observed) -> list[tuple[float, int | None, Direction]]:
        """Feed fixes ``self.at`` later; return (s into them, time to home, direction)."""
        out: list[tuple[float, int | None, Direction]] = []
        for now, fix, _ in observed:
            self.engine.update(fix, now + self.at)
            state = self.engine.state
            assert state is not None
            out.append(((now - T0).total_seconds(), state.time_to_home_min, state.direction))
        self.at += timedelta(seconds=(observed[-1][0] - T0).total_seconds() + 1)
        return out

    def home(
        self, path: Path, errors: Errors, seed: int
    ) -> list[tuple[float, int | None, Direction]]:
        """A day: the drive out, the park, ``path`` home; return the drive home's estimates."""
        self.feed(observe(commute_out(path), errors, seed=seed + 500))
        return self.feed(observe(path, errors, seed=seed))


def arrival_s(path: Path) -> float:
    return next(t for t, n, e, _ in path if math.hypot(n, e) <= HOME.radius)


def eta_figures(
    path: Path, shown: list[tuple[float, int | None, Direction]]
) -> tuple[float, float]:
    """Return the time-to-home MAE (min) over the last 15 min, and the share with a value."""
    arrival = arrival_s(path)
    due = [(t, eta) for t, eta, _ in shown if arrival - 900 <= t < arrival - 30]
    errors = [abs(eta - (arrival - t) / 60) for t, eta in due if eta is not None]
    return statistics.mean(errors), len(errors) / len(due)


@pytest.mark.parametrize("sampling", ["1s", "15s"])
@pytest.mark.parametrize("path", [CITY, MIXED], ids=["city 8 km", "mixed 12 km"])
def test_after_three_drives_home_the_city_time_to_home_is_within_a_minute(
    path: Path, sampling: str
) -> None:
    errors = Errors(sigma=15.0, tau=60.0, sampling=sampling)
    first = eta_figures(path, Days().home(path, errors, seed=1))
    days = Days()
    for seed in (11, 12, 13):
        days.home(path, errors, seed)
    learned = eta_figures(path, days.home(path, errors, seed=1))
    assert first[0] > 2.0  # the straight-line closing speed misses the city's pace
    assert learned[0] <= 1.0
    assert learned[1] >= 0.95


def test_two_drives_are_enough() -> None:
    days = Days()
    for seed in (11, 12):
        days.home(CITY, DRIFT, seed)
    mae, coverage = eta_figures(CITY, days.home(CITY, DRIFT, seed=1))
    assert mae <= 1.0
    assert coverage >= 0.95


def test_a_first_trip_is_what_the_closing_speed_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a profile nothing changes: the same fixes give the same estimates."""
    observed = observe(CITY, DRIFT, seed=3)
    today = Days().feed(observed)
    monkeypatch.setattr(Pace, "estimate_s", lambda self, t, distance: None)
    closing_only = Days().feed(observed)
    assert today == closing_only
    assert any(eta is not None for _, eta, _ in today)


def test_a_changed_route_takes_over_in_a_few_trips() -> None:
    days = Days()
    for seed in (11, 12, 13):
        days.home(CITY, DRIFT, seed)
    stale = eta_figures(OPEN, days.home(OPEN, DRIFT, seed=21))
    for seed in (22, 23):
        days.home(OPEN, DRIFT, seed)
    adapted = eta_figures(OPEN, days.home(OPEN, DRIFT, seed=1))
    assert stale[0] > 2.0  # the city's pace on the open road
    assert adapted[0] <= 1.0


def test_a_jam_today_still_counts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same road at half the usual pace: today's pace scales the learned time."""

    def jammed() -> float:
        days = Days()
        for seed in (11, 12, 13):
            days.home(OPEN, DRIFT, seed)
        jam = drive([(8000, 45)], start_m=8000, bearing=120)
        return eta_figures(jam, days.home(jam, DRIFT, seed=1))[0]

    scaled = jammed()
    monkeypatch.setattr(Pace, "_ratio", lambda self, t, distance, learned: 1.0)
    learned_alone = jammed()
    assert learned_alone > 2.5  # the learned time alone is about half the truth
    assert scaled <= 1.75
    assert scaled < learned_alone - 1.0


def _home_then_along(ring_m: float = 3100.0) -> Path:
    """Heading home from 6 km, then along a road around home (5 degrees off its tangent)."""
    start = ring_m + 300.0
    inward: Path = [
        (float(t), 6000.0 - 14.0 * t, 0.0, 14.0) for t in range(int((6000 - start) / 14))
    ]
    t0 = inward[-1][0] + 1
    return inward + [(t + t0, n, e, v) for t, n, e, v in tangential(ring_m)]


def test_on_a_road_around_home_a_learned_estimate_stays() -> None:
    errors = Errors(white=5.0, report_speed=True)
    days = Days()
    for seed in (11, 12):
        days.home(OPEN, DRIFT, seed)
    shown = days.feed(observe(_home_then_along(), errors, seed=4))
    along = [eta for _, eta, direction in shown if direction is Direction.STATIONARY]
    assert along, "the road along the ring is seen as stationary"
    assert sum(eta is not None for eta in along) >= 0.9 * len(along)
    # Without a profile the closing speed of the way in stays (the car is
    # still under way; nothing says how long the road around home is): the
    # time shown does not grow, and shrinks as the road nears home.
    fresh = Days().feed(observe(_home_then_along(), errors, seed=4))
    towards = next(i for i, (_, _, d) in enumerate(fresh) if d is Direction.TOWARDS)
    turned = next(
        i for i, (_, _, d) in enumerate(fresh) if i > towards and d is Direction.STATIONARY
    )
    before = fresh[turned - 1][1]
    assert before is not None
    kept = [eta for _, eta, d in fresh[turned:] if d is Direction.STATIONARY]
    assert sum(eta is not None for eta in kept) >= 0.9 * len(kept)
    assert all(eta <= before + 1 for eta in kept if eta is not None)


def test_no_learned_estimate_while_driving_on_away_after_a_stop() -> None:
    """Out 1.2 km, 10 min stopped, then on away: nothing to show, nothing to fire.

    Its direction stays stationary until it has moved far enough to judge
    (as after a restart minutes later: tests/adversarial/test_restart_attacks
    caught it), but it is going away.
    """
    config = ApproachConfig(time_to_home_minutes=(3.0,))
    days = Days(ApproachEngine(config, HOME))
    for seed in (11, 12):
        days.home(OPEN, DRIFT, seed)
    out: Path = [(float(t), 300.0 + 30.0 * t, 0.0, 30.0) for t in range(30)]
    out += [(30.0 + t, 1200.0, 0.0, 0.0) for t in range(600)]
    out += [(630.0 + t, 1200.0 + 30.0 * t, 0.0, 30.0) for t in range(100)]
    fired = []
    shown = []
    for now, fix, _ in observe(out, Errors(white=5.0, report_speed=True), seed=8):
        fired += [e for e in days.engine.update(fix, now + days.at) if e.minutes is not None]
        state = days.engine.state
        assert state is not None
        shown.append(((now - T0).total_seconds(), state.direction, state.time_to_home_min))
    assert any(d is Direction.STATIONARY for t, d, _ in shown if t >= 630)  # the case
    assert all(eta is None for _, _, eta in shown)
    assert not fired


def test_a_long_stop_or_outage_teaches_nothing_beyond_it() -> None:
    """A car parked 30 min at 4 km, or unseen for 20 min, starts its trip again there."""
    # 8 km -> 4 km, parked 30 min, then 4 km home.
    first = drive([(4000, 50)], start_m=4000, park_s=0)
    rows = [(t, n + 4000, e, v) for t, n, e, v in first]
    t_end = rows[-1][0]
    rows += [(t_end + 1 + s, 4000.0, 0.0, 0.0) for s in range(1800)]
    rows += [(t + t_end + 1801, n, e, v) for t, n, e, v in drive([(4000, 50)], start_m=4000)]
    eng = engine()
    Days(eng).feed(observe(rows, DRIFT, seed=5))
    bands = eng._eta.pace.profile.bands
    learned = [EDGES_M[k + 1] for k, b in enumerate(bands) if b is not None]
    assert learned
    assert max(learned) <= 5000  # nothing from before the stop
    assert all(b.pace < 1 / (10 / 3.6) for b in bands if b is not None)  # none with the stop

    gap = [row for row in CITY if not 200 <= row[0] < 1400]  # unseen 20 min at 3-4 km
    eng = engine()
    Days(eng).feed(observe(gap, DRIFT, seed=6))
    bands = eng._eta.pace.profile.bands
    assert bands[EDGES_M.index(8000) - 1] is None


def test_slow_fixes_cross_an_edge_at_the_pace_before_them() -> None:
    """A phone's next fix comes 5 min later, the car parked: it arrived at its pace, not then."""
    pace = Pace()
    for t in range(0, 181, 30):  # 15 m/s, a fix every 30 s, the last 300 m out
        pace.observe(float(t), 3000.0 - 15.0 * t, at_home=False, moving=True)
    pace.observe(480.0, -100.0, at_home=True, moving=False)
    band = pace.profile.bands[0]
    assert band is not None
    # Spread evenly over the gap the last 500 m would have taken 4 min (2 m/s).
    assert band.pace == pytest.approx(1 / 15.0, rel=0.05)


def test_an_absurd_pace_is_not_learned() -> None:
    pace = Pace()
    # 5 km in 10 s, then home.
    for t, d, home in ((0.0, 5200.0, False), (5.0, 2000.0, False), (10.0, -50.0, True)):
        pace.observe(t, d, at_home=home, moving=True)
    assert pace.profile.empty


def test_the_profile_survives_a_restart() -> None:
    days = Days()
    for seed in (11, 12):
        days.home(CITY, DRIFT, seed)
    saved = days.engine.as_dict()
    assert saved is not None
    saved = json.loads(json.dumps(saved))
    assert "pace" in saved
    again = engine()
    assert again.restore(saved) == []
    assert again._eta.pace.profile.to_json() == days.engine._eta.pace.profile.to_json()
    # The restored engine estimates the next drive home as the one that learned.
    restored = Days(again)
    restored.at = days.at
    assert restored.home(CITY, DRIFT, seed=1) == days.home(CITY, DRIFT, seed=1)


@pytest.mark.parametrize(
    "bad",
    [
        "pace",
        {"edges": list(EDGES_M), "bands": [[0.1, 1]] * (BANDS - 1)},
        {"edges": [0, 1, 2], "bands": [None] * BANDS},
        {"edges": list(EDGES_M), "bands": [[math.nan, 1]] + [None] * (BANDS - 1)},
        {"edges": list(EDGES_M), "bands": [[1e-9, 1]] + [None] * (BANDS - 1)},
        {"edges": list(EDGES_M), "bands": [[0.1, 0]] + [None] * (BANDS - 1)},
        {"edges": list(EDGES_M), "bands": [[0.1, True]] + [None] * (BANDS - 1)},
        {"edges": list(EDGES_M), "bands": [[0.1, MAX_COUNT + 1]] + [None] * (BANDS - 1)},
        {"bands": [None] * BANDS},
    ],
)
def test_a_corrupted_profile_is_dropped_alone(bad: object) -> None:
    days = Days()
    days.home(CITY, DRIFT, seed=11)
    saved = days.engine.as_dict()
    assert saved is not None
    saved["pace"] = bad
    again = engine()
    assert again.restore(saved) == ["pace"]
    assert again._eta.pace.profile.empty
    assert again.state is not None  # the rest resumed


def test_a_save_from_before_the_profile_restores_without_a_warning() -> None:
    days = Days()
    days.feed(observe(CITY, DRIFT, seed=7)[:200])
    saved = days.engine.as_dict()
    assert saved is not None
    assert "pace" not in saved  # nothing learned yet: the file is as before
    again = engine()
    assert again.restore(saved) == []
    assert again._eta.pace.profile.empty


def test_a_moved_home_forgets_the_profile() -> None:
    days = Days()
    days.home(CITY, DRIFT, seed=11)
    assert not days.engine._eta.pace.profile.empty
    days.engine.set_home(HOME.__class__(HOME.latitude + 0.05, HOME.longitude, HOME.radius))
    assert days.engine._eta.pace.profile.empty


def test_memory_is_bounded() -> None:
    pace = Pace()
    for trip in range(200):
        base = trip * 10_000.0
        steps = [(base + i * 30.0, 60_000.0 - i * 400.0) for i in range(151)]
        for t, d in steps:
            pace.observe(t, d, at_home=False, moving=True)
        pace.observe(base + 151 * 30.0, -50.0, at_home=True, moving=True)
    bands = pace.profile.bands
    assert len(bands) == BANDS
    assert all(b is not None and b.count <= MAX_COUNT for b in bands)
    assert len(json.dumps(pace.profile.to_json())) < 1000
    assert PaceProfile.from_json(json.loads(json.dumps(pace.profile.to_json()))).to_json() == (
        pace.profile.to_json()
    )


def test_a_long_stop_on_the_way_home_teaches_nothing_of_its_band() -> None:
    """Five trips at 10 m/s from 3 km; then one with a 9-minute stop at 1.5 km."""

    def trip(pace: Pace, start: float, stop_s: float = 0.0) -> None:
        t, d = start, 3000.0
        while d > 0:
            pace.observe(t, d, at_home=False, moving=True)
            if stop_s and 1500 <= d < 1600:
                for s in range(30, int(stop_s) + 1, 30):  # standing, a fix each 30 s
                    pace.observe(t + s, d, at_home=False, moving=False)
                t += stop_s
            t, d = t + 10.0, d - 100.0
        pace.observe(t, -50.0, at_home=True, moving=True)

    pace = Pace()
    for n in range(5):
        trip(pace, n * 10_000.0)
    learned = pace.profile.time_from(1900.0)
    assert learned == pytest.approx(190.0, abs=15)
    trip(pace, 60_000.0, stop_s=540.0)
    # The bands the car drove through normally still learn; the 1-2 km band keeps its pace.
    assert pace.profile.time_from(1900.0) == pytest.approx(learned, abs=5)
    # A stop at lights (45 s) is part of the pace and is learned.
    trip(pace, 80_000.0, stop_s=45.0)
    assert pace.profile.time_from(1900.0) > learned + 10
