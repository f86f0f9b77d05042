"""Fuzzing the webhook parsers: any request yields a parsed update or a typed error, never a crash.

Thousands of random bodies, and of real senders' payloads (tests/vehicle/payloads.py)
with values replaced, keys dropped or added, and bytes flipped. Every update
that comes out must be clean: finite numbers within their documented ranges,
an aware timestamp not in the future.
"""

from __future__ import annotations

from datetime import timedelta
import json
import math
from typing import Any
from urllib.parse import parse_qsl, urlencode

from hypothesis import HealthCheck, given, settings, strategies as st

from custom_components.car_bridge.vehicle.formats import (
    CHARGE_STATES,
    MAX_CLOCK_SKEW,
    FormatError,
    ParseResult,
    TelemetryUpdate,
    parse_request,
)

from .payloads import (
    CAR_BRIDGE_FULL,
    FORM,
    NOW,
    OVMS_DRIVING,
    TESLAMATE_1X_CHARGING,
    TESLAMATE_PARKED,
    TRACCAR_8_QUERY,
    TRACCAR_9_JSON,
    TRACCAR_10_FORM,
    WICAN_FORM,
    ovms_query,
)

FUZZ = settings(
    max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)

RANGES: dict[str, tuple[float, float]] = {
    "latitude": (-90, 90),
    "longitude": (-180, 180),
    "accuracy": (0, 1_000_000),
    "speed": (0, 1000),
    "heading": (0, 360),
    "altitude": (-1000, 100_000),
    "battery_level": (0, 100),
    "range_km": (0, 5000),
    "charging_power": (0, 2000),
    "cabin_temperature": (-80, 120),
    "outside_temperature": (-80, 120),
    "battery_temperature": (-80, 120),
    "odometer": (0, 10_000_000),
    "sender_battery": (0, 100),
}

CONTENT_TYPES = st.sampled_from(
    [
        None,
        "",
        "application/json",
        "application/json; charset=utf-8",
        FORM,
        "application/x-www-form-urlencoded; charset=UTF-8",
        "text/plain",
        "multipart/form-data; boundary=x",
        "application/octet-stream",
    ]
)
KEYS = st.sampled_from(
    sorted(
        set(OVMS_DRIVING)
        | set(CAR_BRIDGE_FULL)
        | {k for k, _ in TRACCAR_8_QUERY}
        | {"tlm", "location", "coords", "device_id", "token", "deviceid", "bearing", "batt"}
    )
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["", "nan", "inf", "-1", "0", "1", "true", "2026-11-25T07:59:00Z", "52.1,4.2"]),
)
JSON_VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.one_of(KEYS, st.text(max_size=8)), inner, max_size=5),
    ),
    max_leaves=12,
)
SEEDS_JSON: list[dict[str, Any]] = [
    {"tlm": OVMS_DRIVING},
    TESLAMATE_PARKED,
    TESLAMATE_1X_CHARGING,
    TRACCAR_9_JSON,
    CAR_BRIDGE_FULL,
]
SEEDS_PARAMS: list[list[tuple[str, str]]] = [
    parse_qsl(WICAN_FORM),
    parse_qsl(TRACCAR_10_FORM),
    TRACCAR_8_QUERY,
    ovms_query(OVMS_DRIVING),
]


def check(result: ParseResult) -> None:
    """The one contract: a clean update or a typed error with a reason."""
    if isinstance(result, FormatError):
        assert result.reason
        return
    assert isinstance(result, TelemetryUpdate)
    for name, (low, high) in RANGES.items():
        value = getattr(result, name)
        if value is not None:
            assert isinstance(value, float), name
            assert math.isfinite(value), name
            assert low <= value <= high, name
    assert (result.latitude is None) == (result.longitude is None)
    assert result.charge_state is None or result.charge_state in CHARGE_STATES
    if result.timestamp is not None:
        assert result.timestamp.tzinfo is not None
        assert result.timestamp <= NOW + MAX_CLOCK_SKEW + timedelta(seconds=1)


def run(
    body: bytes, content_type: str | None, query: list[tuple[str, str]], method: str = "POST"
) -> None:
    check(parse_request(method=method, query=query, content_type=content_type, body=body, now=NOW))


def mutate(data: st.DataObject, value: Any, depth: int = 0) -> Any:
    """Replace, drop or add entries somewhere inside a JSON value."""
    if isinstance(value, dict) and value and depth < 4:
        out = dict(value)
        key = data.draw(st.sampled_from(sorted(out)))
        action = data.draw(st.sampled_from(["replace", "drop", "add", "descend"]))
        if action == "replace":
            out[key] = data.draw(JSON_VALUES)
        elif action == "drop":
            del out[key]
        elif action == "add":
            out[data.draw(KEYS)] = data.draw(JSON_VALUES)
        else:
            out[key] = mutate(data, out[key], depth + 1)
        return out
    return data.draw(JSON_VALUES)


@FUZZ
@given(
    body=st.binary(max_size=300),
    content_type=CONTENT_TYPES,
    method=st.sampled_from(["POST", "GET", "PUT"]),
)
def test_random_bytes(body: bytes, content_type: str | None, method: str) -> None:
    run(body, content_type, [], method)


@FUZZ
@given(
    doc=JSON_VALUES,
    content_type=CONTENT_TYPES,
    query=st.lists(st.tuples(KEYS, st.text(max_size=20)), max_size=4),
)
def test_random_json(doc: Any, content_type: str | None, query: list[tuple[str, str]]) -> None:
    run(json.dumps(doc).encode(), content_type, query)


@FUZZ
@given(data=st.data(), content_type=CONTENT_TYPES)
def test_mutated_real_json_payloads(data: st.DataObject, content_type: str | None) -> None:
    seed = data.draw(st.sampled_from(SEEDS_JSON))
    doc = seed
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        doc = mutate(data, doc)
    run(json.dumps(doc).encode(), content_type, [])


@FUZZ
@given(data=st.data(), as_body=st.booleans())
def test_mutated_real_parameters(data: st.DataObject, as_body: bool) -> None:
    params = list(data.draw(st.sampled_from(SEEDS_PARAMS)))
    for _ in range(data.draw(st.integers(min_value=1, max_value=4))):
        index = data.draw(st.integers(min_value=0, max_value=len(params)))
        value = data.draw(
            st.one_of(st.text(max_size=25), SCALARS.map(str), JSON_VALUES.map(json.dumps))
        )
        if index < len(params) and data.draw(st.booleans()):
            params[index] = (params[index][0], value)
        else:
            params.insert(index, (data.draw(KEYS), value))
    if as_body:
        run(urlencode(params).encode(), FORM, [])
    else:
        run(b"", None, params)


@FUZZ
@given(data=st.data())
def test_flipped_bytes_of_real_bodies(data: st.DataObject) -> None:
    body = bytearray(
        data.draw(
            st.sampled_from(
                [json.dumps(seed).encode() for seed in SEEDS_JSON]
                + [WICAN_FORM.encode(), TRACCAR_10_FORM.encode()]
            )
        )
    )
    for _ in range(data.draw(st.integers(min_value=1, max_value=6))):
        body[data.draw(st.integers(min_value=0, max_value=len(body) - 1))] = data.draw(
            st.integers(0, 255)
        )
    run(bytes(body), data.draw(CONTENT_TYPES), [])
