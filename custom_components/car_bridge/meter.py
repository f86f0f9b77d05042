"""The energy meter beside the approach engine: built from the save file.

The meter itself is pure (``vehicle/energy.py``); here it gets the approach
engine's decision about home, so energy counts as charged at home exactly
when the device tracker says home, and resumes from its part of the save
file (what it cannot trust goes in the one setup warning).
"""

from __future__ import annotations

from .approach.engine import ApproachEngine
from .storage import SavedState
from .vehicle.energy import EnergyMeter


def energy_meter(engine: ApproachEngine, saved: SavedState) -> EnergyMeter:
    """Return the vehicle's energy meter, resumed from ``saved``."""

    def at_home() -> bool | None:
        state = engine.state
        return None if state is None else state.at_home

    meter = EnergyMeter(engine.home, at_home=at_home)
    if (data := saved.extra.pop(EnergyMeter.key, None)) is not None:
        saved.discard(*meter.restore(data))
    return meter
