"""From what an HTTP request carries to a parsed update or a typed error.

Detection, in order:
1. A body starting with ``{`` or ``[`` is JSON, whatever its content type
   (``curl -d`` labels JSON as a form). An object with ``tlm`` is ABRP, one
   with ``location`` (or ``coords``) is Traccar Client 9, one with ABRP's
   ``utc``/``soc``/… and no Car Bridge key is a bare ABRP ``tlm`` object,
   anything else is Car Bridge JSON.
2. Any other non-empty body must be a form (``a=1&b=2``); its fields join the
   query parameters (the body wins a tie).
3. Parameters with ``tlm`` are ABRP with the JSON in that field; with ABRP's
   ``utc``/``soc``/… a flat ABRP form; with ``id``/``lat``/``lon``/… OsmAnd.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
import json
from typing import Final
from urllib.parse import parse_qsl, unquote

from . import abrp, car_bridge, osmand, values as v
from .model import ErrorCode, FormatError, ParseResult, PayloadEncoding

MAX_BODY_BYTES: Final = 64 * 1024
#: What a body over the limit gets (for callers that stop reading at the limit).
BODY_TOO_LARGE: Final = FormatError(ErrorCode.BODY_TOO_LARGE, "the body is larger than 64 KiB")
#: What a body gets that the server could not decode (a Content-Encoding it is not in).
BODY_UNREADABLE: Final = FormatError(
    ErrorCode.BAD_ENCODING, "the body could not be decoded (its Content-Encoding does not match it)"
)

_FORM: Final = "application/x-www-form-urlencoded"
#: Car Bridge keys that ABRP does not use: their presence means Car Bridge JSON.
_CAR_BRIDGE_ONLY: Final = frozenset(car_bridge.FIELDS) - {"speed", "heading", "odometer"}


def parse_request(
    *,
    method: str,
    query: Iterable[tuple[str, str]],
    content_type: str | None,
    body: bytes,
    now: datetime,
) -> ParseResult:
    """Return the update a webhook request carries, or why it cannot be used.

    ``query`` is the request's query parameters as (name, value) pairs, ``now``
    the server's aware UTC time (timestamps beyond it plus a small skew are
    refused). Never raises for any input; never logs (values may be private).
    """
    if len(body) > MAX_BODY_BYTES:
        return BODY_TOO_LARGE
    try:
        return _parse(method, dict(query), content_type, body, now)
    except v.Invalid as err:
        return FormatError(err.code, err.reason)


def _parse(
    method: str, params: dict[str, str], content_type: str | None, body: bytes, now: datetime
) -> ParseResult:
    if method.upper() in {"GET", "HEAD"}:
        body = b""
    try:
        text = body.decode("utf-8").removeprefix("\ufeff").strip()
    except UnicodeDecodeError:
        raise v.Invalid(ErrorCode.BAD_ENCODING, "the body is not UTF-8 text") from None
    mime = (content_type or "").split(";", 1)[0].strip().lower()

    if text[:1] in {"{", "["} or (text and (mime == "application/json" or mime.endswith("+json"))):
        return _from_json(_load_json(text, "the body"), now)
    if text:
        if mime != _FORM and "=" not in text:
            raise v.Invalid(
                ErrorCode.UNSUPPORTED_FORMAT,
                "the body is neither a JSON object nor a form (a=1&b=2)",
            )
        params.update(parse_qsl(text, keep_blank_values=True))
        return _from_params(params, PayloadEncoding.FORM, now)
    if not params:
        raise v.Invalid(ErrorCode.NO_VALUES, "the request has no body and no query parameters")
    return _from_params(params, PayloadEncoding.QUERY, now)


def _load_json(text: str, what: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        raise v.Invalid(
            ErrorCode.MALFORMED_JSON,
            f"{what} is not valid JSON ({err.msg} at line {err.lineno} column {err.colno})",
        ) from None
    except ValueError, RecursionError:  # integers too long to convert, absurd nesting
        raise v.Invalid(ErrorCode.MALFORMED_JSON, f"{what} is not valid JSON") from None


def _from_json(doc: object, now: datetime) -> ParseResult:
    if not isinstance(doc, dict):
        raise v.Invalid(ErrorCode.WRONG_SHAPE, "the JSON body must be an object")
    if "tlm" in doc:
        tlm = doc["tlm"]
        if isinstance(tlm, str):
            tlm = _load_json(tlm, "tlm")
        return abrp.parse(_object(tlm, "tlm"), PayloadEncoding.JSON, now)
    if "location" in doc or "coords" in doc:
        return osmand.parse_json(doc, now)
    if not doc.keys() & _CAR_BRIDGE_ONLY and doc.keys() & abrp.MARKERS:
        return abrp.parse(doc, PayloadEncoding.JSON, now)
    return car_bridge.parse(doc, now)


def _from_params(
    params: Mapping[str, str], encoding: PayloadEncoding, now: datetime
) -> ParseResult:
    if "tlm" in params:
        raw = params["tlm"].strip()
        if raw[:3].upper() == "%7B":
            raw = unquote(raw)  # encoded twice by some senders
        return abrp.parse(
            _object(_load_json(raw, "tlm"), "tlm"), PayloadEncoding.TLM_PARAMETER, now
        )
    if params.keys() & abrp.MARKERS:
        return abrp.parse(params, encoding, now)
    if params.keys() & osmand.MARKERS:
        return osmand.parse_params(params, encoding, now)
    raise v.Invalid(
        ErrorCode.UNSUPPORTED_FORMAT,
        "no known parameters: expected ABRP (tlm, or utc/soc/lat/lon)"
        " or OsmAnd (id, lat, lon, timestamp)",
    )


def _object(value: object, name: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise v.Invalid(ErrorCode.WRONG_SHAPE, f"{name} must be a JSON object")
    return value
