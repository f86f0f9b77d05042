"""Diagnostics for Car Bridge, with locations redacted."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from homeassistant.components.diagnostics import async_redact_data
from homeassistant.core import HomeAssistant

from .const import CONF_WEBHOOK_ID
from .data import CarBridgeConfigEntry
from .departures.engine import DepartureEngine

TO_REDACT = {"latitude", "longitude", "destination", "home"}


async def async_get_config_entry_diagnostics(
    hass: HomeAssistant, entry: CarBridgeConfigEntry
) -> dict[str, Any]:
    """Return diagnostics for a config entry."""
    coordinator = entry.runtime_data.coordinator
    snapshot = coordinator.data
    vehicle = asdict(snapshot.vehicle)
    vehicle["unavailable"] = sorted(snapshot.vehicle.unavailable)
    return {
        "entry": {
            "title": entry.title,
            # The webhook id is the secret in the vehicle's URL.
            "data": async_redact_data(dict(entry.data), {CONF_WEBHOOK_ID}),
            "options": async_redact_data(dict(entry.options), {CONF_WEBHOOK_ID}),
        },
        "source": type(coordinator.source).__name__,
        "capabilities": {
            "values": sorted(coordinator.source.capabilities.values),
            "commands": sorted(coordinator.source.capabilities.commands),
        },
        "vehicle": async_redact_data(vehicle, TO_REDACT),
        "approach": (
            None
            if snapshot.approach is None
            else async_redact_data(asdict(snapshot.approach), TO_REDACT)
        ),
        "thresholds_km": entry.runtime_data.engines.approach.engine.thresholds_km,
        "home_radius_m": entry.runtime_data.home_zone.last_known.radius,
        "departures": departure_pattern(entry.runtime_data.engines.departures),
        # Totals, rate and method only: nothing here says where the car charged.
        "energy": None if snapshot.energy is None else asdict(snapshot.energy),
    }


def departure_pattern(engine: DepartureEngine) -> dict[str, Any]:
    """Return what the departures engine learned: local times only, never a place."""
    model = engine.model
    return {
        "learning": engine.learning,
        "departures_learned": len(model.departures),
        "first_day": model.first_day.isoformat() if model.first_day else None,
        "holidays": sorted(d.isoformat() for d in model.excluded)[-14:],
        "expected": [
            {
                "day": p.day.isoformat(),
                "weekday": p.day.strftime("%A"),
                "time": f"{p.minute // 60:02d}:{p.minute % 60:02d}",
                "pattern": p.pattern,
                "confidence": p.confidence,
                "departures": p.departures,
                "usual_trip_min": p.usual_trip_min,
            }
            for p in engine.upcoming(7)
        ],
    }
