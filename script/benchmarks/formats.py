"""Webhook payload parsers alone: microseconds per request for each sender's shape."""

from __future__ import annotations

import json
import time
from typing import Any

from custom_components.car_bridge.vehicle.formats import TelemetryUpdate, parse_request
from tests.vehicle import payloads as p


def bench_formats(rounds: int = 2000) -> dict[str, Any]:
    """Webhook payload parsers alone: microseconds per request for each sender's shape."""
    cases: dict[str, tuple[list[tuple[str, str]], str | None, bytes]] = {
        "abrp_tlm_query": (p.ovms_query(p.OVMS_DRIVING), None, b""),
        "abrp_json": ([], "application/json", json.dumps(p.TESLAMATE_PARKED).encode()),
        "abrp_form": ([], p.FORM, p.WICAN_FORM.encode()),
        "osmand_query": (p.TRACCAR_8_QUERY, None, b""),
        "traccar_json": ([], "application/json", json.dumps(p.TRACCAR_9_JSON).encode()),
        "car_bridge_json": ([], "application/json", json.dumps(p.CAR_BRIDGE_FULL).encode()),
        "malformed_json": ([], "application/json", b'{"soc": 5'),
    }
    results: dict[str, Any] = {}
    for name, (query, content_type, body) in cases.items():
        start = time.process_time()
        for _ in range(rounds):
            result = parse_request(
                method="POST", query=query, content_type=content_type, body=body, now=p.NOW
            )
        elapsed = time.process_time() - start
        assert isinstance(result, TelemetryUpdate) or name == "malformed_json"
        results[name] = {
            "us_per_request": round(elapsed / rounds * 1e6, 1),
            "requests_per_s": round(rounds / elapsed) if elapsed else None,
        }
    return results
