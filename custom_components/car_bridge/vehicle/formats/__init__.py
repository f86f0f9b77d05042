"""Pure parsers for the payloads that dongles and tracker apps post to a webhook.

No Home Assistant imports: one entry point, :func:`parse_request`, turns what
an HTTP request carries into a :class:`TelemetryUpdate` or a :class:`FormatError`.
"""

from .model import (
    CHARGE_STATES,
    ErrorCode,
    FormatError,
    ParseResult,
    PayloadEncoding,
    PayloadFormat,
    ReportedChargeState,
    TelemetryUpdate,
)
from .request import BODY_TOO_LARGE, BODY_UNREADABLE, MAX_BODY_BYTES, parse_request
from .values import MAX_CLOCK_SKEW

__all__ = [
    "BODY_TOO_LARGE",
    "BODY_UNREADABLE",
    "CHARGE_STATES",
    "MAX_BODY_BYTES",
    "MAX_CLOCK_SKEW",
    "ErrorCode",
    "FormatError",
    "ParseResult",
    "PayloadEncoding",
    "PayloadFormat",
    "ReportedChargeState",
    "TelemetryUpdate",
    "parse_request",
]
