"""The shape every engine plugs into: state in, conclusions out, saved with the vehicle.

The coordinator feeds each :class:`VehicleState` from the source to a list of
engines (approach, departures, energy, destination, ...), fires what they
conclude as ``car_bridge_event`` (with the conclusion's ``type``) and puts
each engine's :attr:`Engine.result` on the :class:`CarSnapshot` field named
:attr:`Engine.key`, which is all the entities read. An engine is pure: no
Home Assistant import, an injected clock (the state's and ``tick``'s times).

Adding an engine: implement this protocol in its pure room, give
``CarSnapshot`` a field named like its ``key`` (default ``None``), build it in
``engines.py`` and let entities read the field.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from .model import VehicleState

if TYPE_CHECKING:
    from ..approach.engine import Home


@dataclass(frozen=True, slots=True, kw_only=True)
class Conclusion:
    """Something an engine concluded, fired as one ``car_bridge_event``.

    ``data`` must be JSON-serialisable; the coordinator adds ``type``,
    ``device_id`` and ``vehicle``.
    """

    type: str
    data: Mapping[str, Any] = field(default_factory=dict)


class Engine(Protocol):
    """A pure engine the coordinator feeds."""

    @property
    def key(self) -> str:
        """Name of its field on the snapshot and of its part of the save file."""

    @property
    def result(self) -> Any:
        """Return what the entities show of it (None while it knows nothing)."""

    def update(self, state: VehicleState, now: datetime) -> Sequence[Conclusion]:
        """Take the source's newest state; return what it concludes from it."""

    def set_home(self, home: Home | None) -> None:
        """Measure against a moved or resized home zone (None while it is deleted).

        Re-evaluates silently: a zone change is never an arrival or a departure.
        """

    def tick(self, now: datetime) -> Sequence[Conclusion]:
        """Let time pass (called periodically); return what it concludes from that."""

    def as_dict(self) -> Any:
        """Return its state for the save file (JSON-serialisable, or None)."""

    def restore(self, data: Any) -> list[str]:
        """Resume from :meth:`as_dict` output, keeping what is sound.

        Returns the names of the parts it discarded (for the one setup warning);
        never raises and never concludes anything.
        """
