"""Learn departures from history you already have: a mirror's tracker in the recorder.

On a mirror vehicle's first setup (nothing learned yet), the source tracker's
past (whatever the recorder keeps, 10 days by default) is replayed through a
scratch departures engine with the same home, and the departures it finds are
learned, so predictions can start on day one. Runs in the background; without
the recorder it does nothing. A source that knows its own past (a simulated
car with a routine) hands it over instead, on its first setup too.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
import math
from typing import TYPE_CHECKING, Any

from homeassistant.const import ATTR_GPS_ACCURACY, ATTR_LATITUDE, ATTR_LONGITUDE
from homeassistant.core import HomeAssistant, State
from homeassistant.util import dt as dt_util

from .const import CONF_SOURCE, CONF_TRACKER, DOMAIN, LOGGER, SOURCE_MIRROR
from .departures.engine import DepartureEngine
from .departures.types import Departure
from .vehicle.model import Position, VehicleState

if TYPE_CHECKING:
    from .coordinator import CarBridgeCoordinator

#: How far back the recorder is asked (it keeps 10 days unless told otherwise).
HISTORY_DAYS = 365


def _position(state: State) -> Position | None:
    lat, lon = state.attributes.get(ATTR_LATITUDE), state.attributes.get(ATTR_LONGITUDE)
    if not (isinstance(lat, int | float) and isinstance(lon, int | float)):
        return None
    if not (math.isfinite(lat) and math.isfinite(lon) and abs(lat) <= 90 and abs(lon) <= 180):
        return None
    accuracy = state.attributes.get(ATTR_GPS_ACCURACY)
    return Position(
        latitude=float(lat),
        longitude=float(lon),
        accuracy=float(accuracy) if isinstance(accuracy, int | float) else None,
    )


def _fresh(engine: DepartureEngine) -> bool:
    """Return whether the engine has learned nothing yet (it started watching today)."""
    model = engine.model
    today = model.local(dt_util.utcnow())[0]
    return not model.departures and (model.first_day is None or model.first_day >= today)


def _read(hass: HomeAssistant, entity_id: str, start: datetime, end: datetime) -> list[State]:
    # Imported here: the recorder is an optional dependency.
    from homeassistant.components.recorder import history  # noqa: PLC0415

    found = history.state_changes_during_period(
        hass, start, end, entity_id, include_start_time_state=False
    )
    return list(found.get(entity_id, []))


async def async_learn_from_recorder(
    hass: HomeAssistant, engine: DepartureEngine, coordinator: CarBridgeCoordinator
) -> int:
    """Replay the mirror's tracker history into ``engine``; return the departures learned."""
    entry = coordinator.config_entry
    tracker = entry.options.get(CONF_TRACKER) or entry.data.get(CONF_TRACKER)
    home = coordinator.data.home
    if (
        entry.data.get(CONF_SOURCE) != SOURCE_MIRROR
        or not isinstance(tracker, str)
        or home is None
        or not _fresh(engine)
        or "recorder" not in hass.config.components
    ):
        return 0
    from homeassistant.components.recorder import get_instance  # noqa: PLC0415

    end = dt_util.utcnow()
    states = await get_instance(hass).async_add_executor_job(
        _read, hass, tracker, end - timedelta(days=HISTORY_DAYS), end
    )
    scratch = DepartureEngine(engine.model.tz)
    scratch.set_home(home)
    first: datetime | None = None
    for state in states:
        if (position := _position(state)) is None:
            continue
        when = state.last_updated
        first = first or when
        scratch.update(VehicleState(timestamp=when, position=position), when)
    if first is None or not _fresh(engine):
        return 0
    departures = scratch.model.departures
    engine.learn_history(departures, engine.model.local(first)[0])
    LOGGER.debug("%s: learned %d departures from the recorder", entry.title, len(departures))
    coordinator.async_engines_changed()
    return len(departures)


def learn_past(
    engine: DepartureEngine,
    coordinator: CarBridgeCoordinator,
    past: Callable[[datetime], list[Departure]],
) -> int:
    """Learn the departures a source says it made before; return how many."""
    if not _fresh(engine) or not (departures := past(dt_util.utcnow())):
        return 0
    engine.learn_history(departures, engine.model.local(departures[0].at)[0])
    LOGGER.debug("%s: learned %d past departures", coordinator.config_entry.title, len(departures))
    coordinator.async_engines_changed()
    return len(departures)


def async_start_learning(
    hass: HomeAssistant,
    engine: DepartureEngine,
    coordinator: CarBridgeCoordinator,
    past: Callable[[datetime], list[Departure]] | None = None,
) -> Any:
    """Learn the source's own past, or from the recorder in the background (first setup only)."""
    if past is not None:
        return learn_past(engine, coordinator, past)
    return coordinator.config_entry.async_create_background_task(
        hass, async_learn_from_recorder(hass, engine, coordinator), f"{DOMAIN} departure history"
    )
