"""The observed charge rate: now, while charging, and the last one seen at home.

Pure Python (no Home Assistant import), part of the energy meter. While the
vehicle charges, the rate (%/h) is the battery level's rise over the last
:data:`RATE_WINDOW` once the window spans :data:`MIN_RATE_SPAN`. The last
rate measured while charging *at home* is kept between sessions (and
restarts): it is what a plan for the next charge at home rests on (the
"charged by departure" blueprint), before that charge has begun. It is taken
only from a steady stretch: between level changes (a level is reported
rounded, so the first report at a level is not when it was reached), over at
least :data:`HOME_RATE_SPAN` and :data:`HOME_RATE_STEPS` changes, and below
:data:`TAPER_FROM_PERCENT` (a battery near full charges slower).
"""

from __future__ import annotations

from collections import deque
from datetime import datetime, timedelta
from typing import Any, Final

from . import energy_saved as saved
from .model import VehicleState

#: The charge rate is measured over this window.
RATE_WINDOW: Final = timedelta(minutes=20)
#: ... once it spans at least this long.
MIN_RATE_SPAN: Final = timedelta(minutes=2)
#: The home rate rests on at least this long, and this many level changes.
HOME_RATE_SPAN: Final = timedelta(minutes=10)
HOME_RATE_STEPS: Final = 3
#: Above this level the charge tapers: not the rate a plan should use.
TAPER_FROM_PERCENT: Final = 80.0
#: A saved home rate beyond these (%/h) is not ours: no car gains more, even
#: simulated 3600 times faster; none gains less and is still charging.
MAX_RATE_PERCENT_PER_HOUR: Final = 1_000_000.0
MIN_RATE_PERCENT_PER_HOUR: Final = 0.1
_SAMPLES: Final = 240


class ChargeRate:
    """The battery level while charging, and the rates it gives."""

    def __init__(self) -> None:
        """Start with no samples and no home rate."""
        self._samples: deque[tuple[datetime, float]] = deque(maxlen=_SAMPLES)
        #: Whether the samples were taken at home.
        self.at_home = False
        #: The last rate (%/h) measured while charging at home.
        self.home: float | None = None

    def note(self, state: VehicleState, now: datetime, *, home: bool) -> None:
        """Take the level of one more report."""
        level = state.battery_level
        if not state.charging or level is None:
            if state.charge_state is not None:
                self._samples.clear()
            return
        if self._samples and (
            now < self._samples[-1][0] or level < self._samples[-1][1] or home != self.at_home
        ):
            self._samples.clear()  # time went back, the level fell, or it moved: start again
        self.at_home = home
        if not self._samples or level != self._samples[-1][1]:
            self._samples.append((now, level))
        while len(self._samples) > 2 and now - self._samples[1][0] >= RATE_WINDOW:
            self._samples.popleft()
        if home and level < TAPER_FROM_PERCENT and (rate := self._steady()) is not None:
            self.home = rate

    def now(self) -> float | None:
        """Return the rate (%/h) of the charge under way, if measured yet."""
        if len(self._samples) < 2:
            return None
        (start, low), (end, high) = self._samples[0], self._samples[-1]
        span = end - start
        if span < MIN_RATE_SPAN or high <= low:
            return None
        return (high - low) / (span.total_seconds() / 3600)

    def _steady(self) -> float | None:
        """Return the rate between the first and the last level change, if long enough."""
        if len(self._samples) < HOME_RATE_STEPS + 1:
            return None
        (start, low), (end, high) = self._samples[1], self._samples[-1]
        if end - start < HOME_RATE_SPAN or high <= low:
            return None
        return (high - low) / ((end - start).total_seconds() / 3600)

    # -- saving --------------------------------------------------------------

    def samples_as_list(self) -> list[list[Any]]:
        """Return the samples for the save file."""
        return [[t.isoformat(), level] for t, level in self._samples]

    def restore_samples(self, data: Any, at_home: Any) -> bool:
        """Resume the samples from :meth:`samples_as_list`; False if they are unsound."""
        if not isinstance(data, list) or not isinstance(at_home, bool | None):
            return False
        samples: list[tuple[datetime, float]] = []
        for item in data[-_SAMPLES:]:
            try:
                if not isinstance(item, list) or len(item) != 2:
                    raise saved.UnsoundError
                time, level = saved.time(item[0]), saved.number(item[1], 100.0)
            except saved.UnsoundError:
                return False
            if time is None or level is None:
                return False
            if samples and (time < samples[-1][0] or level < samples[-1][1]):
                return False
            samples.append((time, level))
        self._samples.clear()
        self._samples.extend(samples)
        # A file from before the home rate: the samples were not placed; take them as home.
        self.at_home = True if at_home is None else at_home
        return True

    def restore_home(self, data: Any) -> bool:
        """Resume the home rate; False (and none kept) if it is unsound."""
        try:
            rate = saved.number(data, MAX_RATE_PERCENT_PER_HOUR)
        except saved.UnsoundError:
            return False
        if rate is not None and rate < MIN_RATE_PERCENT_PER_HOUR:
            return False  # a rate is measured only from a rise
        self.home = rate
        return True
