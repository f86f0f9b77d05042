"""Payloads shaped exactly as the real senders build them, shared by parser and webhook tests.

Each constant cites the code it was read from. Times are relative to NOW so
tests can freeze the clock there. The tokens are fake and must never show up
in a parsed update or an error.
"""

from __future__ import annotations

from datetime import UTC, datetime
import json
from typing import Any, Final
from urllib.parse import quote, urlencode

NOW: Final = datetime(2026, 11, 25, 8, 0, tzinfo=UTC)
UTC_NOW: Final = int(NOW.timestamp())
FORM: Final = "application/x-www-form-urlencoded"
TOKEN: Final = "0f1e2d3c-aaaa-bbbb-cccc-secret-token"  # noqa: S105 - fake, must never leak
API_KEY: Final = "fake-ovms-api-key-1234"

# OVMS ovms-link lib/abrp.js, mapMetricsToTelemetry(): JS booleans for the flags,
# lat/lon rounded to 5 decimals, nil values omitted; sendTelemetry() GETs
# ?api_key=…&token=…&tlm=<encodeURIComponent(JSON.stringify(telemetry))>.
OVMS_DRIVING: Final[dict[str, Any]] = {
    "utc": UTC_NOW - 3,
    "soc": 63,
    "power": 18.42,
    "speed": 52,
    "lat": 52.37652,
    "lon": 4.90871,
    "is_charging": False,
    "is_dcfc": False,
    "is_parked": False,
    "kwh_charged": 0,
    "soh": 97,
    "heading": 184.5,
    "elevation": 2.1,
    "ext_temp": 7,
    "batt_temp": 14,
    "voltage": 371,
    "current": 49.6,
    "odometer": 48211,
    "est_battery_range": 211,
}
OVMS_CHARGING: Final[dict[str, Any]] = {
    **OVMS_DRIVING,
    "power": -7.18,
    "speed": 0,
    "is_charging": True,
    "is_parked": True,
    "kwh_charged": 3.4,
}


def ovms_query(tlm: dict[str, Any]) -> list[tuple[str, str]]:
    """The query of OVMS's GET, as the server decodes it."""
    return [("api_key", API_KEY), ("token", TOKEN), ("tlm", json.dumps(tlm, separators=(",", ":")))]


# teslamate-abrp 2.x (fetzu/teslamate-abrp, teslamate_mqtt2abrp.py): self.data
# starts from zeros, numbers are typed, flags Python booleans, plus "model",
# "trim_badging", "car_model", "tlm_type"; updateABRP() POSTs json={"tlm": data}
# to …/tlm/send?token=… with an "Authorization: APIKEY …" header.
TESLAMATE_PARKED: Final[dict[str, Any]] = {
    "tlm": {
        "utc": UTC_NOW - 1,
        "soc": 78,
        "power": 0.0,
        "speed": 0,
        "lat": 52.36761,
        "lon": 4.90413,
        "elevation": 3,
        "is_charging": False,
        "is_dcfc": False,
        "is_parked": True,
        "est_battery_range": 301.5,
        "ideal_battery_range": 330.2,
        "ext_temp": 6.5,
        "model": "Y",
        "trim_badging": "74D",
        "car_model": "tesla:my:20:lr:awd",
        "tlm_type": "api",
        "voltage": 0,
        "current": 0,
        "kwh_charged": 0,
        "heading": 91,
    }
}
#: Before MQTT has delivered anything, 2.x posts its zero defaults.
TESLAMATE_STARTING: Final[dict[str, Any]] = {
    "tlm": {
        **TESLAMATE_PARKED["tlm"],
        "soc": 0,
        "lat": 0,
        "lon": 0,
        "est_battery_range": 0,
        "is_parked": False,
    }
}
# teslamate-abrp 1.x: MQTT payloads were copied as strings ("lat": payload),
# unknowns were "", is_parked the string "1" or "0".
TESLAMATE_1X_CHARGING: Final[dict[str, Any]] = {
    "tlm": {
        "utc": UTC_NOW - 5,
        "soc": "64",
        "power": -11,
        "speed": 0,
        "lat": "52.36761",
        "lon": "4.90413",
        "elevation": "",
        "is_charging": 1,
        "is_dcfc": 0,
        "is_parked": "1",
        "battery_range": "250.1",
        "ideal_battery_range": "",
        "ext_temp": "5.5",
        "car_model": "s85d",
        "tlm_type": "api",
        "voltage": "230",
        "current": "16",
        "kwh_charged": "4.2",
        "heading": "",
    }
}

# WiCAN firmware docs/content/9.HTTPS/1.ABRP_API.md, "Payload Format": a form body,
# application/x-www-form-urlencoded, only available values, is_charging 0/1.
WICAN_FORM: Final = urlencode(
    {
        "utc": UTC_NOW - 2,
        "soc": 54.1,
        "speed": 23.4,
        "lat": 52.38001,
        "lon": 4.88123,
        "voltage": 398.2,
        "current": -42.3,
        "power": 16.8,
        "is_charging": 0,
        "car_model": "tesla:model3:2021",
        "token": TOKEN,
    }
)
# WiCAN's own HTTPS test server (tools/https_test_server) also reads a form whose
# `tlm` field holds the URL-encoded JSON once more; both must work.
WICAN_TLM_FORM: Final = urlencode({"token": TOKEN, "tlm": json.dumps(OVMS_CHARGING)})
WICAN_TLM_FORM_TWICE: Final = urlencode(
    {"token": TOKEN, "tlm": quote(json.dumps(OVMS_CHARGING, separators=(",", ":")))}
)

# Traccar Client for Android up to 8 (traccar-client-android ProtocolFormatter.kt):
# query parameters id, timestamp (epoch s), lat, lon, speed (KNOTS: Position.kt
# multiplies m/s by 1.943844), bearing, altitude, accuracy (0 for GPS fixes), batt.
TRACCAR_8_QUERY: Final[list[tuple[str, str]]] = [
    ("id", "82879256"),
    ("timestamp", str(UTC_NOW - 4)),
    ("lat", "52.3712345"),
    ("lon", "4.8998765"),
    ("speed", "27.0"),
    ("bearing", "91.5"),
    ("altitude", "12.0"),
    ("accuracy", "0.0"),
    ("batt", "67.0"),
]
# Traccar Client 10 (ktor) sends the same parameters as a form body,
# "Content-Type: application/x-www-form-urlencoded; charset=UTF-8"
# (traccar/traccar-client issue 214), here with an ISO timestamp and an accuracy.
TRACCAR_10_FORM: Final = urlencode(
    [
        ("id", "82879256"),
        ("timestamp", "2026-11-25T07:59:50Z"),
        ("lat", "52.3712345"),
        ("lon", "4.8998765"),
        ("speed", "0.0"),
        ("bearing", "0.0"),
        ("altitude", "12.0"),
        ("accuracy", "9.6"),
        ("batt", "81.0"),
        ("charge", "true"),
    ]
)
TRACCAR_10_CONTENT_TYPE: Final = "application/x-www-form-urlencoded; charset=UTF-8"

# Traccar Client 9 (traccar/traccar-client lib/preferences.dart, _locationTemplate()
# and params {"device_id": id}, posted by flutter_background_geolocation under the
# "location" root): speed m/s (-1 unknown), heading -1 unknown, battery level 0..1.
TRACCAR_9_JSON: Final[dict[str, Any]] = {
    "location": {
        "timestamp": "2026-11-25T07:59:58.587Z",
        "coords": {
            "latitude": 52.3698765,
            "longitude": 4.9012345,
            "accuracy": 4.32,
            "speed": 13.9,
            "heading": 158.44,
            "altitude": 103,
        },
        "is_moving": True,
        "odometer": 12034.5,
        "event": "",
        "battery": {"level": 0.88, "is_charging": False},
        "activity": {"type": "in_vehicle"},
        "extras": {},
        "_": "&id=82879256&lat=52.3698765&lon=4.9012345&timestamp=2026-11-25T07:59:58.587Z&",
    },
    "device_id": "82879256",
}

# Car Bridge JSON, as a script would post it (docs/car_bridge_payload.schema.json).
CAR_BRIDGE_FULL: Final[dict[str, Any]] = {
    "latitude": 52.3702,
    "longitude": 4.8952,
    "accuracy": 8,
    "speed": 42.5,
    "heading": 270,
    "timestamp": "2026-11-25T07:59:30Z",
    "battery_level": 71.5,
    "range_km": 312,
    "charge_state": "disconnected",
    "charging_power": 0,
    "energy_added": 12.5,
    "cabin_temperature": 19.0,
    "outside_temperature": 6.5,
    "odometer": 18234.6,
    "locked": False,
    "climate_on": True,
}
