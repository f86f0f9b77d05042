"""The vehicle's save file: versioned, loaded without ever raising, saved on a cadence.

``.storage/car_bridge.<entry_id>`` lives on an SD card that may be cut off mid
write or edited by hand, so loading trusts nothing: whatever the file holds,
setup gets a :class:`SavedState` in which every part is either sound or absent,
and one warning names what was discarded. The file itself is only replaced by
the next save; a file that cannot be read at all is first moved aside (as Home
Assistant does with a file that is not JSON), so nothing is lost for good.

Format history (``version.minor``):

- 1.1: ``{"vehicle", "approach", "home": [lat, lon, radius], ...}``
- 2.1: ``home`` became ``{"latitude", "longitude", "radius"}``.

``vehicle`` is the source's own state (its kind checks it value by value),
``home`` where the home zone was last seen, and any other key either an
engine's state, under the engine's key (``approach``; the engine checks it),
or an extra of the source's kind (``battery_start`` for the simulator; the
kind checks it).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
import os
from typing import Any

from homeassistant.core import HomeAssistant, callback
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store
from homeassistant.util import dt as dt_util

from .approach.engine import Home
from .const import DOMAIN, LOGGER, SAVE_DELAY_S
from .vehicle import trust

STORAGE_VERSION = 2
STORAGE_MINOR_VERSION = 1
#: A home zone's radius larger than this is not a home zone.
MAX_HOME_RADIUS_M = 100_000.0


def storage_key(entry_id: str) -> str:
    """Return the storage key of an entry's save file."""
    return f"{DOMAIN}.{entry_id}"


@dataclass(kw_only=True)
class SavedState:
    """What could be trusted in the save file; ``None`` parts start afresh."""

    vehicle: dict[str, Any] | None = None
    home: Home | None = None
    #: The engines' states and the values the source's kind saved beside its
    #: own, by key, unchecked (each engine and the kind check their own).
    extra: dict[str, Any] = field(default_factory=dict)
    #: Parts of the file that were present but discarded, in reading order.
    discarded: list[str] = field(default_factory=list)

    def discard(self, *parts: str) -> None:
        """Record parts that were discarded (by the loader or by a source)."""
        self.discarded.extend(parts)

    def warn(self, title: str) -> None:
        """Log the one warning that says what was discarded, if anything was."""
        if self.discarded:
            LOGGER.warning(
                "%s: saved state could not be fully trusted; starting afresh: %s",
                title,
                ", ".join(dict.fromkeys(self.discarded)),
            )


class CarBridgeStore(Store[dict[str, Any]]):
    """The save file of one vehicle."""

    def __init__(self, hass: HomeAssistant, entry_id: str) -> None:
        """Create the store of ``entry_id``."""
        super().__init__(
            hass,
            STORAGE_VERSION,
            storage_key(entry_id),
            minor_version=STORAGE_MINOR_VERSION,
            serialize_in_event_loop=True,
        )
        self._save_pending = False
        #: The event being written and then announced, if any.
        self._announcing: asyncio.Task[None] | None = None

    # -- loading -----------------------------------------------------------

    async def _async_migrate_func(
        self, old_major_version: int, old_minor_version: int, old_data: Any
    ) -> Any:
        """Bring an older format up to date; shapes are checked afterwards."""
        if not isinstance(old_data, dict):
            return old_data
        data = dict(old_data)
        if old_major_version < 2 and isinstance(home := data.get("home"), (list, tuple)):
            data["home"] = dict(zip(("latitude", "longitude", "radius"), home, strict=False))
        # A newer minor version only adds keys, which are ignored.
        return data

    async def async_load_saved(self) -> SavedState:
        """Load and check the save file; never raises."""
        existed = await self.hass.async_add_executor_job(os.path.exists, self.path)
        try:
            raw: Any = await self.async_load()
        except (HomeAssistantError, KeyError, TypeError, ValueError, AttributeError) as err:
            # HA's Store raises for a future version (UnsupportedStorageVersionError)
            # and, with a bare KeyError or TypeError, for an envelope that is not
            # {"version": int, "data": ...}. Keep the file for the user, start afresh.
            moved = await self._async_move_aside()
            reason = type(err).__name__
            return SavedState(discarded=[f"the whole file ({reason}{moved})"])
        if raw is None and existed:
            if not await self.hass.async_add_executor_job(os.path.exists, self.path):
                # HA's Store moved a file that is not JSON aside as .corrupt and
                # raised a repair issue; say what that means for the vehicle.
                return SavedState(
                    discarded=["the whole file (empty or not JSON; HA kept it as .corrupt)"]
                )
            # Valid JSON whose data is null: HA leaves it, and the next save
            # would overwrite it. Keep it for the user.
            moved = await self._async_move_aside()
            return SavedState(discarded=[f"the whole file (its data is null{moved})"])
        if raw is not None and not isinstance(raw, dict):
            # A list (or a number, a string) is no save of ours, but it may hold
            # one: never overwrite it.
            moved = await self._async_move_aside()
            return SavedState(discarded=[f"the whole file ({_kind_of(raw)}, not an object{moved})"])
        return parse_saved(raw)

    async def _async_move_aside(self) -> str:
        target = f"{self.path}.discarded.{dt_util.utcnow().isoformat()}"
        try:
            await self.hass.async_add_executor_job(os.replace, self.path, target)
        except OSError:
            return ""
        return f", kept as {os.path.basename(target)}"

    # -- saving ------------------------------------------------------------

    @callback
    def async_schedule_save(self, data_func: Callable[[], dict[str, Any]]) -> None:
        """Save within ``SAVE_DELAY_S`` of the first unsaved change.

        Later changes do not push the write back (``async_delay_save`` alone
        would, and a car that keeps changing would never be saved); the data is
        taken when the write happens, so it holds every change up to then.
        """
        if self._save_pending:
            return
        self._save_pending = True

        def _data() -> dict[str, Any]:
            self._save_pending = False
            return data_func()

        self.async_delay_save(_data, SAVE_DELAY_S)

    async def async_save(self, data: dict[str, Any]) -> None:
        """Save now (after any event still being written); a scheduled save is then done."""
        if self._announcing is not None:
            await self._announcing
        self._save_pending = False
        await super().async_save(data)

    @callback
    def async_save_then(self, data: dict[str, Any], announce: Callable[[], None]) -> None:
        """Write ``data`` at once, then ``announce`` what it decided (an event).

        Events are written before they are announced: the state that decides
        an event (crossing arms, the at-home decision) reaches the disk first,
        so a power cut can neither repeat an announced event (the file has its
        decision) nor lose one (cut before the write: nothing was announced,
        and the restart decides it again). HA's ``Store`` replaces the file
        atomically. Announcements keep their order; a failed write is logged
        and the event still announced (a full disk must not hide an arrival).
        """
        previous = self._announcing

        async def _write_then_announce() -> None:
            if previous is not None:
                await previous
            self._save_pending = False
            try:
                await Store.async_save(self, data)
            except OSError as err:
                LOGGER.warning("Could not save before an event: %s", err)
            announce()

        self._announcing = task = self.hass.async_create_task(
            _write_then_announce(), f"{DOMAIN} save before event", eager_start=True
        )
        task.add_done_callback(self._announced)

    def _announced(self, task: asyncio.Task[None]) -> None:
        if self._announcing is task:
            self._announcing = None


def _kind_of(raw: Any) -> str:
    """Name a JSON value's type as a user would."""
    if isinstance(raw, bool):
        return "a boolean"
    if isinstance(raw, (int, float)):
        return "a number"
    if isinstance(raw, str):
        return "a string"
    if isinstance(raw, list):
        return "a list"
    return f"a {type(raw).__name__}"


def parse_saved(raw: Any) -> SavedState:
    """Split the file's data into trusted parts and a list of discarded ones."""
    saved = SavedState()
    if raw is None:
        return saved
    if not isinstance(raw, dict):
        saved.discard(f"the whole file ({_kind_of(raw)}, not an object)")
        return saved
    for key, value in raw.items():
        if key not in _PARTS:
            saved.extra[key] = value
        elif value is not None:
            if (checked := _PARTS[key](value)) is None:
                saved.discard(key)
            else:
                setattr(saved, key, checked)
    return saved


def _home(data: Any) -> Home | None:
    if not isinstance(data, dict):
        return None
    point = trust.coordinates(data.get("latitude"), data.get("longitude"))
    radius = trust.number(data.get("radius"), 0.0, MAX_HOME_RADIUS_M)
    if point is None or radius is None:
        return None
    return Home(point[0], point[1], radius)


_PARTS: dict[str, Callable[[Any], Any]] = {
    "vehicle": lambda v: v if isinstance(v, dict) else None,
    "home": _home,
}
