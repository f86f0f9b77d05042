"""The engines one vehicle's states are fed to, built from its options.

The coordinator only sees a sequence of :class:`~.vehicle.engines.Engine`;
this module builds them, restores them from the save file part by part and
applies live options and device-trigger requests to the one that needs them.

Adding an engine ``foo``:

1. write it in its pure room (``foo/``), implementing ``vehicle/engines.py``'s
   ``Engine`` protocol with ``key = "foo"``;
2. construct it in :meth:`VehicleEngines.__init__` and append it to ``all``;
3. give ``snapshot.CarSnapshot`` a field ``foo`` (default ``None``) typed
   like its ``result``; entities read ``snapshot.foo``.

Its conclusions are fired as ``car_bridge_event`` with their ``type``, its
``as_dict()`` is saved under ``"foo"`` and given back to ``restore`` on setup.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from homeassistant.util import dt as dt_util

from .approach.as_engine import ApproachAsEngine
from .approach.engine import ApproachEngine, Home
from .departures.engine import DepartureEngine
from .options import approach_config, departure_learning, destination_expiry
from .places.destination import DestinationEngine
from .vehicle.engines import Engine


class VehicleEngines:
    """Every engine of one vehicle, in the order they are fed."""

    def __init__(self, config: Mapping[str, Any], home: Home) -> None:
        """Build the engines for ``config``, measuring against ``home``."""
        self.approach = ApproachAsEngine(ApproachEngine(approach_config(config), home))
        # Departures follow the approach engine's one decision about home.
        self.departures = DepartureEngine(
            dt_util.get_default_time_zone(),
            learning=departure_learning(config),
            at_home=self._at_home,
        )
        self.departures.set_home(home)
        self.destination = DestinationEngine(default_expiry=destination_expiry(config))
        self.all: tuple[Engine, ...] = (self.approach, self.departures, self.destination)

    def _at_home(self) -> bool | None:
        approach = self.approach.result
        return None if approach is None else approach.at_home

    @property
    def keys(self) -> frozenset[str]:
        """Return the save-file keys the engines own."""
        return frozenset(engine.key for engine in self.all)

    def restore(self, saved: Mapping[str, Any], home: Home | None) -> list[str]:
        """Give each engine its saved part; return what they discarded.

        ``home`` is the zone now (None while it is deleted): the zone may have
        moved while Home Assistant was stopped.
        """
        discarded: list[str] = []
        for engine in self.all:
            if (part := saved.get(engine.key)) is not None:
                discarded += engine.restore(part)
            if home is None:
                engine.set_home(None)
        return discarded

    def apply_options(self, config: Mapping[str, Any]) -> None:
        """Apply new options live; new thresholds start from where the car is."""
        self.approach.engine.config = approach_config(config)
        self.departures.learning = departure_learning(config)
        self.destination.default_expiry = destination_expiry(config)

    def set_requests(
        self,
        thresholds_km: Iterable[float],
        minutes: Iterable[float],
        departure_minutes: Iterable[float] = (),
    ) -> None:
        """Apply what the device triggers ask for (see ``triggers.py``)."""
        self.approach.set_requests(thresholds_km, minutes)
        self.departures.set_minutes(int(m) for m in departure_minutes)
