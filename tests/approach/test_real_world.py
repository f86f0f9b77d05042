"""The approach engine on real-world GPS: glitches, gaps, bad fixes, small zones, restarts."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
import json
import math
from typing import Any

from hypothesis import HealthCheck, given, settings, strategies as st
import pytest

from custom_components.car_bridge.approach.engine import (
    UNKNOWN_ACCURACY_M,
    ApproachConfig,
    ApproachEngine,
    ApproachState,
    Direction,
    Fix,
    Home,
    MalformedStateError,
)
from custom_components.car_bridge.approach.geo import destination_point, offset_point

from .traces import HOME, T0, Drive, Trace, drive_home, parked

type Events = list[tuple[str, float | None]]


def run(
    trace: Trace, engine: ApproachEngine | None = None, home: Home = HOME
) -> tuple[Events, list[ApproachState | None]]:
    """Feed a trace; return the events and the state after every fix."""
    eng = engine or ApproachEngine(ApproachConfig(), home)
    events: Events = []
    states: list[ApproachState | None] = []
    for now, fix, _ in trace:
        events += [(e.type.value, e.threshold_km) for e in eng.update(fix, now)]
        states.append(eng.state)
        assert_one_answer(eng.state)
    return events, states


def assert_one_answer(state: ApproachState | None) -> None:
    """At home, distance 0 and direction ``arrived`` are one answer."""
    if state is None:
        return
    assert state.at_home == (state.distance_m == 0) == (state.direction is Direction.ARRIVED)


DRIVE_HOME = [("approaching", 5.0), ("approaching", 1.0), ("arrived_home", None)]


def test_glitch_at_home_during_a_drive_fires_nothing_and_changes_nothing() -> None:
    trace = drive_home(Drive(start_km=8.0, kmh=11 * 3.6, accuracy=10.0))
    at_7km = next(i for i, (_, _, d) in enumerate(trace) if d <= 6900)
    now, fix, _ = trace[at_7km]
    centre = replace(fix, latitude=HOME.latitude, longitude=HOME.longitude)
    lat, lon = offset_point(fix.latitude, fix.longitude, 0.0, 2000.0)
    sideways = replace(fix, latitude=lat, longitude=lon)
    glitched = list(trace)
    glitched[at_7km] = (now, centre, 0.0)
    glitched[at_7km + 60] = (glitched[at_7km + 60][0], sideways, 0.0)
    clean_events, _ = run(trace)
    events, states = run(glitched)
    assert events == clean_events == DRIVE_HOME
    # The glitch fixes leave every conclusion where it was.
    assert states[at_7km] == states[at_7km - 1]
    assert states[at_7km + 60] == states[at_7km + 59]


@pytest.mark.parametrize("repeats", [2, 3, 10])
def test_a_stale_fix_repeated_is_still_a_glitch(repeats: int) -> None:
    """A tracker restarting replays its stale position more than once: no second opinion."""
    trace = drive_home(Drive(start_km=8.0, kmh=11 * 3.6, accuracy=10.0))
    at_7km = next(i for i, (_, _, d) in enumerate(trace) if d <= 6900)
    glitched = list(trace)
    for i in range(at_7km, at_7km + repeats):
        now, fix, _ = trace[i]
        glitched[i] = (now, replace(fix, latitude=HOME.latitude, longitude=HOME.longitude), 0.0)
    events, states = run(glitched)
    assert events == DRIVE_HOME
    assert states[at_7km + repeats - 1] == states[at_7km - 1]


def test_a_real_jump_repeated_then_confirmed() -> None:
    """Repeats of a jump confirm nothing; fixes of their own near it do, and so does time.

    A jump no car can make needs two agreeing fixes after it (defect 2 of issue 21:
    two mutually consistent glitches used to move the car).
    """

    def at(km: float) -> Fix:
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0.0, km * 1000)
        return Fix(latitude=lat, longitude=lon, accuracy=10.0)

    for confirm_after, confirmation in ((5, at(2.99)), (240, at(3.0))):
        eng = ApproachEngine(ApproachConfig(), HOME)
        eng.update(at(40.0), T0)  # so far that no car gets to 3 km within minutes
        for second in range(1, confirm_after):
            assert eng.update(at(3.0), T0 + timedelta(seconds=second)) == []
        if confirm_after == 5:  # a first fix of its own is not yet enough
            assert eng.update(at(2.995), T0 + timedelta(seconds=confirm_after)) == []
        events = eng.update(confirmation, T0 + timedelta(seconds=confirm_after + 1))
        assert [(e.type.value, e.threshold_km) for e in events] == [("approaching", 5.0)]
        assert eng.state is not None
        assert eng.state.distance_m == pytest.approx(2900, abs=15)


@pytest.mark.parametrize("gap", ["tunnel", "freeze"])
def test_gaps_and_a_frozen_gps_that_catches_up(gap: str) -> None:
    kind = {"tunnel_km": (6.0, 4.5)} if gap == "tunnel" else {"freeze_km": (6.0, 4.5)}
    trace = drive_home(Drive(start_km=8.0, sigma=10.0, **kind))  # type: ignore[arg-type]
    events, states = run(trace)
    assert events == DRIVE_HOME
    # The catch-up jump is accepted within two fixes.
    after = next(i for i, (_, _, d) in enumerate(trace) if d < 4400)
    state = states[after + 1]
    assert state is not None
    assert abs(state.distance_m - trace[after + 1][2]) < 250


def test_two_unrelated_jumps_then_a_confirmation_of_the_first() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)

    def at(km: float, bearing: float = 0.0) -> Fix:
        lat, lon = destination_point(HOME.latitude, HOME.longitude, bearing, km * 1000)
        return Fix(latitude=lat, longitude=lon, accuracy=10.0)

    eng.update(at(8.0), T0)
    assert eng.update(at(3.0), T0 + timedelta(seconds=1)) == []  # held back
    assert eng.update(at(3.0, bearing=180.0), T0 + timedelta(seconds=2)) == []  # held back
    assert eng.update(at(2.995), T0 + timedelta(seconds=3)) == []  # one agreeing fix: not enough
    events = eng.update(at(2.99), T0 + timedelta(seconds=4))  # confirms the first jump only
    assert [(e.type.value, e.threshold_km) for e in events] == [("approaching", 5.0)]
    assert eng.state is not None
    assert eng.state.distance_m == pytest.approx(2900, abs=5)  # shown: the jump's place
    assert eng.state.direction is Direction.TOWARDS


def test_stops_on_the_way_fire_each_event_once() -> None:
    trace = drive_home(Drive(start_km=8.0, sigma=25.0, stops_at_km=(5.05, 1.02, 0.3)))
    events, _ = run(trace)
    assert events == DRIVE_HOME


@pytest.mark.parametrize(
    "bad",
    [
        Fix(latitude=0.0, longitude=0.0, accuracy=5.0),
        Fix(latitude=math.nan, longitude=HOME.longitude, accuracy=5.0),
        Fix(latitude=HOME.latitude, longitude=math.inf, accuracy=5.0),
        Fix(latitude=91.0, longitude=HOME.longitude, accuracy=5.0),
        Fix(latitude=HOME.latitude, longitude=-181.0, accuracy=5.0),
        Fix(latitude=HOME.latitude, longitude=HOME.longitude, accuracy=math.nan),
        Fix(latitude=HOME.latitude, longitude=HOME.longitude, accuracy=-1.0),
        Fix(latitude="x", longitude=HOME.longitude, accuracy=5.0),  # type: ignore[arg-type]
        Fix(latitude=HOME.latitude, longitude=HOME.longitude, accuracy="?"),  # type: ignore[arg-type]
    ],
)
def test_unusable_fixes_change_nothing(bad: Fix) -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    assert eng.update(bad, T0) == []
    assert eng.state is None
    far = Fix(latitude=HOME.latitude + 0.03, longitude=HOME.longitude, accuracy=5.0)
    eng.update(far, T0)
    before = eng.as_dict()
    assert eng.update(bad, T0 + timedelta(seconds=1)) == []
    assert eng.as_dict() == before


def test_out_of_order_and_repeated_fixes_are_dropped() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    far = Fix(latitude=HOME.latitude + 0.03, longitude=HOME.longitude, accuracy=5.0)
    home = Fix(latitude=HOME.latitude, longitude=HOME.longitude, accuracy=5.0)
    eng.update(far, T0 + timedelta(minutes=30))
    before = eng.state
    assert eng.update(home, T0) == []  # older: delivered late
    assert eng.update(home, T0 + timedelta(minutes=30)) == []  # same time again
    assert eng.state == before


def test_a_clock_set_back_is_adopted_after_a_steady_run() -> None:
    """A Raspberry Pi without a real-time clock may restart hours in the past."""
    eng = ApproachEngine(ApproachConfig(), HOME)
    trace = drive_home(Drive(start_km=8.0))
    now0 = trace[0][0]
    run(trace[:100], eng)
    # A single late fix is dropped; a steady run of fixes on a clock five
    # hours back is the clock, and the drive goes on from there.
    events: Events = []
    for now, fix, _ in trace[100:]:
        events += [
            (e.type.value, e.threshold_km) for e in eng.update(fix, now - timedelta(hours=5))
        ]
        assert_one_answer(eng.state)
    assert events == DRIVE_HOME
    # Set back again while parked at home: nothing happens.
    for i, (now, fix, _) in enumerate(trace[-5:]):
        assert eng.update(fix, now - timedelta(hours=10) + timedelta(seconds=i)) == []
    assert eng.state is not None
    assert eng.state.at_home
    before = eng.state
    assert eng.update(trace[0][1], now0 - timedelta(hours=16)) == []  # one late fix: dropped
    assert eng.state == before


def test_unknown_accuracy_is_not_perfect() -> None:
    for accuracy in (None, 0.0):
        eng = ApproachEngine(ApproachConfig(thresholds_km=(5.0,)), HOME)
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, 5200)
        eng.update(Fix(latitude=lat, longitude=lon, accuracy=accuracy, speed=40.0), T0)
        # 20 m inside the threshold: not sure with an unknown accuracy.
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, 5080)
        assert (
            eng.update(
                Fix(latitude=lat, longitude=lon, accuracy=accuracy, speed=40.0),
                T0 + timedelta(seconds=20),
            )
            == []
        )
        state = eng.state
        assert state is not None
        assert state.accuracy == UNKNOWN_ACCURACY_M
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, 5030)
        events = eng.update(
            Fix(latitude=lat, longitude=lon, accuracy=accuracy, speed=40.0),
            T0 + timedelta(seconds=25),
        )
        assert [e.type.value for e in events] == ["approaching"]


def test_poor_first_fix_waits_for_a_usable_one() -> None:
    eng = ApproachEngine(ApproachConfig(max_accuracy_m=200.0), HOME)
    lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, 3000)
    assert eng.update(Fix(latitude=lat, longitude=lon, accuracy=225.0), T0) == []
    assert eng.state is None
    assert eng.as_dict() is None
    assert (
        eng.update(Fix(latitude=lat, longitude=lon, accuracy=20.0), T0 + timedelta(seconds=600))
        == []
    )
    assert eng.state is not None
    assert not eng.state.at_home


def test_slow_sources_move_normally() -> None:
    """A cloud API polled every 15 min: 12 km between fixes is a normal drive."""
    eng = ApproachEngine(ApproachConfig(), HOME)
    events: Events = []
    for i, km in enumerate((30.0, 18.0, 3.0, 0.0)):
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, km * 1000)
        fix = Fix(latitude=lat, longitude=lon, accuracy=None)
        events += [
            (e.type.value, e.threshold_km) for e in eng.update(fix, T0 + timedelta(minutes=15 * i))
        ]
        if km == 3.0:
            assert events == [("approaching", 5.0)]
    assert events == DRIVE_HOME


def test_a_car_polled_every_15_min_gets_its_crossings_and_time_to_home() -> None:
    """Its other values come minutes after each fix, so it turns stationary in between.

    Still each crossing fires at the fix that makes it, and a time to home is
    shown on the way in (each 15-minute interval is the car's own pace).
    """
    eng = ApproachEngine(ApproachConfig(), HOME)
    seen: list[tuple[float, list[tuple[str, float | None]], int | None]] = []
    for i, km in enumerate((12.0, 9.0, 6.0, 3.5, 0.7, 0.0)):
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, km * 1000)
        at = T0 + timedelta(minutes=15 * i)
        fired = [
            (e.type.value, e.threshold_km)
            for e in eng.update(Fix(latitude=lat, longitude=lon, accuracy=20.0), at)
        ]
        state = eng.state
        assert state is not None
        seen.append((km, fired, state.time_to_home_min))
        eng.note_time(at + timedelta(seconds=200))  # the car's other values
    assert [(km, fired) for km, fired, _ in seen if fired] == [
        (3.5, [("approaching", 5.0)]),
        (0.7, [("approaching", 1.0)]),
        (0.0, [("arrived_home", None)]),
    ]
    # Each interval is the pace: 3 km in 15 min to 6 km (5.9 km to go: 30
    # min), then 2.5 km (3.4 km to go at that pace: 20 min). The first one
    # started from a standstill and says nothing.
    shown = {km: eta for km, _, eta in seen}
    assert shown[9.0] is None
    assert shown[6.0] is not None
    assert abs(shown[6.0] - 30) <= 2
    assert shown[3.5] is not None
    assert abs(shown[3.5] - 20) <= 2


def _feed(eng: ApproachEngine, plan: list[tuple[float, float | None]]) -> Events:
    """Feed (s, km north of the centre) fixes; None for a km: only time passes (other values)."""
    events: Events = []
    for s, km in plan:
        at = T0 + timedelta(seconds=s)
        if km is None:
            eng.note_time(at)
            continue
        lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, km * 1000)
        fix = Fix(latitude=lat, longitude=lon, accuracy=20.0)
        events += [(e.type.value, e.threshold_km) for e in eng.update(fix, at)]
    return events


@pytest.mark.parametrize(
    "plan",
    [
        # A phone every 240 s, stationary between fixes by the time passing.
        [(0, 12.0), (240, 9.0), (480, 6.0), (720, 3.0), (920, None), (960, 6.5), (1200, 0.6)],
        # A gap twice the usual (a comeback), the glitch its first fix.
        [(0, 9.0), (150, 6.9), (300, 4.8), (450, 2.7), (750, 6.6), (900, 1.5), (1050, 0.6)],
    ],
    ids=["stationary_between_fixes", "comeback"],
)
def test_a_glitch_back_after_a_silence_fires_nothing(
    plan: list[tuple[float, float | None]],
) -> None:
    """A phone's lone glitch 3.5-4 km back: no `leaving`, and `approaching` 5 km only once."""
    events = _feed(ApproachEngine(ApproachConfig(), HOME), [*plan, (plan[-1][0] + 240, 0.0)])
    assert events == [*DRIVE_HOME]


def test_time_to_home_after_a_tracker_slept_through_a_park() -> None:
    """The tracker stops as the car parks 9 km out (still under way to the engine).

    An hour later it reports again, one fix a second, the car driving home at
    50 km/h: the hour between is no part of the pace.
    """
    plan: list[tuple[float, float | None]] = [(s, 12.0 - s * 0.0139) for s in range(200)]
    plan.append((500, None))
    start = 3800
    plan += [(start + s, 8.0 - s * 0.0139) for s in range(216)]
    eng = ApproachEngine(ApproachConfig(), HOME)
    _feed(eng, plan)
    state = eng.state
    assert state is not None
    assert state.time_to_home_min is not None
    assert abs(state.time_to_home_min - 4.9 / 50 * 60) <= 1


def test_detection_delay_on_a_1hz_drive_with_10m_accuracy() -> None:
    trace = drive_home(Drive(start_km=8.0, kmh=50, sigma=10 / 1.5, accuracy=10.0, seed=5))
    eng = ApproachEngine(ApproachConfig(), HOME)
    entered = next(t for t, _, d in trace if d <= 0)
    for now, fix, true_edge in trace:
        for event in eng.update(fix, now):
            if event.threshold_km is not None:
                past = event.threshold_km * 1000 - true_edge
                assert 0 <= past <= 50
            else:
                assert timedelta(0) <= now - entered <= timedelta(seconds=5)


@pytest.mark.parametrize(("km", "sigma"), [(5.1, 30.0), (5.0, 30.0), (0.1, 30.0), (0.16, 30.0)])
def test_parked_with_noise_is_still(km: float, sigma: float) -> None:
    events, states = run(parked(km, sigma, 1800))
    assert events == []
    assert len({s.direction for s in states if s}) == 1
    assert len({s.at_home for s in states if s}) == 1


@pytest.mark.parametrize("seed", range(8))
def test_parked_anywhere_near_an_edge_fires_nothing_whatever_the_noise(seed: int) -> None:
    """Parked 30 min with sigma 30 m on, just inside and just outside each edge."""
    for km in (5.1, 5.0, 5.2, 1.1, 0.1, 0.13, 0.16):
        events, states = run(parked(km, 30.0, 1800, seed=seed))
        assert events == [], (km, events)
        assert len({(s.direction, s.at_home) for s in states if s}) == 1


@pytest.mark.parametrize(("radius", "sigma"), [(0.0, 0.0), (0.0, 30.0), (40.0, 30.0), (10.0, 15.0)])
@pytest.mark.parametrize("report_speed", [True, False])
def test_small_zones_arrive_once(radius: float, sigma: float, report_speed: bool) -> None:
    home = replace(HOME, radius=radius)
    trace = drive_home(
        Drive(home=home, sigma=sigma, parked_after_s=1800, report_speed=report_speed)
    )
    events, _ = run(trace, home=home)
    assert events == DRIVE_HOME


@pytest.mark.parametrize("report_speed", [True, False])
def test_parked_inside_near_the_edge_of_a_small_zone_arrives_once(report_speed: bool) -> None:
    """50 m zone, the car stops 35 m from its centre, sigma 20 m (accuracy 30 m)."""
    home = replace(HOME, radius=50.0)
    lat, lon = destination_point(home.latitude, home.longitude, 180.0, 35.0)
    parked_home = Home(lat, lon, 0.0)  # drive to the parking spot, not the centre
    trace = drive_home(
        Drive(home=parked_home, sigma=20.0, parked_after_s=1800, report_speed=report_speed)
    )
    events, states = run(trace, home=home)
    assert events == DRIVE_HOME
    assert states[-1] is not None
    assert states[-1].at_home


@pytest.mark.parametrize("km", [8.0, 30.0])
@pytest.mark.parametrize("kmh", [50.0, 100.0])
@pytest.mark.parametrize("sigma", [0.0, 25.0])
def test_time_to_home_is_right_within_a_minute(km: float, kmh: float, sigma: float) -> None:
    trace = drive_home(Drive(start_km=km, kmh=kmh, sigma=sigma, seed=7))
    _, states = run(trace)
    arrival = next(t for t, _, d in trace if d <= 0)
    errors, fired_at = [], None
    for (now, _, _), state in zip(trace, states, strict=True):
        left = (arrival - now).total_seconds() / 60
        if now < T0 + timedelta(minutes=1) or not 0 < left <= 15:
            continue
        assert state is not None
        assert state.time_to_home_min is not None
        errors.append(abs(state.time_to_home_min - left))
    for (now, _, _), state in zip(trace, states, strict=True):
        if (
            fired_at is None
            and state
            and state.time_to_home_min is not None
            and state.time_to_home_min <= 15
        ):
            fired_at = (arrival - now).total_seconds() / 60
    assert sum(errors) / len(errors) < 1
    if km == 30:
        assert fired_at is not None
        assert 14 <= fired_at <= 16


def test_zone_changes_re_evaluate_silently() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    run(drive_home(Drive(start_km=2.0)), eng)
    assert eng.state is not None
    assert eng.state.at_home
    moved = Home(HOME.latitude + 0.05, HOME.longitude, 100.0)
    for home in (moved, replace(moved, radius=6000.0), HOME, replace(HOME, radius=0.0)):
        eng.set_home(home)
        assert_one_answer(eng.state)
    assert eng.state.at_home  # radius 0, parked at the centre
    eng.set_home(moved)
    assert not eng.state.at_home
    assert eng.state.distance_m > 5000
    lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, 3)
    assert eng.update(Fix(latitude=lat, longitude=lon, accuracy=5.0), T0 + timedelta(hours=1)) == []


# -- restarts ---------------------------------------------------------------------


def reloaded_run(trace: Trace, reload_at: set[int]) -> Events:
    """Run a trace, saving and restoring the engine through JSON before some fixes."""
    eng = ApproachEngine(ApproachConfig(), HOME)
    events: Events = []
    for i, (now, fix, _) in enumerate(trace):
        if i in reload_at and (saved := eng.as_dict()) is not None:
            before = eng.state
            eng = ApproachEngine(ApproachConfig(), HOME)
            eng.restore(json.loads(json.dumps(saved)))
            assert eng.state == before
        events += [(e.type.value, e.threshold_km) for e in eng.update(fix, now)]
    return events


DRIVES = {
    "home_sigma0": drive_home(Drive(start_km=8.0, sigma=0.0, seed=2)),
    "home_sigma30": drive_home(Drive(start_km=8.0, sigma=30.0, seed=3, stops_at_km=(5.1,))),
    "away_sigma30": [
        (T0 + timedelta(hours=1) - (t - T0), f, d)
        for t, f, d in reversed(drive_home(Drive(start_km=6.0, sigma=30.0, seed=4)))
    ],
    "freeze_sigma30": drive_home(Drive(start_km=7.0, sigma=30.0, seed=5, freeze_km=(4.0, 3.0))),
}


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(name=st.sampled_from(sorted(DRIVES)), data=st.data())
def test_reloads_anywhere_change_no_event(name: str, data: st.DataObject) -> None:
    trace = DRIVES[name]
    reload_at = data.draw(st.sets(st.integers(0, len(trace) - 1), max_size=8))
    assert reloaded_run(trace, reload_at) == reloaded_run(trace, set())


def test_parked_at_5_11km_reload_then_drive_home() -> None:
    ring = parked(5.11, 30.0, 600)
    drive = [
        (t + timedelta(seconds=600), f, d) for t, f, d in drive_home(Drive(start_km=5.11, seed=9))
    ]
    trace = ring + drive
    plain = reloaded_run(trace, set())
    assert reloaded_run(trace, {600}) == plain
    assert plain.count(("approaching", 5.0)) <= 1


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(version=2),
        lambda d: d.update(state=[], last=None),
        lambda d: (d.pop("state"), d.pop("last")),
        lambda d: (d["state"].update(latitude="nan"), d["last"].update(accuracy=1e300)),
    ],
)
def test_malformed_saved_state_starts_fresh(mutate: Any) -> None:
    """Only a save of another format, or one without any sound position, is dropped whole."""
    eng = ApproachEngine(ApproachConfig(), HOME)
    run(drive_home(Drive(start_km=6.0))[:100], eng)
    saved = json.loads(json.dumps(eng.as_dict()))
    mutate(saved)
    fresh = ApproachEngine(ApproachConfig(), HOME)
    with pytest.raises(MalformedStateError):
        fresh.restore(saved)
    assert fresh.state is None
    with pytest.raises(MalformedStateError):
        fresh.restore([saved])


# One bad part of the save discards that part alone (issue 17): each case
# names what is discarded; the rest resumes, so the drive's events are the
# same as without the restart, none repeated and none lost.
PART_CASES = [
    (lambda d: d["state"].update(latitude="nan"), "state position"),
    (lambda d: d["state"].update(accuracy=[]), "state position"),
    (lambda d: d["state"].update(accuracy=1e300), "state position"),  # in every zone
    (lambda d: d["state"].update(at_home=1), "state at_home"),
    (lambda d: d["state"].update(direction="sideways"), "state direction"),
    (lambda d: d["state"].update(direction="arrived"), "state direction"),
    (lambda d: d["state"].update(time_to_home_min=-3), "state time_to_home_min"),
    (lambda d: d["state"].update(time_to_home_min=True), "state time_to_home_min"),
    (lambda d: d.update(state=[]), "state"),
    (lambda d: d.pop("state"), "state"),
    (lambda d: d.update(last=None), "last"),
    (lambda d: d["last"].update(accuracy=1e300), "last"),  # every jump reachable
    (lambda d: d["last"].update(time=None), "last"),
    (lambda d: d.update(last_time="yesterday"), "last_time"),
    (lambda d: d.update(last_time=5), "last_time"),
    (lambda d: d.update(last_move="2026-11-25T08:00:00"), "last_move"),
    (lambda d: d.update(speed=[1.0, -1.0]), "speed"),
    (lambda d: d.update(speed=[1.0]), "speed"),
    (lambda d: d.update(speed=[1e308, 1e-308]), "speed"),  # a mean of 10^616 m/s
    (lambda d: d.update(speed=[1e300, 1e300]), "speed"),  # sluggish for days
    (lambda d: d.update(crossings=[]), "crossings"),
    (lambda d: d["crossings"].update({"5.0": [True]}), "crossings 5.0"),
    (lambda d: d["crossings"].update({"x": [True, False]}), "crossings x"),
    (lambda d: d.update(time_to_home=[]), "time_to_home"),
    (lambda d: d.update(time_to_home={"5.0": "yes"}), "time_to_home 5.0"),
    (lambda d: d.update(home=[1, 2, math.inf]), "home"),
    (lambda d: d.update(home_exists="no"), "home_exists"),
    (lambda d: d.update(pending=[{"latitude": 1}]), "pending"),
    (lambda d: d.update(still=[0, 52.0, 4.0, 5.0, "2026-11-25T08:00:00+00:00"]), "still"),
    (lambda d: d.update(still=[2, 52.0, 4.0, 5.0, None]), "still"),
    (lambda d: d.update(still=[True, 52.0, 4.0, 5.0, "2026-11-25T08:00:00+00:00"]), "still"),
]


@pytest.mark.parametrize(("mutate", "name"), PART_CASES)
def test_one_bad_part_of_the_save_discards_only_itself(mutate: Any, name: str) -> None:
    trace = drive_home(Drive(start_km=6.0))
    cut = 150
    eng = ApproachEngine(ApproachConfig(time_to_home_minutes=(5.0,)), HOME)
    before, _ = run(trace[:cut], eng)
    saved = json.loads(json.dumps(eng.as_dict()))
    mutate(saved)
    resumed = ApproachEngine(ApproachConfig(time_to_home_minutes=(5.0,)), HOME)
    assert resumed.restore(saved) == [name]
    assert resumed.state is not None
    assert_one_answer(resumed.state)
    after, _ = run(trace[cut:], resumed)
    plain, _ = run(trace, ApproachEngine(ApproachConfig(time_to_home_minutes=(5.0,)), HOME))
    assert before + after == plain
    assert ("time_to_home_below", None) in plain


def test_sound_parts_are_kept_when_one_is_discarded() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    run(drive_home(Drive(start_km=6.0))[:150], eng)
    saved = json.loads(json.dumps(eng.as_dict()))
    saved["speed"] = "fast"
    resumed = ApproachEngine(ApproachConfig(), HOME)
    assert resumed.restore(saved) == ["speed"]
    assert resumed.state is not None
    assert eng.state is not None
    # Direction, position and the crossing arms are the saved ones.
    assert resumed.state.direction is Direction.TOWARDS
    assert resumed.state.distance_m == pytest.approx(eng.state.distance_m)
    assert resumed.as_dict()["crossings"] == saved["crossings"]  # type: ignore[index]


def test_a_sound_save_discards_nothing() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    run(drive_home(Drive(start_km=6.0))[:150], eng)
    resumed = ApproachEngine(ApproachConfig(), HOME)
    assert resumed.restore(json.loads(json.dumps(eng.as_dict()))) == []
    assert resumed.as_dict() == eng.as_dict()


def test_restore_under_a_moved_zone_re_evaluates() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    run(drive_home(Drive(start_km=2.0)), eng)
    saved = eng.as_dict()
    moved = ApproachEngine(ApproachConfig(), Home(HOME.latitude + 0.05, HOME.longitude, 100.0))
    moved.restore(saved)
    assert moved.state is not None
    assert not moved.state.at_home
    assert_one_answer(moved.state)


def test_odd_speed_and_heading_are_ignored() -> None:
    eng = ApproachEngine(ApproachConfig(), HOME)
    fix = Fix(latitude=HOME.latitude + 0.03, longitude=HOME.longitude, accuracy=5.0)
    odd = replace(fix, speed="fast", heading=math.nan)  # type: ignore[arg-type]
    assert eng.update(odd, T0) == []
    saved = eng.as_dict()
    assert saved is not None
    assert saved["last"]["speed"] is None
    assert saved["last"]["heading"] is None


@pytest.mark.parametrize(
    ("km", "at_home"), [(0.0, True), (0.15, True), (0.15, False), (3.0, False), (3.0, True)]
)
def test_first_release_save_resumes_silently(km: float, at_home: bool) -> None:
    lat, lon = destination_point(HOME.latitude, HOME.longitude, 0, km * 1000)
    eng = ApproachEngine(ApproachConfig(), HOME)
    eng.restore({"latitude": lat, "longitude": lon, "accuracy": 10.0, "at_home": at_home})
    assert eng.state is not None
    assert eng.state.at_home is (at_home and km < 1)
    assert_one_answer(eng.state)
    assert eng.update(Fix(latitude=lat, longitude=lon, accuracy=10.0), T0) == []
    with pytest.raises(MalformedStateError):
        eng.restore({"latitude": lat, "longitude": lon, "accuracy": 10.0, "at_home": "yes"})
