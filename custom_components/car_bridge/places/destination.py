"""The destination engine: a place held for the car's next trip, delivered once.

Pure (no Home Assistant import), implementing the ``Engine`` protocol of
``vehicle/engines.py``: it is fed every :class:`VehicleState` and concludes
``destination_sent`` when the car is next in use. In use means whichever of
these the source can tell: it is unlocked (locked -> unlocked), it starts
moving (still -> moving), or it is more than :data:`LEFT_PARKING_M` from where
it stood when the place was held (two fixes in a row: a glitch is no trip).
A held place is replaced by a newer one, expires, can be cleared, and its
whole state survives a restart (:meth:`as_dict`/:meth:`restore`):
a car unlocked while Home Assistant was down is seen as unlocked on the first
state after the restart, so nothing is lost and nothing is sent twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from enum import StrEnum
import math
from typing import TYPE_CHECKING, Any

from ..vehicle.engines import Conclusion
from ..vehicle.model import Position, VehicleState
from .model import Datum, Place

if TYPE_CHECKING:
    from ..approach.engine import Home

#: How far from where it was parked the car must be to count as having left.
LEFT_PARKING_M = 150.0
DEFAULT_EXPIRY = timedelta(hours=12)
DESTINATION_SENT = "destination_sent"
DESTINATION_EXPIRED = "destination_expired"


class Status(StrEnum):
    """Where the shown destination is in its life."""

    PENDING = "pending"
    SENT = "sent"
    EXPIRED = "expired"


@dataclass(frozen=True, slots=True, kw_only=True)
class Destination:
    """The place the destination sensor shows, and what became of it."""

    place: Place
    status: Status
    #: The shared text it came from (given to the destination script).
    text: str | None = None
    requested: datetime
    expires: datetime | None = None
    sent: datetime | None = None


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371008.8 * math.asin(min(1.0, math.sqrt(h)))


class DestinationEngine:
    """Holds at most one destination for the next trip."""

    key = "destination"

    def __init__(self, *, default_expiry: timedelta = DEFAULT_EXPIRY) -> None:
        """Start with nothing held; a held place expires after ``default_expiry`` unless told."""
        self.default_expiry = default_expiry
        self._shown: Destination | None = None
        self._was_locked: bool | None = None
        self._was_moving: bool | None = None
        self._parked_at: tuple[float, float] | None = None
        self._away = 0

    @property
    def result(self) -> Destination | None:
        """Return the pending or last delivered destination."""
        return self._shown

    @property
    def pending(self) -> Destination | None:
        """Return the destination waiting for the next trip, if any."""
        shown = self._shown
        return shown if shown is not None and shown.status is Status.PENDING else None

    # -- what the actions ask --------------------------------------------

    def hold(
        self,
        place: Place,
        state: VehicleState,
        now: datetime,
        *,
        text: str | None = None,
        expires_after: timedelta | None = None,
    ) -> None:
        """Hold a place for the next trip, replacing any held one (None: the default expiry)."""
        self._shown = Destination(
            place=place,
            status=Status.PENDING,
            text=text,
            requested=now,
            expires=now + (expires_after or self.default_expiry),
        )
        self._observe(state, reset=True)

    def sent_now(self, place: Place, now: datetime, *, text: str | None = None) -> Conclusion:
        """Record a place delivered at once; it replaces any held one."""
        self._shown = Destination(
            place=place, status=Status.SENT, text=text, requested=now, sent=now
        )
        return self._conclusion(self._shown, "now")

    def clear(self) -> bool:
        """Forget the held destination; return whether there was one."""
        had = self.pending is not None
        if had:
            self._shown = None
        return had

    def undo_delivery(self, destination: Destination) -> None:
        """Hold a destination again whose delivery failed (it stays pending)."""
        self._shown = replace(destination, status=Status.PENDING, sent=None)

    # -- the Engine protocol -----------------------------------------------

    def update(self, state: VehicleState, now: datetime) -> Sequence[Conclusion]:
        """Deliver the held destination if the car is now in use."""
        pending = self.pending
        if pending is None:
            return []
        if self._expire(pending, now):
            return [self._conclusion(pending, None, DESTINATION_EXPIRED)]
        in_use = self._in_use(state)
        self._observe(state)
        if not in_use:
            return []
        self._shown = replace(pending, status=Status.SENT, sent=now)
        return [self._conclusion(self._shown, "next_trip")]

    def set_home(self, home: Home | None) -> None:
        """Ignore a home zone change: it means nothing to a destination."""

    def tick(self, now: datetime) -> Sequence[Conclusion]:
        """Expire a held destination whose time is up (concluding ``destination_expired``)."""
        if (pending := self.pending) is not None and self._expire(pending, now):
            return [self._conclusion(pending, None, DESTINATION_EXPIRED)]
        return []

    # -- internals -----------------------------------------------------------

    def _expire(self, pending: Destination, now: datetime) -> bool:
        if pending.expires is not None and now >= pending.expires:
            self._shown = replace(pending, status=Status.EXPIRED)
            return True
        return False

    def _in_use(self, state: VehicleState) -> bool:
        if self._was_locked is True and state.locked is False:
            return True
        if self._was_moving is False and state.moving is True:
            return True
        position = _usable(state)
        if self._parked_at is None or position is None:
            return False
        if position.accuracy is not None and position.accuracy > LEFT_PARKING_M:
            return False  # too vague to say it moved
        away = _metres(*self._parked_at, position.latitude, position.longitude) > LEFT_PARKING_M
        # Two fixes away in a row: one GPS glitch is not a trip.
        self._away = self._away + 1 if away else 0
        return self._away >= 2

    def _observe(self, state: VehicleState, *, reset: bool = False) -> None:
        """Remember what the next state is compared with."""
        if reset:
            self._was_locked = self._was_moving = self._parked_at = None
            self._away = 0
        if state.locked is not None:
            self._was_locked = state.locked
        if state.moving is not None:
            self._was_moving = state.moving
        position = _usable(state)
        # Where it stands: not while it drives (the next trip starts after a stop).
        if position is not None and self._parked_at is None and state.moving is not True:
            self._parked_at = (position.latitude, position.longitude)

    @staticmethod
    def _conclusion(
        destination: Destination, when: str | None, kind: str = DESTINATION_SENT
    ) -> Conclusion:
        place = destination.place
        data: dict[str, Any] = {
            "name": place.name,
            "address": place.address,
            "latitude": round(place.latitude, 6),
            "longitude": round(place.longitude, 6),
            "origin": place.origin,
            "source": place.origin,
            "status": destination.status.value,
        }
        if when is not None:
            data["when"] = when
        return Conclusion(type=kind, data=data)

    # -- saving ----------------------------------------------------------------

    def as_dict(self) -> dict[str, Any] | None:
        """Return the state for the save file."""
        shown = self._shown
        if shown is None:
            return None
        place = shown.place
        return {
            "latitude": place.latitude,
            "longitude": place.longitude,
            "name": place.name,
            "address": place.address,
            "origin": place.origin,
            "converted_from": place.converted_from,
            "text": shown.text,
            "status": shown.status.value,
            "requested": shown.requested.isoformat(),
            "expires": shown.expires.isoformat() if shown.expires else None,
            "sent": shown.sent.isoformat() if shown.sent else None,
            "was_locked": self._was_locked,
            "was_moving": self._was_moving,
            "parked_at": list(self._parked_at) if self._parked_at else None,
        }

    def restore(self, data: Any) -> list[str]:
        """Resume from :meth:`as_dict`, keeping what is sound; never raises."""
        self._shown = None
        if data is None:
            return []
        if not isinstance(data, dict):
            return ["destination"]
        destination = _destination(data)
        if destination is None:
            return ["destination"]
        self._shown = destination
        discarded: list[str] = []
        for key in ("was_locked", "was_moving"):
            value = data.get(key)
            if value is not None and not isinstance(value, bool):
                discarded.append(f"destination {key}")
                value = None
            setattr(self, f"_{key}", value)
        parked = data.get("parked_at")
        self._parked_at = _point(parked)
        if parked is not None and self._parked_at is None:
            discarded.append("destination parked_at")
        return discarded


def _usable(state: VehicleState) -> Position | None:
    """Return the state's fix if it is a place on the map (never NaN, inf, 95 deg)."""
    position = state.position
    if position is None or _point([position.latitude, position.longitude]) is None:
        return None
    return position


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    try:
        number = float(value)
    except OverflowError:  # a saved integer beyond 1.8e308
        return None
    return number + 0.0 if math.isfinite(number) else None  # -0.0 is 0


def _point(value: Any) -> tuple[float, float] | None:
    if not isinstance(value, list | tuple) or len(value) != 2:
        return None
    lat, lon = _number(value[0]), _number(value[1])
    if lat is None or lon is None or abs(lat) > 90 or abs(lon) > 180:
        return None
    return lat, lon


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else None


def _destination(data: dict[str, Any]) -> Destination | None:
    """Return the saved destination if its essentials are sound."""
    point = _point([data.get("latitude"), data.get("longitude")])
    requested = _time(data.get("requested"))
    try:
        status = Status(str(data.get("status")))
    except ValueError:
        return None
    if point is None or requested is None:
        return None
    expires, sent = _time(data.get("expires")), _time(data.get("sent"))
    if status is Status.PENDING and expires is None:
        return None  # a held place must be able to expire
    try:
        datum = Datum(data["converted_from"]) if data.get("converted_from") else None
    except ValueError:
        datum = None
    place = Place(
        latitude=point[0],
        longitude=point[1],
        name=_text(data.get("name")),
        address=_text(data.get("address")),
        origin=_text(data.get("origin")) or "saved",
        converted_from=datum,
    )
    return Destination(
        place=place,
        status=status,
        text=_text(data.get("text")),
        requested=requested,
        expires=expires,
        sent=sent,
    )
