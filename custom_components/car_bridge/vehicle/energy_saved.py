"""Reading the energy meter's save file: optional numbers and times, or a refusal.

Pure Python. A value that is present but cannot be trusted raises
:class:`UnsoundError`, so the meter discards the part it belongs to.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from . import trust


class UnsoundError(Exception):
    """A saved value that is present but cannot be trusted."""


def iso(time: datetime | None) -> str | None:
    """Return ``time`` for the save file."""
    return None if time is None else time.isoformat()


def number(value: Any, high: float) -> float | None:
    """Return a saved optional number in [0, high]; raise if it is bad."""
    if value is None:
        return None
    if (checked := trust.number(value, 0.0, high)) is None:
        raise UnsoundError
    return checked


def time(value: Any) -> datetime | None:
    """Return a saved optional aware time; raise if it is bad."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise UnsoundError
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as err:
        raise UnsoundError from err
    if parsed.tzinfo is None:
        raise UnsoundError
    return parsed
