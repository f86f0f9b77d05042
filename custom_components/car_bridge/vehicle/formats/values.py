"""Strict coercion and range checks shared by every format.

Each helper takes the field's name as the sender spells it and a raw value
(from JSON, or a string from a query or form), and returns a clean value,
``None`` for "not reported", or raises :class:`Invalid` naming the field.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
import math
from typing import Final

from .model import ErrorCode

#: A sender's clock may run ahead of ours by this much before its fix is refused.
MAX_CLOCK_SKEW: Final = timedelta(minutes=5)
#: Fixes stamped before this are a dongle without a clock, not telemetry.
EARLIEST: Final = datetime(2000, 1, 1, tzinfo=UTC)
#: Epoch numbers above this are milliseconds (1e11 s is the year 5138).
MILLISECONDS_ABOVE: Final = 1e11
_SKEW_MINUTES: Final = int(MAX_CLOCK_SKEW.total_seconds() // 60)

KNOTS_TO_KMH: Final = 1.852
MS_TO_KMH: Final = 3.6

_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


class Invalid(Exception):  # noqa: N818 - an outcome, not a crash: it becomes a FormatError
    """A value broke a rule; carries the error code and a reason without the value."""

    def __init__(self, code: ErrorCode, reason: str) -> None:
        """Store the code and reason."""
        super().__init__(reason)
        self.code = code
        self.reason = reason


def number(
    name: str,
    raw: object,
    *,
    low: float | None = None,
    high: float | None = None,
    strings: bool = True,
) -> float | None:
    """Return ``raw`` as a finite float within [low, high], or ``None`` if absent.

    JSON booleans are refused: ``true`` is not 1 %. Strings are parsed when
    ``strings`` is set (query and form values are always strings, and some
    ABRP senders quote their numbers); an empty string means "not reported".
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise Invalid(ErrorCode.WRONG_TYPE, f"{name} must be a number, not a boolean")
    if isinstance(raw, int | float):
        try:
            value = float(raw)
        except OverflowError:
            raise Invalid(ErrorCode.OUT_OF_RANGE, f"{name} is too large") from None
    elif isinstance(raw, str) and strings:
        text = raw.strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise Invalid(ErrorCode.WRONG_TYPE, f"{name} must be a number") from None
    else:
        raise Invalid(ErrorCode.WRONG_TYPE, f"{name} must be a number")
    if not math.isfinite(value):
        raise Invalid(ErrorCode.NOT_FINITE, f"{name} must be a finite number")
    if low is not None and value < low:
        raise Invalid(ErrorCode.OUT_OF_RANGE, f"{name} must be at least {low:g}")
    if high is not None and value > high:
        raise Invalid(ErrorCode.OUT_OF_RANGE, f"{name} must be at most {high:g}")
    return value + 0.0  # -0.0 is 0: a battery never shows "-0.0 %"


def flag(name: str, raw: object, *, lenient: bool = True) -> bool | None:
    """Return ``raw`` as a boolean, or ``None`` if absent.

    Strict mode (Car Bridge JSON) takes only JSON booleans. Lenient mode (ABRP)
    also takes 0/1 and the strings "0", "1", "true", "false": OVMS sends
    booleans, WiCAN and TeslaMate-ABRP send 0/1, TeslaMate-ABRP 1.x sends "1".
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        return raw
    if lenient:
        if isinstance(raw, int | float) and raw in (0, 1):
            return bool(raw)
        if isinstance(raw, str):
            text = raw.strip().lower()
            if not text:
                return None
            if text in _TRUE:
                return True
            if text in _FALSE:
                return False
        raise Invalid(ErrorCode.WRONG_TYPE, f"{name} must be 0, 1, true or false")
    raise Invalid(ErrorCode.WRONG_TYPE, f"{name} must be true or false")


def text(name: str, raw: object, *, max_length: int = 128) -> str | None:
    """Return an identifier-like string (numbers are accepted and printed), or ``None``."""
    if raw is None:
        return None
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise Invalid(ErrorCode.WRONG_TYPE, f"{name} must be a string")
    value = str(raw).strip() if isinstance(raw, str) else str(raw)
    if len(value) > max_length:
        raise Invalid(ErrorCode.OUT_OF_RANGE, f"{name} must be at most {max_length} characters")
    return value or None


def epoch(name: str, raw: object, now: datetime, *, strings: bool = True) -> datetime | None:
    """Return an epoch number (seconds, or milliseconds when that large) as a UTC datetime."""
    seconds = number(name, raw, strings=strings)
    if seconds is None:
        return None
    if seconds > MILLISECONDS_ABOVE:
        seconds /= 1000
    return _checked(name, seconds, now)


def timestamp(name: str, raw: object, now: datetime) -> datetime | None:
    """Return an ISO 8601 string or an epoch number as a UTC datetime.

    A naive ISO time is taken as UTC (Traccar's own OsmAnd decoder does the same).
    """
    if raw is None:
        return None
    if isinstance(raw, str):
        stripped = raw.strip()
        if not stripped:
            return None
        if _looks_numeric(stripped):
            return epoch(name, stripped, now)
        try:
            parsed = datetime.fromisoformat(stripped)
        except ValueError:
            raise Invalid(
                ErrorCode.INVALID_VALUE, f"{name} must be an ISO 8601 time or epoch seconds"
            ) from None
        if parsed.tzinfo is None:
            parsed = parsed.replace(tzinfo=UTC)
        return _checked(name, parsed.timestamp(), now)
    return epoch(name, raw, now, strings=False)


def _looks_numeric(value: str) -> bool:
    body = value.removeprefix("-")
    return body.replace(".", "", 1).isdigit() or value.lower() in {"nan", "inf", "-inf", "infinity"}


def _checked(name: str, seconds: float, now: datetime) -> datetime:
    if seconds < EARLIEST.timestamp():
        raise Invalid(ErrorCode.OUT_OF_RANGE, f"{name} is before the year 2000")
    if seconds > (now + MAX_CLOCK_SKEW).timestamp():
        raise Invalid(
            ErrorCode.FUTURE_TIMESTAMP,
            f"{name} is more than {_SKEW_MINUTES} minutes in the future",
        )
    return datetime.fromtimestamp(seconds, tz=UTC)


def position(
    lat_name: str, lat_raw: object, lon_name: str, lon_raw: object, *, strings: bool = True
) -> tuple[float, float] | None:
    """Return a (latitude, longitude) pair, or ``None`` when neither is reported.

    One without the other is an error. Exactly (0, 0) is taken as "no fix":
    ABRP senders start from zeros before the car has reported a position.
    """
    lat = number(lat_name, lat_raw, low=-90, high=90, strings=strings)
    lon = number(lon_name, lon_raw, low=-180, high=180, strings=strings)
    if lat is None and lon is None:
        return None
    if lat is None or lon is None:
        missing = lat_name if lat is None else lon_name
        present = lon_name if lat is None else lat_name
        raise Invalid(ErrorCode.MISSING_FIELD, f"{present} was sent without {missing}")
    if lat == 0 and lon == 0:
        return None
    return lat, lon


def heading(
    name: str, raw: object, *, strings: bool = True, unknown: float | None = None
) -> float | None:
    """Return a heading in [0, 360); ``unknown`` is the sender's "no heading" sentinel."""
    value = number(name, raw, strings=strings)
    if value is None or value == unknown:
        return None
    if not 0 <= value <= 360:
        raise Invalid(ErrorCode.OUT_OF_RANGE, f"{name} must be between 0 and 360")
    return value % 360


def accuracy(name: str, raw: object, *, strings: bool = True) -> float | None:
    """Return a horizontal accuracy in metres; 0 and negative sentinels mean unknown."""
    value = number(name, raw, high=1_000_000, strings=strings)
    if value is None or value <= 0:
        return None
    return value
