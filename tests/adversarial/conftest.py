"""The attacker's tools: one vehicle per group of attacks, and the invariants each must keep.

Each test here runs a whole group of attacks against one Home Assistant (a
setup costs more than a hundred attacks), records every attack that broke an
invariant, and fails naming them all. The invariants, after every attack:

- nothing logged at ERROR or above, no traceback, no "Unexpected error";
- every Car Bridge entity shows unknown, unavailable or a valid value: never
  ``nan``/``inf``/``-0.0``, never outside its physical range;
- the vehicle stays set up (``ConfigEntryState.LOADED``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
import logging
import math
import re

import pytest

from custom_components.car_bridge.const import DOMAIN
from homeassistant.config_entries import ConfigEntry, ConfigEntryState
from homeassistant.const import STATE_UNAVAILABLE, STATE_UNKNOWN
from homeassistant.core import HomeAssistant
from homeassistant.helpers import entity_registry as er

#: The physical range each numeric entity may show, by its unique-id suffix.
ENTITY_RANGES: dict[str, tuple[float, float]] = {
    "battery": (0.0, 100.0),
    "range": (0.0, 5000.0),
    "cabin_temperature": (-80.0, 120.0),
    "outside_temperature": (-80.0, 120.0),
    "charging_power": (0.0, 2000.0),
    "odometer": (0.0, 10_000_000.0),
    "speed": (0.0, 500.0),
    "distance_to_home": (0.0, 20_100.0),  # half the Earth's circumference, km
    "time_to_home": (0.0, 1_000_000.0),  # minutes
    "charge_limit": (0.0, 100.0),
}
#: Attributes that are numbers when present, and their ranges.
ATTRIBUTE_RANGES: dict[str, tuple[float, float]] = {
    "latitude": (-90.0, 90.0),
    "longitude": (-180.0, 180.0),
    "gps_accuracy": (0.0, 1_000_000.0),
    "current_temperature": (-80.0, 120.0),
    "temperature": (-80.0, 120.0),
}
#: A coordinate written with three decimals or more (about 100 m or better).
PRECISE_COORDINATE = re.compile(r"(?<![\w.])-?\d{1,3}\.\d{3,}")


@dataclass
class Tally:
    """What a group of attacks did: how many ran, which broke what."""

    attacks: int = 0
    broken: list[str] = field(default_factory=list)

    def check(self, name: str, problems: Iterable[str]) -> None:
        """Count one attack; remember what it broke."""
        self.attacks += 1
        self.broken.extend(f"{name}: {problem}" for problem in problems)

    def assert_held(self) -> None:
        """Fail naming every attack that broke an invariant."""
        assert not self.broken, f"{len(self.broken)} broken of {self.attacks}:\n" + "\n".join(
            self.broken[:60]
        )


def _number(text: str) -> float | None:
    try:
        return float(text)
    except ValueError:
        return None


def _state_problems(entity_id: str, key: str, text: str) -> list[str]:
    value = _number(text)
    if value is None:
        return []
    if not math.isfinite(value) or (text.startswith("-") and value == 0):
        return [f"{entity_id} shows {text}"]
    low, high = ENTITY_RANGES.get(key, (-math.inf, math.inf))
    if not low <= value <= high:
        return [f"{entity_id} shows {text}, outside [{low}, {high}]"]
    return []


def entity_problems(hass: HomeAssistant, entry: ConfigEntry) -> list[str]:
    """Return what is wrong with any entity of ``entry`` (empty if all are sound)."""
    problems: list[str] = []
    if entry.state is not ConfigEntryState.LOADED:
        problems.append(f"entry is {entry.state}")
    for reg in er.async_entries_for_config_entry(er.async_get(hass), entry.entry_id):
        state = hass.states.get(reg.entity_id)
        if state is None:
            continue  # disabled by default
        key = next((k for k in ENTITY_RANGES if reg.unique_id.endswith(f"_{k}")), "")
        problems += _state_problems(reg.entity_id, key, state.state)
        for name, (low, high) in ATTRIBUTE_RANGES.items():
            raw = state.attributes.get(name)
            if raw is None:
                continue
            if (
                isinstance(raw, bool)
                or not isinstance(raw, (int, float))
                or not (math.isfinite(raw) and low <= raw <= high)
                or (raw == 0 and math.copysign(1, raw) < 0)
            ):
                problems.append(f"{reg.entity_id}.{name} is {raw!r}")
    return problems


def log_problems(records: Iterable[logging.LogRecord]) -> list[str]:
    """Return the records that mean something crashed."""
    found = []
    for record in records:
        message = record.getMessage()
        if record.name == "aiohttp.access" and message == "Error in logging":
            # freezegun's time.localtime() has no tm_gmtoff: aiohttp's access
            # log cannot format a line under a frozen clock (a test artefact).
            continue
        if (
            record.levelno >= logging.ERROR
            or record.exc_info
            or "Traceback" in message
            or "Unexpected error" in message
        ):
            found.append(f"{record.levelname} {record.name}: {message[:300]}")
    return found


def shown(hass: HomeAssistant, entity_id: str) -> str:
    """Return an entity's state (it must exist)."""
    state = hass.states.get(entity_id)
    assert state is not None, entity_id
    return state.state


def unknown_or_unavailable(text: str) -> bool:
    """Return whether a state says "no value"."""
    return text in (STATE_UNKNOWN, STATE_UNAVAILABLE)


#: Every test's tally, for the summary: attacks run and held per test.
TALLIES: dict[str, Tally] = {}


@pytest.fixture
def tally(request: pytest.FixtureRequest) -> Tally:
    """The attacks of one test."""
    return TALLIES.setdefault(request.node.nodeid, Tally())


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many attacks ran and how many held."""
    if not TALLIES:
        return
    attacks = sum(t.attacks for t in TALLIES.values())
    broken = sum(len({b.split(": ", 1)[0] for b in t.broken}) for t in TALLIES.values())
    terminalreporter.write_line(
        f"adversarial: {attacks} attacks in {len(TALLIES)} groups, {attacks - broken} held"
    )
    for name, t in TALLIES.items():
        terminalreporter.write_line(f"  {t.attacks:5d}  {name.rsplit('::', 1)[-1]}")


def entry_of(hass: HomeAssistant) -> ConfigEntry:
    """Return the only Car Bridge entry."""
    (entry,) = hass.config_entries.async_entries(DOMAIN)
    return entry
