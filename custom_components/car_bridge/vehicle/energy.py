"""The energy meter: how much went into the car, everywhere and at home.

Pure Python (no Home Assistant import), an :class:`~.engines.Engine` with
the key ``"energy"``. Two ways to measure, chosen by what the source gives:

* **The source's own counter** (``VehicleState.energy_added``, the "energy
  added this session" most cars report). Rises are added; a counter never
  subtracts. Small drops (< :data:`JITTER_KWH`) are noise and ignored. A
  larger drop is a *suspected* reset: the next reading decides whether it
  was a glitch (back near the old value: counting resumes from the old
  value) or a new session (still low: counting resumes from zero). A rise
  larger than the charger could have delivered since the previous reading
  (:func:`_plausible_kwh`) and than the battery level's rise explains is a
  spike: the meter takes it as its new baseline and adds nothing, the guard
  Teslemetry added for core #151174.
  A counter covers the time Home Assistant was down, so a restart or an
  outage loses nothing.
* **Otherwise the charging power**, integrated while energy flows (a
  zero-order hold, as a charger reports a power until it changes), never
  across a gap longer than :data:`MAX_GAP` between two reports.

The at-home total counts only what was added while the vehicle was home
(the home decision of the approach engine when one is given, else the
position against the home zone). Both totals only ever grow; the whole state
is saved and restored part by part.

While charging, the observed charge rate (:mod:`.charge_rate`) says when
the charge limit will be reached; the last rate seen at home is kept for
planning the next charge at home.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
import math
from typing import TYPE_CHECKING, Any, Final

from ..approach.geo import great_circle_distance
from . import energy_saved as saved, trust
from .charge_rate import ChargeRate
from .engines import Conclusion
from .model import VehicleState

if TYPE_CHECKING:
    from ..approach.engine import Home

#: Drops of the counter smaller than this are noise, not a reset (Teslemetry: 1 kWh).
JITTER_KWH: Final = 1.0
#: No power is integrated across a longer silence of the source.
MAX_GAP: Final = timedelta(minutes=10)
#: The fastest charger a car can be on (kW), when the source reports no power.
MAX_CHARGER_KW: Final = 400.0
#: A rise may exceed the reported power by this factor plus :data:`SLACK_KWH`.
POWER_MARGIN: Final = 1.25
SLACK_KWH: Final = 0.1
#: ... or by what the battery level rose, at most this per % (a 250 kWh battery):
#: a simulated car with a time factor charges faster than its power says.
MAX_KWH_PER_PERCENT: Final = 2.5
_MAX_TOTAL_KWH: Final = 100_000_000.0
_MAX_COUNTER_KWH: Final = 1_000_000.0


@dataclass(frozen=True, slots=True, kw_only=True)
class EnergyResult:
    """What the entities show of the meter."""

    #: kWh charged, everywhere and at home (only ever increase).
    total_kwh: float
    home_kwh: float
    #: How the meter measures: "counter", "power" or None before it knows.
    method: str | None
    #: The observed charge rate (%/h) while charging, else None.
    rate_percent_per_hour: float | None
    #: When the charge limit is reached at that rate; None when not charging.
    complete_at: datetime | None
    #: The last rate (%/h) observed while charging at home, kept between charges.
    home_rate_percent_per_hour: float | None = None


def _plausible_kwh(power_kw: float | None, hours: float) -> float:
    """Return the most a charger can have delivered in ``hours``."""
    if power_kw is None or power_kw <= 0:
        return MAX_CHARGER_KW * hours + SLACK_KWH
    return power_kw * POWER_MARGIN * hours + SLACK_KWH


class EnergyMeter:
    """Energy charged into the vehicle, from its counter or its charging power."""

    key = "energy"

    def __init__(
        self,
        home: Home | None = None,
        *,
        at_home: Callable[[], bool | None] | None = None,
    ) -> None:
        """Start at zero; ``at_home`` (if given) is the approach engine's decision."""
        self._home = home
        self._at_home_fn = at_home
        self._total = 0.0
        self._home_total = 0.0
        self._counter_seen = False
        #: Last accepted counter reading, when, and the battery level then (the baseline).
        self._counter: float | None = None
        self._counter_time: datetime | None = None
        self._counter_level: float | None = None
        #: The baseline before a suspected reset (None when nothing is suspected).
        self._suspect: tuple[float, datetime, float | None] | None = None
        #: After a reset taken for a new session: the old value, while the new one is small.
        #: Jumping straight back to it means the reset was a longer glitch after all.
        self._reset_from: float | None = None
        #: Last power report (kW, 0 while not charging) and when; integrated up to _power_time.
        self._power: float | None = None
        self._power_time: datetime | None = None
        #: Highest power reported since the last counter reading (the spike guard's bound).
        self._peak_kw: float | None = None
        self._rate = ChargeRate()
        self._result = self._make_result(None)

    # -- Engine ------------------------------------------------------------

    @property
    def result(self) -> EnergyResult:
        """Return the totals, the charge rate and when the charge completes."""
        return self._result

    def set_home(self, home: Home | None) -> None:
        """Measure at-home against a new home zone (None while it is deleted)."""
        self._home = home

    def update(self, state: VehicleState, now: datetime) -> Sequence[Conclusion]:
        """Add what the new state says went into the battery."""
        home = self._is_home(state)
        if state.energy_added is not None and (counter := _counter(state.energy_added)) is not None:
            self._counter_seen = True
            self._note_power(state.charging_power if state.charging is not False else 0.0)
            self._count(counter, now, state.battery_level, home)
        elif not self._counter_seen:
            self._integrate(state, now, home)
        self._rate.note(state, now, home=home)
        self._result = self._make_result(state)
        return ()

    def tick(self, now: datetime) -> Sequence[Conclusion]:
        """Nothing happens with time alone: energy is added on reports."""
        return ()

    # -- counter -------------------------------------------------------------

    def _note_power(self, power: float | None) -> None:
        if power is not None and power > 0:
            self._peak_kw = max(self._peak_kw or 0.0, power)

    def _count(self, value: float, now: datetime, level: float | None, home: bool) -> None:
        last, since, then = self._counter, self._counter_time, self._counter_level
        self._counter, self._counter_time, self._counter_level = value, now, level
        if last is None or since is None:
            self._peak_kw = None
            return  # the first reading is the baseline
        if self._suspect is not None:
            (before, since, then), self._suspect = self._suspect, None
            if value >= before - JITTER_KWH:
                last = before  # a glitch: resume from the value before the dip
            elif value < last - JITTER_KWH:
                self._suspect = (before, since, then)  # lower still: keep suspecting
                return
            else:
                last, self._reset_from = 0.0, before  # a new session counts from zero
        last = self._after_reset(last, value)
        if value < last:
            if value < last - JITTER_KWH:
                self._suspect = (last, since, then)  # the bound keeps counting from here
            else:
                # Noise: rises count from the higher value.
                self._counter, self._counter_time, self._counter_level = last, since, then
            return
        peak, self._peak_kw = self._peak_kw, None
        hours = max(0.0, (now - since).total_seconds()) / 3600
        added = max(0.0, value - last)
        allowed = _plausible_kwh(peak, hours)
        if level is not None and then is not None and level > then:
            allowed = max(allowed, (level - then) * MAX_KWH_PER_PERCENT + SLACK_KWH)
        if added > allowed:
            return  # a spike: the new value is the baseline, nothing is added
        self._add(added, home)

    def _after_reset(self, last: float, value: float) -> float:
        """Return the value to count from, while a new session is young."""
        if (reset_from := self._reset_from) is None:
            return last
        if last < JITTER_KWH and value >= reset_from - JITTER_KWH:
            self._reset_from = None
            return reset_from  # straight back where it was: the "session" was a glitch
        if value >= JITTER_KWH:
            self._reset_from = None  # the new session is under way
        return last

    # -- power ---------------------------------------------------------------

    def _integrate(self, state: VehicleState, now: datetime, home: bool) -> None:
        # Some sources keep showing the last power after a charge stopped.
        power = 0.0 if state.charging is False else state.charging_power
        if power is None:
            return  # nothing known now: the previous report keeps holding
        last, since = self._power, self._power_time
        self._power, self._power_time = max(0.0, power), now
        if last is None or since is None or now <= since:
            return
        if now - since > MAX_GAP:
            return
        self._add(last * (now - since).total_seconds() / 3600, home)

    def _add(self, kwh: float, home: bool) -> None:
        if kwh <= 0:
            return
        self._total += kwh
        if home:
            self._home_total += kwh

    # -- at home -------------------------------------------------------------

    def _is_home(self, state: VehicleState) -> bool:
        if self._at_home_fn is not None:
            return bool(self._at_home_fn())
        if self._home is None or state.position is None:
            return False
        home, fix = self._home, state.position
        if not (math.isfinite(fix.latitude) and math.isfinite(fix.longitude)):
            return False
        distance = great_circle_distance(fix.latitude, fix.longitude, home.latitude, home.longitude)
        return distance <= home.radius

    def _make_result(self, state: VehicleState | None) -> EnergyResult:
        rate = complete_at = None
        if state is not None and state.charging:
            rate = self._rate.now()
            level, limit = state.battery_level, state.charge_limit
            if rate is not None and level is not None and limit is not None:
                hours = max(0.0, limit - level) / rate
                at = state.timestamp + timedelta(hours=min(hours, 24 * 30))
                complete_at = at.replace(second=0, microsecond=0) + timedelta(
                    minutes=1 if at.second or at.microsecond else 0
                )
        method = "counter" if self._counter_seen else ("power" if self._power is not None else None)
        return EnergyResult(
            total_kwh=self._total,
            home_kwh=self._home_total,
            method=method,
            rate_percent_per_hour=None if rate is None else round(rate, 1),
            complete_at=complete_at,
            home_rate_percent_per_hour=(
                None if (home_rate := self._rate.home) is None else round(home_rate, 1)
            ),
        )

    # -- saving --------------------------------------------------------------

    def as_dict(self) -> dict[str, Any]:
        """Return the meter's state for the save file."""
        return {
            "total_kwh": self._total,
            "home_kwh": self._home_total,
            "counter": {
                "seen": self._counter_seen,
                "value": self._counter,
                "time": saved.iso(self._counter_time),
                "level": self._counter_level,
                "suspect": None if self._suspect is None else self._suspect[0],
                "suspect_time": None if self._suspect is None else saved.iso(self._suspect[1]),
                "suspect_level": None if self._suspect is None else self._suspect[2],
                "reset_from": self._reset_from,
                "peak_kw": self._peak_kw,
            },
            "power": {"kw": self._power, "time": saved.iso(self._power_time)},
            "rate": self._rate.samples_as_list(),
            "rate_at_home": self._rate.at_home,
            "home_rate": self._rate.home,
        }

    def restore(self, data: Any) -> list[str]:
        """Resume from :meth:`as_dict` output, keeping what is sound."""
        if data is None:
            return []
        if not isinstance(data, dict):
            return ["energy"]
        discarded: list[str] = []
        total = trust.number(data.get("total_kwh"), 0.0, _MAX_TOTAL_KWH)
        home = trust.number(data.get("home_kwh"), 0.0, _MAX_TOTAL_KWH)
        if total is None:
            discarded.append("energy_total")
        else:
            self._total = total
        if home is None or home > self._total + 1e-9:
            discarded.append("energy_at_home")
        else:
            self._home_total = home
        if "counter" in data and not self._restore_counter(data["counter"]):
            discarded.append("energy_counter")
        if "power" in data and not self._restore_power(data["power"]):
            discarded.append("energy_power")
        if "rate" in data and not self._rate.restore_samples(
            data["rate"], data.get("rate_at_home")
        ):
            discarded.append("charge_rate")
        if "home_rate" in data and not self._rate.restore_home(data["home_rate"]):
            discarded.append("home_charge_rate")
        self._result = self._make_result(None)
        return discarded

    def _restore_counter(self, data: Any) -> bool:
        try:
            if not isinstance(data, dict) or (seen := trust.boolean(data.get("seen"))) is None:
                raise saved.UnsoundError
            value = saved.number(data.get("value"), _MAX_COUNTER_KWH)
            suspect = saved.number(data.get("suspect"), _MAX_COUNTER_KWH)
            peak = saved.number(data.get("peak_kw"), MAX_CHARGER_KW * 5)
            level = saved.number(data.get("level"), 100.0)
            suspect_level = saved.number(data.get("suspect_level"), 100.0)
            reset_from = saved.number(data.get("reset_from"), _MAX_COUNTER_KWH)
            time, suspect_time = saved.time(data.get("time")), saved.time(data.get("suspect_time"))
        except saved.UnsoundError:
            return False
        if (value is None) != (time is None) or (suspect is None) != (suspect_time is None):
            return False
        self._counter_seen = seen
        self._counter, self._counter_time, self._counter_level = value, time, level
        self._suspect = None
        if suspect is not None and suspect_time is not None:
            self._suspect = (suspect, suspect_time, suspect_level)
        self._peak_kw, self._reset_from = peak, reset_from
        return True

    def _restore_power(self, data: Any) -> bool:
        try:
            if not isinstance(data, dict):
                raise saved.UnsoundError
            power = saved.number(data.get("kw"), trust.LIMITS["charging_power"][1])
            time = saved.time(data.get("time"))
        except saved.UnsoundError:
            return False
        if (power is None) != (time is None):
            return False
        self._power, self._power_time = power, time
        return True


def _counter(value: float) -> float | None:
    """Return a counter reading the meter can use, or None."""
    if not math.isfinite(value) or not 0 <= value <= _MAX_COUNTER_KWH:
        return None
    return value
