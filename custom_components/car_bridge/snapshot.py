"""What the entities read: one typed snapshot of the vehicle and every engine's result.

The coordinator builds a new :class:`CarSnapshot` whenever the source, an
engine or the home zone has news; entities read nothing else (not the
coordinator, the source or an engine). Each engine's result is one field,
named like the engine's ``key`` (see ``vehicle/engines.py``); a new engine
adds its field here with a default of ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass

from .approach.engine import ApproachState, Home
from .departures.model import Prediction
from .places.destination import Destination
from .vehicle.model import VehicleState


@dataclass(frozen=True, slots=True, kw_only=True)
class CarSnapshot:
    """The vehicle as reported, where home is, and what the engines concluded."""

    vehicle: VehicleState
    #: The home zone's entity id, and its centre and radius (None while it is deleted).
    home_zone: str
    home: Home | None
    #: The approach engine's result; None until the source gave a first usable fix.
    approach: ApproachState | None = None
    #: The next expected departure; None while the departures engine abstains.
    departures: Prediction | None = None
    #: The destination held for the next trip, or the last one sent.
    destination: Destination | None = None
