"""Webhook payload parsers on their own: every real sender's shape, every kind of bad input."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
import json
from pathlib import Path
from typing import Any

import pytest

from custom_components.car_bridge.vehicle.formats import (
    CHARGE_STATES,
    MAX_BODY_BYTES,
    ErrorCode,
    FormatError,
    ParseResult,
    PayloadEncoding,
    PayloadFormat,
    TelemetryUpdate,
    parse_request,
)
from custom_components.car_bridge.vehicle.formats.car_bridge import FIELDS
from custom_components.car_bridge.vehicle.model import ChargeState

from .payloads import (
    API_KEY,
    CAR_BRIDGE_FULL,
    FORM,
    NOW,
    OVMS_CHARGING,
    OVMS_DRIVING,
    TESLAMATE_1X_CHARGING,
    TESLAMATE_PARKED,
    TESLAMATE_STARTING,
    TOKEN,
    TRACCAR_8_QUERY,
    TRACCAR_9_JSON,
    TRACCAR_10_CONTENT_TYPE,
    TRACCAR_10_FORM,
    UTC_NOW,
    WICAN_FORM,
    WICAN_TLM_FORM,
    WICAN_TLM_FORM_TWICE,
    ovms_query,
)

SCHEMA = Path(__file__).parents[2] / "docs" / "car_bridge_payload.schema.json"


def parse(
    body: bytes | str | dict[str, Any] | list[Any] = b"",
    *,
    content_type: str | None = None,
    query: Iterable[tuple[str, str]] = (),
    method: str = "POST",
) -> ParseResult:
    if isinstance(body, dict | list):
        body = json.dumps(body)
        content_type = content_type or "application/json"
    if isinstance(body, str):
        body = body.encode()
    return parse_request(method=method, query=query, content_type=content_type, body=body, now=NOW)


def ok(*args: Any, **kwargs: Any) -> TelemetryUpdate:
    result = parse(*args, **kwargs)
    assert isinstance(result, TelemetryUpdate), result
    assert TOKEN not in repr(result)
    assert API_KEY not in repr(result)
    return result


def bad(*args: Any, **kwargs: Any) -> FormatError:
    result = parse(*args, **kwargs)
    assert isinstance(result, FormatError), result
    return result


# --- ABRP ------------------------------------------------------------------------------


def test_ovms_get_with_tlm_query_while_driving() -> None:
    """OVMS ovms-link abrp.js: GET ?api_key&token&tlm=JSON, booleans, nil omitted."""
    update = ok(query=ovms_query(OVMS_DRIVING), method="GET")
    assert update.format is PayloadFormat.ABRP
    assert update.encoding is PayloadEncoding.TLM_PARAMETER
    assert update.timestamp == NOW - timedelta(seconds=3)
    assert (update.latitude, update.longitude) == (52.37652, 4.90871)
    assert update.speed == 52
    assert update.heading == 184.5
    assert update.altitude == 2.1
    assert update.battery_level == 63
    assert update.range_km == 211
    assert update.outside_temperature == 7
    assert update.battery_temperature == 14
    assert update.odometer == 48211
    # Driving: no cable, and no energy flowing in.
    assert update.charge_state == "disconnected"
    assert update.charging_power == 0
    assert update.accuracy is None
    assert update.cabin_temperature is None


def test_ovms_charging_power_is_positive_into_the_battery() -> None:
    """OVMS reports v.b.power negative while charging (ABRP convention)."""
    update = ok(query=ovms_query(OVMS_CHARGING), method="GET")
    assert update.charge_state == "charging"
    assert update.charging_power == pytest.approx(7.18)


def test_ovms_get_body_is_ignored() -> None:
    """A GET's body is not part of the request's meaning."""
    update = ok(b"garbage", query=ovms_query(OVMS_DRIVING), method="GET")
    assert update.battery_level == 63


def test_teslamate_abrp_json_body_with_token_in_query() -> None:
    """teslamate-abrp 2.x: POST json={"tlm": data} to ?token=…, extra keys ignored."""
    update = ok(TESLAMATE_PARKED, query=[("token", TOKEN)])
    assert update.format is PayloadFormat.ABRP
    assert update.encoding is PayloadEncoding.JSON
    assert update.battery_level == 78
    assert update.range_km == 301.5
    assert update.heading == 91
    assert (update.latitude, update.longitude) == (52.36761, 4.90413)
    # Parked, not charging: the cable may or may not be in. No claim either way.
    assert update.charge_state is None
    assert update.charging_power == 0


def test_teslamate_abrp_zero_defaults_are_no_position() -> None:
    """teslamate-abrp 2.x posts lat 0 / lon 0 before MQTT delivered: not a fix at null island."""
    update = ok(TESLAMATE_STARTING)
    assert not update.has_position
    assert update.latitude is None


def test_teslamate_abrp_1x_quoted_numbers_and_empty_strings() -> None:
    """teslamate-abrp 1.x copied MQTT payloads as strings and used "" for unknown."""
    update = ok(TESLAMATE_1X_CHARGING, query=[("token", TOKEN)])
    assert update.battery_level == 64
    assert update.latitude == pytest.approx(52.36761)
    assert update.altitude is None
    assert update.heading is None
    assert update.outside_temperature == 5.5
    assert update.charge_state == "charging"
    assert update.charging_power == 11


def test_wican_flat_form_body() -> None:
    """WiCAN ABRP API destination: utc=…&soc=…&lat=… form body, is_charging 0."""
    update = ok(WICAN_FORM, content_type=FORM)
    assert update.format is PayloadFormat.ABRP
    assert update.encoding is PayloadEncoding.FORM
    assert update.timestamp == NOW - timedelta(seconds=2)
    assert update.battery_level == pytest.approx(54.1)
    assert update.speed == pytest.approx(23.4)
    assert (update.latitude, update.longitude) == (52.38001, 4.88123)
    # Not charging and moving at 23 km/h: no cable.
    assert update.charge_state == "disconnected"
    assert update.charging_power == 0


@pytest.mark.parametrize("body", [WICAN_TLM_FORM, WICAN_TLM_FORM_TWICE])
def test_tlm_json_in_a_form_field(body: str) -> None:
    """WiCAN's test server reads `tlm` from a form, sometimes URL-encoded twice."""
    update = ok(body, content_type=FORM)
    assert update.encoding is PayloadEncoding.TLM_PARAMETER
    assert update.charge_state == "charging"
    assert update.battery_level == 63


def test_abrp_kwh_charged_is_the_energy_added_counter() -> None:
    assert ok({"tlm": OVMS_CHARGING}).energy_added == pytest.approx(3.4)
    assert ok({"tlm": {**OVMS_CHARGING, "kwh_charged": -3.4}}).energy_added == pytest.approx(3.4)
    assert (
        ok({"tlm": {k: v for k, v in OVMS_CHARGING.items() if k != "kwh_charged"}}).energy_added
        is None
    )
    # A tlm of the counter alone is telemetry too (a charger script posts just that).
    assert ok({"tlm": {"kwh_charged": 7.5}}).energy_added == pytest.approx(7.5)


def test_abrp_bare_tlm_object_as_json() -> None:
    """Some scripts post the tlm object itself; ABRP keys without Car Bridge ones mean ABRP."""
    update = ok({"utc": UTC_NOW, "soc": 40, "lat": 52.1, "lon": 4.1, "is_charging": 1})
    assert update.format is PayloadFormat.ABRP
    assert update.charge_state == "charging"
    assert update.charging_power is None  # charging, but no power reported


def test_abrp_without_utc_has_no_timestamp() -> None:
    update = ok(f"soc=50&token={TOKEN}", content_type=FORM)
    assert update.timestamp is None
    assert update.battery_level == 50


def test_empty_values_mean_not_reported() -> None:
    """Forms carry "" for values a sender does not have."""
    update = ok("utc=&soc=50&is_charging=&is_parked=&lat=&lon=&heading=", content_type=FORM)
    assert update.timestamp is None
    assert update.charge_state is None
    assert not update.has_position
    osmand = ok(query=[("id", ""), ("timestamp", " "), ("lat", "1"), ("lon", "2"), ("batt", "")])
    assert osmand.device_id is None
    assert osmand.timestamp is None
    assert osmand.sender_battery is None


def test_abrp_negative_speed_is_reversing() -> None:
    assert ok({"tlm": {"soc": 50, "speed": -7}}).speed == 7


@pytest.mark.parametrize(
    ("tlm", "expected"),
    [
        ({"is_charging": 1}, "charging"),
        ({"is_charging": True, "is_parked": True}, "charging"),
        ({"is_dcfc": 1}, "charging"),
        ({"is_charging": "1"}, "charging"),
        ({"is_parked": 0}, "disconnected"),
        ({"is_parked": "false"}, "disconnected"),
        ({"is_charging": 0, "speed": 60}, "disconnected"),
        ({"is_charging": 0, "is_parked": 1}, None),
        ({"is_charging": 0}, None),
        ({"speed": 3}, None),
        ({}, None),
    ],
)
def test_abrp_charge_state_never_claims_a_cable_without_evidence(
    tlm: dict[str, Any], expected: str | None
) -> None:
    update = ok({"tlm": {"soc": 50, **tlm}})
    assert update.charge_state == expected
    # The reported strings are the vehicle model's own.
    if expected is not None:
        assert ChargeState(expected)


# --- OsmAnd / Traccar Client --------------------------------------------------------------


def test_traccar_client_8_query_parameters() -> None:
    """Traccar Client for Android ≤ 8: POST with OsmAnd query parameters, speed in knots."""
    update = ok(query=TRACCAR_8_QUERY)
    assert update.format is PayloadFormat.OSMAND
    assert update.encoding is PayloadEncoding.QUERY
    assert update.device_id == "82879256"
    assert update.timestamp == NOW - timedelta(seconds=4)
    assert (update.latitude, update.longitude) == (52.3712345, 4.8998765)
    assert update.speed == pytest.approx(27.0 * 1.852)
    assert update.heading == 91.5
    assert update.altitude == 12
    assert update.accuracy is None  # 0 = a GPS fix whose accuracy the app does not report
    # batt is the phone's battery, never the car's.
    assert update.sender_battery == 67
    assert update.battery_level is None
    assert update.charge_state is None


def test_traccar_client_10_form_body() -> None:
    """Traccar Client 10 posts the same parameters as a form body (core's traccar rejected it)."""
    update = ok(TRACCAR_10_FORM, content_type=TRACCAR_10_CONTENT_TYPE)
    assert update.format is PayloadFormat.OSMAND
    assert update.encoding is PayloadEncoding.FORM
    assert update.timestamp == datetime(2026, 11, 25, 7, 59, 50, tzinfo=UTC)
    assert update.accuracy == 9.6
    assert update.speed == 0
    assert update.heading == 0
    assert update.sender_battery == 81
    assert update.battery_level is None


def test_osmand_millisecond_timestamp_and_aliases() -> None:
    """Old clients sent milliseconds (traccar-client issue 85); Traccar accepts deviceid/heading."""
    ms = str((UTC_NOW - 10) * 1000 + 574)
    update = ok(
        query=[
            ("deviceid", "abc"),
            ("timestamp", ms),
            ("lat", "1.5"),
            ("lon", "2.5"),
            ("heading", "10"),
        ]
    )
    assert update.timestamp == NOW - timedelta(seconds=10) + timedelta(milliseconds=574)
    assert update.device_id == "abc"
    assert update.heading == 10


def test_osmand_naive_iso_timestamp_is_utc() -> None:
    """Traccar's own OsmAnd decoder reads a time without offset as UTC."""
    update = ok(
        query=[("id", "x"), ("timestamp", "2026-11-25 07:59:00"), ("lat", "1"), ("lon", "2")]
    )
    assert update.timestamp == NOW - timedelta(minutes=1)


def test_osmand_location_parameter() -> None:
    update = ok(query=[("id", "x"), ("location", "52.5,13.4")])
    assert (update.latitude, update.longitude) == (52.5, 13.4)


def test_traccar_client_9_json() -> None:
    """Traccar Client 9: flutter_background_geolocation JSON, speed in m/s, battery 0..1."""
    update = ok(TRACCAR_9_JSON)
    assert update.format is PayloadFormat.TRACCAR_JSON
    assert update.device_id == "82879256"
    assert update.timestamp == datetime(2026, 11, 25, 7, 59, 58, 587000, tzinfo=UTC)
    assert (update.latitude, update.longitude) == (52.3698765, 4.9012345)
    assert update.accuracy == 4.32
    assert update.speed == pytest.approx(13.9 * 3.6)
    assert update.heading == 158.44
    assert update.altitude == 103
    assert update.sender_battery == pytest.approx(88)
    assert update.battery_level is None


def test_traccar_client_9_unknown_speed_and_heading() -> None:
    """flutter_background_geolocation reports -1 for an unknown speed or heading."""
    body = json.loads(json.dumps(TRACCAR_9_JSON))
    body["location"]["coords"] |= {"speed": -1, "heading": -1}
    body["location"]["battery"]["level"] = -1
    update = ok(body)
    assert update.speed is None
    assert update.heading is None
    assert update.sender_battery is None


def test_location_at_the_root() -> None:
    """flutter_background_geolocation with httpRootProperty "." puts the location at the root."""
    update = ok(TRACCAR_9_JSON["location"])
    assert update.format is PayloadFormat.TRACCAR_JSON
    assert update.latitude == 52.3698765
    assert update.device_id is None


def test_traccar_client_9_batch_takes_the_newest_fix() -> None:
    newer = json.loads(json.dumps(TRACCAR_9_JSON["location"]))
    newer["timestamp"] = "2026-11-25T07:59:59Z"
    newer["coords"]["latitude"] = 52.4
    update = ok({"device_id": "1", "location": [newer, TRACCAR_9_JSON["location"]]})
    assert update.latitude == 52.4


# --- Car Bridge JSON --------------------------------------------------------------------


def test_car_bridge_json_every_field() -> None:
    update = ok(CAR_BRIDGE_FULL)
    assert update.format is PayloadFormat.CAR_BRIDGE
    for field in FIELDS:
        if field != "timestamp":
            assert getattr(update, field) == CAR_BRIDGE_FULL[field], field
    assert update.timestamp == datetime(2026, 11, 25, 7, 59, 30, tzinfo=UTC)


def test_car_bridge_json_partial_and_epoch_timestamp() -> None:
    update = ok({"battery_level": 80, "charge_state": "charging", "timestamp": UTC_NOW - 60})
    assert update.battery_level == 80
    assert update.charge_state == "charging"
    assert update.timestamp == NOW - timedelta(minutes=1)
    assert not update.has_position
    assert update.range_km is None


def test_car_bridge_json_posted_by_curl_as_a_form() -> None:
    """`curl -d '{…}'` labels JSON as a form; a body starting with { is still JSON."""
    assert ok(json.dumps({"locked": True}), content_type=FORM).locked is True


def test_schema_documents_exactly_the_parsed_fields() -> None:
    schema = json.loads(SCHEMA.read_text())
    assert set(schema["properties"]) == set(FIELDS)
    assert set(schema["properties"]["charge_state"]["enum"]) == CHARGE_STATES
    assert {k for option in schema["anyOf"] for k in option["required"]} == set(FIELDS)
    for example in schema["examples"]:
        update = ok(example)
        for key, value in example.items():
            if key != "timestamp":
                assert getattr(update, key) == value


# --- Bad input ----------------------------------------------------------------------------

FUTURE = UTC_NOW + 3600


@pytest.mark.parametrize(
    ("body", "content_type", "query", "code", "names"),
    [
        (b"x" * (MAX_BODY_BYTES + 1), FORM, (), ErrorCode.BODY_TOO_LARGE, "64 KiB"),
        (b'{"battery_level": 5', "application/json", (), ErrorCode.MALFORMED_JSON, "JSON"),
        (b"\xff\xfe\x00{", "application/json", (), ErrorCode.BAD_ENCODING, "UTF-8"),
        (b"[1, 2]", "application/json", (), ErrorCode.WRONG_SHAPE, "object"),
        (b'"text"', "application/json", (), ErrorCode.WRONG_SHAPE, "object"),
        (b'{"tlm": [1]}', "application/json", (), ErrorCode.WRONG_SHAPE, "tlm"),
        (b'{"tlm": "{oops"}', "application/json", (), ErrorCode.MALFORMED_JSON, "tlm"),
        (b'{"location": 5}', "application/json", (), ErrorCode.WRONG_SHAPE, "location"),
        (b'{"location": {"timestamp": "x"}}', None, (), ErrorCode.WRONG_SHAPE, "coords"),
        (b'{"location": []}', None, (), ErrorCode.NO_VALUES, "location"),
        (b'{"location": {"coords": {}}}', None, (), ErrorCode.MISSING_FIELD, "coords.latitude"),
        (b'{"battery_level": true}', None, (), ErrorCode.WRONG_TYPE, "battery_level"),
        (b'{"battery_level": "80"}', None, (), ErrorCode.WRONG_TYPE, "battery_level"),
        (b'{"locked": 1}', None, (), ErrorCode.WRONG_TYPE, "locked"),
        (b'{"charge_state": 2}', None, (), ErrorCode.WRONG_TYPE, "charge_state"),
        (b'{"charge_state": "plugged"}', None, (), ErrorCode.INVALID_VALUE, "charge_state"),
        (b'{"battery_level": NaN}', None, (), ErrorCode.NOT_FINITE, "battery_level"),
        (b'{"range_km": Infinity}', None, (), ErrorCode.NOT_FINITE, "range_km"),
        (b'{"odometer": 1e999}', None, (), ErrorCode.NOT_FINITE, "odometer"),
        (b'{"tlm": {"soc": "nan"}}', None, (), ErrorCode.NOT_FINITE, "soc"),
        (b'{"battery_level": 100.5}', None, (), ErrorCode.OUT_OF_RANGE, "battery_level"),
        (b'{"tlm": {"soc": -1}}', None, (), ErrorCode.OUT_OF_RANGE, "soc"),
        (b'{"latitude": 90.5, "longitude": 4}', None, (), ErrorCode.OUT_OF_RANGE, "latitude"),
        (b"", None, [("id", "1"), ("lat", "1"), ("lon", "181")], ErrorCode.OUT_OF_RANGE, "lon"),
        (b'{"heading": 361}', None, (), ErrorCode.OUT_OF_RANGE, "heading"),
        (b'{"latitude": 52.1}', None, (), ErrorCode.MISSING_FIELD, "longitude"),
        (b"soc=50&lon=4.1", FORM, (), ErrorCode.MISSING_FIELD, "lat"),
        (f"utc={FUTURE}&soc=50".encode(), FORM, (), ErrorCode.FUTURE_TIMESTAMP, "utc"),
        (f'{{"timestamp": {FUTURE}}}'.encode(), None, (), ErrorCode.FUTURE_TIMESTAMP, "timestamp"),
        (
            b"",
            None,
            [("id", "1"), ("timestamp", "2027-01-01T00:00:00Z")],
            ErrorCode.FUTURE_TIMESTAMP,
            "timestamp",
        ),
        (b"utc=0&soc=50", FORM, (), ErrorCode.OUT_OF_RANGE, "2000"),
        (b'{"timestamp": "yesterday"}', None, (), ErrorCode.INVALID_VALUE, "ISO 8601"),
        (b"", None, [("id", "1"), ("speed", "fast")], ErrorCode.WRONG_TYPE, "speed"),
        (b"is_charging=maybe&soc=1", FORM, (), ErrorCode.WRONG_TYPE, "is_charging"),
        (b"", None, [("id", "1"), ("location", "52.5")], ErrorCode.INVALID_VALUE, "location"),
        (
            b'{"device_id": [1], "location": {"coords": {"latitude": 1, "longitude": 1}}}',
            None,
            (),
            ErrorCode.WRONG_TYPE,
            "device_id",
        ),
        (b'{"odometer": 1' + b"0" * 400 + b"}", None, (), ErrorCode.OUT_OF_RANGE, "odometer"),
        (b'{"timestamp": "0001-01-01T00:00:00+01:00"}', None, (), ErrorCode.OUT_OF_RANGE, "2000"),
        (b"", None, [("id", "x" * 200), ("lat", "1"), ("lon", "1")], ErrorCode.OUT_OF_RANGE, "id"),
        (
            b'{"location": {"coords": {"latitude": 1, "longitude": 1}, "battery": 0.5}}',
            None,
            (),
            ErrorCode.WRONG_SHAPE,
            "battery",
        ),
        (b'{"foo": 1}', None, (), ErrorCode.UNSUPPORTED_FORMAT, "Car Bridge"),
        (b"hello", "text/plain", (), ErrorCode.UNSUPPORTED_FORMAT, "form"),
        (b"a=1&b=2", FORM, (), ErrorCode.UNSUPPORTED_FORMAT, "ABRP"),
        (b"", None, (), ErrorCode.NO_VALUES, "no body"),
        (b"[" * 20_000, "application/json", (), ErrorCode.MALFORMED_JSON, "JSON"),
        (b'{"odometer": ' + b"9" * 5000 + b"}", None, (), ErrorCode.MALFORMED_JSON, "JSON"),
    ],
)
def test_bad_input_gets_a_typed_error_naming_the_problem(
    body: bytes,
    content_type: str | None,
    query: Iterable[tuple[str, str]],
    code: ErrorCode,
    names: str,
) -> None:
    error = bad(body, content_type=content_type, query=query)
    assert error.code is code
    assert names in error.reason


def test_error_reasons_never_repeat_the_position() -> None:
    """A refused fix is logged and answered by its reason: it must not leak where the car is."""
    error = bad({"latitude": 91.123456, "longitude": 4.654321})
    assert "91.123456" not in error.reason
    assert "4.654321" not in error.reason
    error = bad(f"utc={FUTURE}&lat=52.987654&lon=4.123987&token={TOKEN}", content_type=FORM)
    assert "52.987654" not in error.reason
    assert TOKEN not in error.reason


def test_small_clock_skew_is_accepted() -> None:
    update = ok({"tlm": {"utc": UTC_NOW + 120, "soc": 5}})
    assert update.timestamp == NOW + timedelta(minutes=2)


def test_body_of_exactly_the_limit_is_read() -> None:
    padding = " " * (MAX_BODY_BYTES - len(b'{"locked": true}'))
    assert (
        ok(b'{"locked": true}' + padding.encode(), content_type="application/json").locked is True
    )
