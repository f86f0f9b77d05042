"""The pure destination engine: held until the next trip, delivered once, saved."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import math

from custom_components.car_bridge.places import Place
from custom_components.car_bridge.places.destination import (
    DESTINATION_EXPIRED,
    DESTINATION_SENT,
    DestinationEngine,
    Status,
)
from custom_components.car_bridge.vehicle.model import Position, VehicleState

T0 = datetime(2026, 12, 3, 8, 0, tzinfo=UTC)
DAM = Place(latitude=52.3731, longitude=4.8922, name="Dam", origin="geo")
RIJKS = Place(latitude=52.36, longitude=4.8852, name="Rijksmuseum", origin="google_place")
HOME = (52.0907, 5.1214)


def _state(
    minutes: float = 0,
    *,
    locked: bool | None = None,
    speed: float | None = None,
    at: tuple[float, float] = HOME,
    accuracy: float | None = None,
) -> VehicleState:
    return VehicleState(
        timestamp=T0 + timedelta(minutes=minutes),
        position=Position(latitude=at[0], longitude=at[1], speed=speed, accuracy=accuracy),
        locked=locked,
    )


def _now(minutes: float) -> datetime:
    return T0 + timedelta(minutes=minutes)


def test_nothing_while_parked_and_locked_then_once_on_unlock() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(locked=True, speed=0), T0, text="Dam\ngeo:52.3731,4.8922")
    for minute in range(1, 30):
        assert engine.update(_state(minute, locked=True, speed=0), _now(minute)) == []
    assert engine.result is not None
    assert engine.result.status is Status.PENDING
    sent = engine.update(_state(30, locked=False, speed=0), _now(30))
    assert [c.type for c in sent] == [DESTINATION_SENT]
    assert sent[0].data["name"] == "Dam"
    assert sent[0].data["when"] == "next_trip"
    assert engine.result.status is Status.SENT
    assert engine.result.text == "Dam\ngeo:52.3731,4.8922"
    assert engine.update(_state(31, locked=True, speed=0), _now(31)) == []
    assert engine.update(_state(32, locked=False, speed=30), _now(32)) == []


def test_starts_moving_counts_where_the_lock_is_unknown() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(speed=0), T0)
    assert engine.update(_state(1, speed=0), _now(1)) == []
    assert len(engine.update(_state(2, speed=20), _now(2))) == 1


def test_held_while_driving_waits_for_the_next_trip() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(speed=50, at=(52.2, 5.0)), T0)
    assert engine.update(_state(1, speed=50, at=(52.25, 4.95)), _now(1)) == []
    assert engine.update(_state(5, speed=0, at=(52.3, 4.9)), _now(5)) == []
    assert len(engine.update(_state(60, speed=10, at=(52.3, 4.9)), _now(60))) == 1


def test_leaving_the_parking_place_counts_without_speed_or_lock() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(), T0)
    assert engine.update(_state(1, at=(52.0908, 5.1215)), _now(1)) == []  # jitter
    assert engine.update(_state(2, at=(52.2, 5.1214)), _now(2)) == []  # one far fix: a glitch?
    assert engine.update(_state(3, at=HOME), _now(3)) == []  # it was
    assert engine.update(_state(4, at=(52.2, 5.2), accuracy=2000), _now(4)) == []  # too vague
    assert engine.update(_state(5, at=(52.1, 5.13)), _now(5)) == []
    assert len(engine.update(_state(6, at=(52.11, 5.14)), _now(6))) == 1


def test_newer_replaces_and_clear_forgets() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(locked=True), T0)
    engine.hold(RIJKS, _state(1, locked=True), _now(1))
    sent = engine.update(_state(2, locked=False), _now(2))
    assert sent[0].data["name"] == "Rijksmuseum"
    engine.hold(DAM, _state(3, locked=True), _now(3))
    assert engine.clear() is True
    assert engine.clear() is False
    assert engine.result is None
    assert engine.update(_state(4, locked=False), _now(4)) == []


def test_expires() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(locked=True), T0, expires_after=timedelta(hours=1))
    assert engine.tick(_now(59)) == []
    assert engine.result is not None
    assert engine.result.status is Status.PENDING
    expired = engine.tick(_now(60))
    assert [c.type for c in expired] == [DESTINATION_EXPIRED]
    assert "when" not in expired[0].data
    assert engine.result.status is Status.EXPIRED
    assert engine.update(_state(61, locked=False), _now(61)) == []
    assert engine.tick(_now(62)) == []
    other = DestinationEngine()
    other.hold(DAM, _state(locked=True), T0, expires_after=timedelta(minutes=5))
    assert [c.type for c in other.update(_state(6, locked=False), _now(6))] == [DESTINATION_EXPIRED]
    assert other.result is not None
    assert other.result.status is Status.EXPIRED


def test_sent_now_and_undo() -> None:
    engine = DestinationEngine()
    conclusion = engine.sent_now(DAM, T0)
    assert conclusion.data["when"] == "now"
    assert engine.result is not None
    assert engine.result.status is Status.SENT
    engine.hold(RIJKS, _state(locked=True), T0)
    sent = engine.update(_state(1, locked=False), _now(1))
    assert sent
    assert engine.result is not None
    engine.undo_delivery(engine.result)
    assert engine.pending is not None
    engine.set_home(None)


def test_a_restart_in_between_loses_nothing() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(locked=True, speed=0), T0, text="shared")
    saved = engine.as_dict()
    restored = DestinationEngine()
    assert restored.restore(saved) == []
    assert restored.result == engine.result
    # Unlocked while Home Assistant was down: the first state after the restart sends it.
    assert len(restored.update(_state(10, locked=False, speed=0), _now(10))) == 1
    again = DestinationEngine()
    assert again.restore(restored.as_dict()) == []
    assert again.result is not None
    assert again.result.status is Status.SENT
    assert again.update(_state(11, locked=False, speed=20), _now(11)) == []
    assert DestinationEngine().as_dict() is None


def test_restore_keeps_what_is_sound() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(locked=True), T0)
    good = engine.as_dict()
    assert good is not None
    fresh = DestinationEngine()
    assert fresh.restore(None) == []
    assert fresh.restore([1, 2]) == ["destination"]
    for broken in (
        {**good, "latitude": 95.0},
        {**good, "latitude": True},
        {**good, "longitude": float("nan")},
        {**good, "status": "lost"},
        {**good, "requested": "yesterday"},
        {**good, "requested": "2026-12-03T08:00:00"},  # no time zone
        {**good, "requested": 5},
        {**good, "expires": None},
    ):
        assert fresh.restore(broken) == ["destination"]
        assert fresh.result is None
    parts = fresh.restore({**good, "was_locked": "yes", "parked_at": [1], "converted_from": "x"})
    assert parts == ["destination was_locked", "destination parked_at"]
    assert fresh.result is not None
    assert fresh.result.place.converted_from is None
    assert fresh.restore({**good, "converted_from": "gcj02", "name": 3}) == []
    assert fresh.result is not None
    assert fresh.result.place.name is None


def test_unusable_fixes_are_no_trip() -> None:
    engine = DestinationEngine()
    engine.hold(DAM, _state(at=(float("nan"), 4.0)), T0)
    for minute, at in enumerate([HOME, (52.0907, float("inf")), (95.0, 5.0), (float("nan"), 1.0)]):
        assert engine.update(_state(minute + 1, at=at), _now(minute + 1)) == []
    assert engine.pending is not None


def test_a_saved_destination_with_a_huge_or_negative_zero_coordinate_is_restored_sanely() -> None:
    """10**400 raised OverflowError (the vehicle failed to set up); -0.0 was shown as -0.0."""
    engine = DestinationEngine()
    engine.hold(DAM, _state(locked=True), T0)
    good = engine.as_dict()
    assert good is not None
    fresh = DestinationEngine()
    assert fresh.restore({**good, "latitude": 10**400}) == ["destination"]
    assert fresh.result is None
    assert fresh.restore({**good, "longitude": -0.0}) == []
    assert fresh.result is not None
    assert math.copysign(1.0, fresh.result.place.longitude) > 0
