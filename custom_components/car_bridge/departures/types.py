"""What the departure model keeps and tells: a departure, a prediction.

Pure Python, no Home Assistant imports; shared by the model, its patterns and
the save file, so none of them imports another round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class Departure:
    """The car left home at ``at`` (aware); the trip's length once it is back."""

    at: datetime
    trip_min: float | None = None
    trip_km: float | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class Prediction:
    """A departure expected on ``day`` at ``minute`` past local midnight."""

    day: date
    minute: int
    at: datetime
    confidence: float
    #: How many past departures it rests on.
    departures: int
    usual_trip_min: float | None
    usual_trip_km: float | None
    pattern: str

    @property
    def key(self) -> str:
        """Identify it across restarts (local date and time)."""
        return f"{self.day.isoformat()}T{self.minute // 60:02d}:{self.minute % 60:02d}"
