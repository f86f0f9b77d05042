"""The webhook source through Home Assistant's HTTP server: every sender, bad input, staleness."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
import logging
import math
import random
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
from hypothesis import HealthCheck, given, settings, strategies as st
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.car_bridge.const import (
    CONF_CONNECTION_TIMEOUT,
    CONF_LOCAL_ONLY,
    CONF_REGENERATE_WEBHOOK,
    CONF_WEBHOOK_ID,
    CONF_WEBHOOK_URL,
    CONF_ZONE,
    DOMAIN,
    EVENT_CAR_BRIDGE,
)
from custom_components.car_bridge.diagnostics import async_get_config_entry_diagnostics
from custom_components.car_bridge.sources.webhook import webhook_url
from homeassistant.components import webhook
from homeassistant.config_entries import SOURCE_USER, ConfigEntryState
from homeassistant.const import (
    CONF_NAME,
    EVENT_STATE_CHANGED,
    STATE_OFF,
    STATE_ON,
    STATE_UNKNOWN,
)
from homeassistant.core import Event, EventStateChangedData, HomeAssistant, callback
from homeassistant.data_entry_flow import FlowResultType
from homeassistant.setup import async_setup_component
from homeassistant.util import dt as dt_util

from .conftest import HOME_LAT, HOME_LON, webhook_vehicle_entry
from .vehicle import test_formats_fuzz as fuzz
from .vehicle.payloads import (
    CAR_BRIDGE_FULL,
    FORM,
    NOW,
    OVMS_CHARGING,
    OVMS_DRIVING,
    TESLAMATE_PARKED,
    TOKEN,
    TRACCAR_8_QUERY,
    TRACCAR_9_JSON,
    TRACCAR_10_CONTENT_TYPE,
    TRACCAR_10_FORM,
    UTC_NOW,
    WICAN_FORM,
    ovms_query,
)

WEBHOOK_ID = "0123456789abcdef0123456789abcdef"
URL = f"/api/webhook/{WEBHOOK_ID}"

type Post = Callable[..., Awaitable[tuple[int, dict[str, Any]]]]


@pytest.fixture
def webhook_entry() -> MockConfigEntry:
    """A vehicle that posts to a webhook."""
    return webhook_vehicle_entry("Model Y", WEBHOOK_ID, "5b3c1e9b7f4e2a8c6b4d2f0e1a3c5b0d")


@pytest.fixture
async def vehicle(
    hass: HomeAssistant,
    freezer: FrozenDateTimeFactory,
    home_zone: None,
    webhook_entry: MockConfigEntry,
) -> MockConfigEntry:
    """The webhook vehicle, set up at the payloads' NOW."""
    freezer.move_to(NOW)
    webhook_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(webhook_entry.entry_id)
    await hass.async_block_till_done()
    return webhook_entry


@pytest.fixture
async def post(
    hass: HomeAssistant,
    vehicle: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
) -> Post:
    """Send one request to the vehicle's webhook and let the published state settle."""
    client = await hass_client_no_auth()

    async def _post(
        body: Any = b"",
        *,
        query: list[tuple[str, str]] | None = None,
        content_type: str | None = None,
        method: str = "POST",
        url: str = URL,
        settle: bool = True,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, dict[str, Any]]:
        if isinstance(body, dict):
            body = json.dumps(body)
            content_type = content_type or "application/json"
        headers = {**({"Content-Type": content_type} if content_type else {}), **(headers or {})}
        response = await client.request(method, url, params=query, data=body, headers=headers)
        text = await response.text()
        if settle:
            await flush(hass)
        try:
            answer = json.loads(text)
        except ValueError:
            answer = {"text": text}
        return response.status, answer

    return _post


async def flush(hass: HomeAssistant) -> None:
    """Let a coalesced publish (at most 0.1 s away) happen."""
    async_fire_time_changed(hass, dt_util.utcnow() + timedelta(seconds=1))
    await hass.async_block_till_done()


def num(hass: HomeAssistant, entity_id: str) -> float | str:
    """The state as a number, or the string when it is not one (unknown)."""
    value = state(hass, entity_id)
    try:
        return float(value)
    except ValueError:
        return value


def state(hass: HomeAssistant, entity_id: str) -> str:
    found = hass.states.get(entity_id)
    assert found is not None, entity_id
    return found.state


async def test_vehicle_exists_with_unknown_values_before_the_first_post(
    hass: HomeAssistant, vehicle: MockConfigEntry
) -> None:
    assert vehicle.state is ConfigEntryState.LOADED
    for entity_id in (
        "sensor.model_y_battery",
        "sensor.model_y_range",
        "sensor.model_y_charge_state",
        "device_tracker.model_y",
        "binary_sensor.model_y_connected",
    ):
        assert state(hass, entity_id) == STATE_UNKNOWN, entity_id
    # A webhook reports, it does not command: no lock or climate that would always fail.
    assert hass.states.get("lock.model_y_doors") is None
    assert hass.states.get("climate.model_y_cabin") is None
    assert hass.states.get("switch.model_y_charging") is None


@pytest.mark.parametrize(
    ("request_kwargs", "battery", "position"),
    [
        # OVMS ovms-link: GET with api_key, token and tlm JSON in the query.
        ({"query": ovms_query(OVMS_DRIVING), "method": "GET"}, "63", (52.37652, 4.90871)),
        # TeslaMate-ABRP: JSON body {"tlm": …}, token in the query.
        ({"body": TESLAMATE_PARKED, "query": [("token", TOKEN)]}, "78", (52.36761, 4.90413)),
        # WiCAN: flat form body.
        ({"body": WICAN_FORM, "content_type": FORM}, "54.1", (52.38001, 4.88123)),
        # Traccar Client 8: query parameters on a POST.
        ({"query": TRACCAR_8_QUERY}, STATE_UNKNOWN, (52.3712345, 4.8998765)),
        # Traccar Client 10: form body (core's traccar integration rejected it).
        (
            {"body": TRACCAR_10_FORM, "content_type": TRACCAR_10_CONTENT_TYPE},
            STATE_UNKNOWN,
            (52.3712345, 4.8998765),
        ),
        # Traccar Client 9: JSON body.
        ({"body": TRACCAR_9_JSON}, STATE_UNKNOWN, (52.3698765, 4.9012345)),
        # Car Bridge JSON.
        ({"body": CAR_BRIDGE_FULL}, "71.5", (52.3702, 4.8952)),
    ],
    ids=["ovms", "teslamate_abrp", "wican", "traccar_8", "traccar_10", "traccar_9", "car_bridge"],
)
async def test_every_sender_through_http(
    hass: HomeAssistant,
    post: Post,
    request_kwargs: dict[str, Any],
    battery: str,
    position: tuple[float, float],
) -> None:
    status, answer = await post(**request_kwargs)
    assert status == 200, answer
    assert answer["result"] == "ok"
    # The phone's battery (Traccar batt) never becomes the car's.
    assert num(hass, "sensor.model_y_battery") == (
        battery if battery == STATE_UNKNOWN else float(battery)
    )
    tracker = hass.states.get("device_tracker.model_y")
    assert tracker is not None
    assert (tracker.attributes["latitude"], tracker.attributes["longitude"]) == position
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON


async def test_partial_updates_keep_the_other_values(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    await post(query=ovms_query(OVMS_CHARGING), method="GET")
    assert state(hass, "sensor.model_y_charge_state") == "charging"
    assert num(hass, "sensor.model_y_battery") == 63
    # Two minutes later a phone app reports only the position: battery and charging stay.
    freezer.tick(timedelta(minutes=2))
    later = str(UTC_NOW + 120)
    await post(query=[(k, later if k == "timestamp" else v) for k, v in TRACCAR_8_QUERY])
    assert num(hass, "sensor.model_y_battery") == 63
    assert state(hass, "sensor.model_y_charge_state") == "charging"
    assert hass.states.get("device_tracker.model_y").attributes["latitude"] == 52.3712345
    await post({"battery_level": 64.5})
    assert num(hass, "sensor.model_y_battery") == 64.5


BAD_REQUESTS: list[tuple[dict[str, Any], str]] = [
    ({"body": b"x" * (64 * 1024 + 1), "content_type": FORM}, "body_too_large"),
    ({"body": b'{"battery_level": 5', "content_type": "application/json"}, "malformed_json"),
    ({"body": b"[1, 2]", "content_type": "application/json"}, "wrong_shape"),
    ({"body": {"battery_level": True}}, "wrong_type"),
    ({"body": b'{"battery_level": NaN}', "content_type": "application/json"}, "not_finite"),
    ({"body": {"latitude": 91.5, "longitude": 4.9}}, "out_of_range"),
    ({"body": {"battery_level": 101}}, "out_of_range"),
    ({"body": f"utc={UTC_NOW + 3600}&soc=50", "content_type": FORM}, "future_timestamp"),
    ({"body": {"foo": 1}}, "unsupported_format"),
    ({"body": b"\xff\xfe", "content_type": FORM}, "bad_encoding"),
]


async def test_bad_input_gets_400_naming_the_problem_and_changes_nothing(
    hass: HomeAssistant, post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    assert (await post(body=CAR_BRIDGE_FULL))[0] == 200
    before = {s.entity_id: (s.state, dict(s.attributes)) for s in hass.states.async_all()}
    caplog.set_level(logging.WARNING)
    for _ in range(2):
        for kwargs, code in BAD_REQUESTS:
            status, answer = await post(**kwargs)
            assert status == 400, code
            assert answer["code"] == code
            assert answer["error"]
    after = {s.entity_id: (s.state, dict(s.attributes)) for s in hass.states.async_all()}
    assert after == before
    warnings = [
        r.getMessage() for r in caplog.records if "refused a webhook post" in r.getMessage()
    ]
    # Once per kind of problem, not once per request.
    assert len(warnings) == len({code for _, code in BAD_REQUESTS})
    # Nothing of the position goes into the log.
    assert not any("91.5" in message for message in warnings)


async def test_a_fix_older_than_the_last_is_accepted_and_ignored(
    hass: HomeAssistant, post: Post
) -> None:
    await post(
        {"latitude": 52.40, "longitude": 4.90, "battery_level": 50, "timestamp": UTC_NOW - 10}
    )
    status, answer = await post(
        {"latitude": 52.50, "longitude": 4.95, "battery_level": 40, "timestamp": UTC_NOW - 60}
    )
    assert status == 200
    assert answer["result"] == "ignored"
    assert num(hass, "sensor.model_y_battery") == 50
    assert hass.states.get("device_tracker.model_y").attributes["latitude"] == 52.40


async def test_wrong_method_is_405(post: Post) -> None:
    assert (await post(method="PATCH"))[0] == 405
    assert (await post(method="DELETE"))[0] == 405


async def test_a_flood_is_accepted_but_coalesced(hass: HomeAssistant, post: Post) -> None:
    writes: list[str] = []
    hass.bus.async_listen(
        "state_changed",
        lambda e: (
            writes.append(e.data["new_state"].state)
            if e.data["entity_id"] == "sensor.model_y_battery"
            else None
        ),
    )
    for level in range(1, 51):
        status, _ = await post({"battery_level": float(level)}, settle=False)
        assert status == 200
    await flush(hass)
    assert num(hass, "sensor.model_y_battery") == 50.0
    # 50 posts in well under a second: at most a handful of state writes.
    assert len(writes) < 10, writes


async def test_connected_turns_off_after_the_timeout_and_on_with_the_next_post(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    await post(query=ovms_query(OVMS_DRIVING), method="GET")
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON
    freezer.tick(timedelta(minutes=29))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON
    freezer.tick(timedelta(minutes=2))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.model_y_connected") == STATE_OFF
    # Values stay.
    assert num(hass, "sensor.model_y_battery") == 63
    await post({"battery_level": 62})
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON


async def test_a_restart_keeps_the_last_values(
    hass: HomeAssistant, post: Post, vehicle: MockConfigEntry
) -> None:
    await post(query=ovms_query(OVMS_CHARGING), method="GET")
    assert await hass.config_entries.async_reload(vehicle.entry_id)
    await hass.async_block_till_done()
    assert num(hass, "sensor.model_y_battery") == 63
    assert state(hass, "sensor.model_y_charge_state") == "charging"
    assert hass.states.get("device_tracker.model_y").attributes["latitude"] == 52.37652
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON
    # And the webhook is registered again.
    assert (await post({"battery_level": 60}))[0] == 200
    assert num(hass, "sensor.model_y_battery") == 60


async def test_an_unloaded_vehicle_answers_503_so_the_sender_retries(
    hass: HomeAssistant, vehicle: MockConfigEntry, post: Post
) -> None:
    # The id stays Car Bridge's while HA runs: core never logs it as unknown,
    # and a reload never loses a post (more in test_webhook_paths).
    assert await hass.config_entries.async_unload(vehicle.entry_id)
    status, answer = await post({"battery_level": 40}, settle=False)
    assert status == 503
    assert answer["code"] == "unavailable"
    with pytest.raises(ValueError, match="already defined"):
        webhook.async_register(hass, "test", "test", WEBHOOK_ID, lambda *_: None)  # type: ignore[arg-type,return-value]


def _drive_home(n: int = 60) -> list[tuple[float, float]]:
    """A straight drive from 8 km north of home into the home zone."""
    start = (HOME_LAT + 8 / 111.2, HOME_LON)
    return [(start[0] + (HOME_LAT - start[0]) * i / (n - 1), HOME_LON) for i in range(n)]


@pytest.mark.parametrize("sender", ["abrp", "osmand"])
async def test_a_replayed_drive_fires_each_crossing_and_arrival_once(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory, sender: str
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    for lat, lon in _drive_home():
        freezer.tick(timedelta(seconds=10))
        utc = int(dt_util.utcnow().timestamp())
        if sender == "abrp":
            body = urlencode(
                {"utc": utc, "soc": 60, "lat": lat, "lon": lon, "speed": 50, "is_charging": 0}
            )
            status, _ = await post(body, content_type=FORM)
        else:
            query = [
                ("id", "1"),
                ("timestamp", str(utc)),
                ("lat", str(lat)),
                ("lon", str(lon)),
                ("speed", "27"),
            ]
            status, _ = await post(query=query)
        assert status == 200
    summary = [(e.data["type"], e.data.get("threshold_km")) for e in events]
    assert summary == [("approaching", 5.0), ("approaching", 1.0), ("arrived_home", None)]


async def test_fuzzed_posts_get_200_or_400_and_only_valid_ones_change_state(
    hass: HomeAssistant, post: Post
) -> None:
    """Seeded mutations of real payloads through HTTP (the parser's own fuzz runs thousands)."""
    rng = random.Random(7)
    seeds: list[Any] = [{"tlm": OVMS_DRIVING}, TESLAMATE_PARKED, TRACCAR_9_JSON, CAR_BRIDGE_FULL]
    junk: list[Any] = [None, True, "x", "", -1, 1e308, [], {}, "nan", 999, "52.1", -91]
    for _ in range(300):
        doc = json.loads(json.dumps(rng.choice(seeds)))
        target = doc.get("tlm", doc.get("location", doc))
        if isinstance(target, dict) and target:
            key = rng.choice(sorted(target))
            if rng.random() < 0.3:
                del target[key]
            else:
                target[key] = rng.choice(junk)
        raw = json.dumps(doc).encode()
        if rng.random() < 0.2:
            raw = raw[: rng.randrange(len(raw))]
        before = {s.entity_id: s.state for s in hass.states.async_all() if "model_y" in s.entity_id}
        status, answer = await post(raw, content_type=rng.choice(["application/json", FORM, None]))
        assert status in (200, 400), answer
        after = {s.entity_id: s.state for s in hass.states.async_all() if "model_y" in s.entity_id}
        if status == 400:
            assert after == before
            assert answer["error"]
    for entity_id in ("sensor.model_y_battery", "sensor.model_y_range"):
        value = state(hass, entity_id)
        assert value == STATE_UNKNOWN or math.isfinite(float(value))


async def test_flow_creates_a_webhook_vehicle_and_shows_its_url(
    hass: HomeAssistant, home_zone: None, hass_client_no_auth: Callable[[], Awaitable[TestClient]]
) -> None:
    await hass.config.async_update(internal_url="http://homeassistant.local:8123")
    result = await hass.config_entries.flow.async_init(DOMAIN, context={"source": SOURCE_USER})
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {"next_step_id": "webhook"}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "webhook"
    result = await hass.config_entries.flow.async_configure(
        result["flow_id"], {CONF_NAME: "Model Y", CONF_ZONE: "zone.home"}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    entry = result["result"]
    webhook_id = entry.data[CONF_WEBHOOK_ID]
    assert len(webhook_id) >= 32
    assert entry.data[CONF_LOCAL_ONLY] is False
    # The webhook id is a secret: the unique id is not made from it.
    assert webhook_id not in entry.unique_id
    assert result["description_placeholders"] == {
        CONF_WEBHOOK_URL: f"http://homeassistant.local:8123/api/webhook/{webhook_id}"
    }
    client = await hass_client_no_auth()
    response = await client.post(f"/api/webhook/{webhook_id}", json={"battery_level": 55})
    assert response.status == 200
    await flush(hass)
    assert num(hass, "sensor.model_y_battery") == 55


async def test_options_show_the_url_and_regenerate_it(
    hass: HomeAssistant, vehicle: MockConfigEntry, post: Post
) -> None:
    result = await hass.config_entries.options.async_init(vehicle.entry_id)
    assert result["type"] is FlowResultType.FORM
    assert result["step_id"] == "webhook"
    assert result["description_placeholders"][CONF_WEBHOOK_URL].endswith(URL)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_REGENERATE_WEBHOOK: True, CONF_CONNECTION_TIMEOUT: 10}
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    new_id = vehicle.options[CONF_WEBHOOK_ID]
    assert new_id != WEBHOOK_ID
    assert vehicle.options[CONF_CONNECTION_TIMEOUT] == 10
    # The old URL no longer reaches the vehicle; the new one does.
    await post({"battery_level": 11})
    assert num(hass, "sensor.model_y_battery") == STATE_UNKNOWN
    await post({"battery_level": 12}, url=f"/api/webhook/{new_id}")
    assert num(hass, "sensor.model_y_battery") == 12
    # Saving the options again keeps the regenerated id.
    result = await hass.config_entries.options.async_init(vehicle.entry_id)
    result = await hass.config_entries.options.async_configure(result["flow_id"], {})
    await hass.async_block_till_done()
    assert vehicle.options[CONF_WEBHOOK_ID] == new_id


async def test_options_refuse_an_out_of_range_timeout(
    hass: HomeAssistant, vehicle: MockConfigEntry
) -> None:
    result = await hass.config_entries.options.async_init(vehicle.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CONNECTION_TIMEOUT: 0}
    )
    assert result["type"] is FlowResultType.FORM
    assert result["errors"] == {CONF_CONNECTION_TIMEOUT: "out_of_range"}


async def test_a_chunked_body_over_the_limit_is_refused(hass: HomeAssistant, post: Post) -> None:
    async def chunks() -> Any:
        for _ in range(20):
            yield b"x" * 4096

    status, answer = await post(chunks(), content_type=FORM)
    assert status == 400
    assert answer["code"] == "body_too_large"


@pytest.mark.usefixtures("home_zone")
async def test_a_malformed_saved_state_starts_afresh(
    hass: HomeAssistant,
    webhook_entry: MockConfigEntry,
    hass_storage: dict[str, Any],
    caplog: pytest.LogCaptureFixture,
) -> None:
    hass_storage[f"{DOMAIN}.{webhook_entry.entry_id}"] = {
        "version": 1,
        "key": f"{DOMAIN}.{webhook_entry.entry_id}",
        "data": {"vehicle": {"timestamp": "not a time"}},
    }
    webhook_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(webhook_entry.entry_id)
    await hass.async_block_till_done()
    assert "saved state could not be fully trusted" in caplog.text
    assert "vehicle.timestamp" in caplog.text
    assert state(hass, "sensor.model_y_battery") == STATE_UNKNOWN


async def test_diagnostics_hide_the_webhook_id_and_the_position(
    hass: HomeAssistant, post: Post, vehicle: MockConfigEntry
) -> None:
    await post(query=ovms_query(OVMS_DRIVING), method="GET")
    # Called directly: the test client has already frozen the HTTP router.
    result = await async_get_config_entry_diagnostics(hass, vehicle)
    assert result["source"] == "WebhookVehicle"
    assert result["entry"]["data"][CONF_WEBHOOK_ID] == "**REDACTED**"
    assert result["vehicle"]["battery_level"] == 63
    assert result["vehicle"]["connected"] is True
    text = json.dumps(result, default=str)
    assert WEBHOOK_ID not in text
    assert "52.37652" not in text


async def test_the_url_falls_back_to_the_path_when_home_assistant_knows_no_url(
    hass: HomeAssistant, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(hass.config, "api", None)
    await hass.config.async_update(internal_url=None, external_url=None)
    assert webhook_url(hass, WEBHOOK_ID) == URL


@pytest.mark.parametrize("local_only", [True, False])
async def test_local_only_is_checked_by_car_bridge_not_by_cores_flag(
    hass: HomeAssistant,
    home_zone: None,
    webhook_entry: MockConfigEntry,
    hass_ws_client: Callable[..., Awaitable[Any]],
    local_only: bool,
) -> None:
    webhook_entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(
        webhook_entry, data={**webhook_entry.data, CONF_LOCAL_ONLY: local_only}
    )
    assert await hass.config_entries.async_setup(webhook_entry.entry_id)
    await hass.async_block_till_done()
    client = await hass_ws_client(hass)
    await client.send_json({"id": 1, "type": "webhook/list"})
    listed = {hook["webhook_id"]: hook for hook in (await client.receive_json())["result"]}
    # Core's flag would log the id of every refused post: Car Bridge checks it itself.
    assert listed[WEBHOOK_ID]["local_only"] is False
    assert listed[WEBHOOK_ID]["allowed_methods"] == ["GET", "POST", "PUT"]


@settings(
    max_examples=1000,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
async def test_hypothesis_bodies_through_http_get_200_or_400(
    hass: HomeAssistant, post: Post, data: st.DataObject
) -> None:
    """Thousands of random and mutated bodies over HTTP: never a 500, and a 400 changes nothing."""
    kind = data.draw(st.sampled_from(["mutated_json", "random_bytes", "mutated_form"]))
    if kind == "mutated_json":
        doc = fuzz.mutate(data, data.draw(st.sampled_from(fuzz.SEEDS_JSON)))
        body: bytes = json.dumps(doc).encode()
    elif kind == "random_bytes":
        body = data.draw(st.binary(max_size=200))
    else:
        params = list(data.draw(st.sampled_from(fuzz.SEEDS_PARAMS)))
        index = data.draw(st.integers(min_value=0, max_value=len(params) - 1))
        params[index] = (params[index][0], data.draw(st.text(max_size=20)))
        body = urlencode(params).encode()
    content_type = data.draw(fuzz.CONTENT_TYPES)
    before = {s.entity_id: s.state for s in hass.states.async_all() if "model_y" in s.entity_id}
    status, answer = await post(body, content_type=content_type or None, settle=False)
    await hass.async_block_till_done()
    assert status in (200, 400), answer
    if status == 400:
        assert answer["error"]
        after = {s.entity_id: s.state for s in hass.states.async_all() if "model_y" in s.entity_id}
        assert after == before


@pytest.mark.usefixtures("home_zone")
async def test_setup_is_retried_when_the_webhook_component_cannot_load(
    hass: HomeAssistant,
    webhook_entry: MockConfigEntry,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
) -> None:
    assert await async_setup_component(hass, "http", {})
    # A started server has a frozen router: webhook cannot add its view any more.
    await hass_client_no_auth()
    webhook_entry.add_to_hass(hass)
    assert not await hass.config_entries.async_setup(webhook_entry.entry_id)
    assert webhook_entry.state is ConfigEntryState.SETUP_RETRY


async def test_a_simulated_car_does_not_load_the_webhook_component(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    assert init_integration.state is ConfigEntryState.LOADED
    assert "webhook" not in hass.config.components


async def test_webhook_battery_only_posts_between_fixes_do_not_hold_the_drive_back(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    """A script posts the battery a second before each fix; the fixes keep their own times."""
    for i, km in enumerate((8.0, 7.0, 6.0, 5.0)):
        freezer.tick(timedelta(seconds=29))
        assert (await post({"battery_level": 60 - i}))[0] == 200
        freezer.tick(timedelta(seconds=1))
        lat = HOME_LAT + (km + 0.1) / 111.2
        assert (await post({"latitude": lat, "longitude": HOME_LON, "speed": 120}))[0] == 200
        assert num(hass, "sensor.model_y_distance_to_home") == pytest.approx(km, abs=0.1)
    assert num(hass, "sensor.model_y_battery") == 57


async def test_webhook_fix_time_survives_a_restart(
    hass: HomeAssistant, post: Post, vehicle: MockConfigEntry, freezer: FrozenDateTimeFactory
) -> None:
    """After a restart a battery-only post still does not make the old place a new fix."""
    lat = HOME_LAT + 8.1 / 111.2
    await post({"latitude": lat, "longitude": HOME_LON, "speed": 120})
    freezer.tick(timedelta(seconds=29))
    await post({"battery_level": 60})
    assert await hass.config_entries.async_reload(vehicle.entry_id)
    await hass.async_block_till_done()
    freezer.tick(timedelta(seconds=1))
    lat = HOME_LAT + 7.1 / 111.2
    await post({"latitude": lat, "longitude": HOME_LON, "speed": 120})
    assert num(hass, "sensor.model_y_distance_to_home") == pytest.approx(7.0, abs=0.1)


@pytest.fixture
async def ws_client(
    hass: HomeAssistant, vehicle: MockConfigEntry, hass_ws_client: Callable[..., Awaitable[Any]]
) -> Any:
    """A websocket client, set up before the HTTP server starts (ask for it before ``post``)."""
    return await hass_ws_client(hass)


async def test_webhook_options_apply_without_a_reload(
    hass: HomeAssistant,
    vehicle: MockConfigEntry,
    ws_client: Any,
    post: Post,
    freezer: FrozenDateTimeFactory,
) -> None:
    """A new URL, network restriction or timeout applies live: nothing goes unavailable."""
    client = ws_client
    await post({"battery_level": 50})
    written: list[str] = []

    @callback
    def _written(event: Event[EventStateChangedData]) -> None:
        if event.data["entity_id"].endswith("model_y_battery") or (
            event.data["new_state"] is not None and event.data["new_state"].state == "unavailable"
        ):
            written.append(event.data["entity_id"])

    hass.bus.async_listen(EVENT_STATE_CHANGED, _written)
    freezer.tick(timedelta(minutes=20))
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON

    result = await hass.config_entries.options.async_init(vehicle.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {CONF_REGENERATE_WEBHOOK: True, CONF_LOCAL_ONLY: True, CONF_CONNECTION_TIMEOUT: 10},
    )
    await hass.async_block_till_done()
    assert result["type"] is FlowResultType.CREATE_ENTRY
    assert vehicle.state is ConfigEntryState.LOADED
    # Twenty minutes of silence is now past the ten-minute timeout.
    assert state(hass, "binary_sensor.model_y_connected") == STATE_OFF
    assert written == []
    new_id = vehicle.options[CONF_WEBHOOK_ID]
    await client.send_json({"id": 1, "type": "webhook/list"})
    listed = {hook["webhook_id"]: hook for hook in (await client.receive_json())["result"]}
    assert listed[new_id]["local_only"] is False  # checked by Car Bridge itself
    assert vehicle.runtime_data.coordinator.source.local_only is True
    assert WEBHOOK_ID not in listed
    await post({"battery_level": 12}, url=f"/api/webhook/{new_id}")
    assert num(hass, "sensor.model_y_battery") == 12
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON

    # A longer timeout turns connected back on for a vehicle silent for less than it.
    freezer.tick(timedelta(minutes=15))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.model_y_connected") == STATE_OFF
    result = await hass.config_entries.options.async_init(vehicle.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {CONF_CONNECTION_TIMEOUT: 60}
    )
    await hass.async_block_till_done()
    assert state(hass, "binary_sensor.model_y_connected") == STATE_ON
    assert written == ["sensor.model_y_battery"]


async def test_abrp_charging_that_stops_while_parked_is_no_longer_charging(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    """ABRP's ``is_charging`` 0 while parked says the charge ended, not which state follows.

    The charge state must not stay ``charging`` (a partial update keeps only what
    was not reported); parked without a cable field it is unknown, as documented.
    """

    async def wican(is_charging: int, power: float) -> None:
        freezer.tick(timedelta(seconds=30))
        body = urlencode(
            {
                "utc": int(dt_util.utcnow().timestamp()),
                "soc": 80,
                "is_charging": is_charging,
                "is_parked": 1,
                "power": power,
                "car_model": "hyundai:kona:19:64:other",
            }
        )
        assert (await post(body, content_type=FORM))[0] == 200

    await wican(1, -7.2)
    assert state(hass, "sensor.model_y_charge_state") == "charging"
    assert state(hass, "binary_sensor.model_y_charging") == STATE_ON
    await wican(0, 0)
    assert state(hass, "binary_sensor.model_y_charging") != STATE_ON
    assert state(hass, "sensor.model_y_charge_state") == STATE_UNKNOWN
    assert num(hass, "sensor.model_y_charging_power") == 0


async def test_a_body_that_cannot_be_decompressed_gets_400(
    hass: HomeAssistant, post: Post, caplog: pytest.LogCaptureFixture
) -> None:
    """A gzip header on a body that is not gzip is bad input, not a crash in the handler.

    aiohttp gives up decompressing and hands over no body, so the answer is "no values".
    """
    status, answer = await post(
        b"\x1f\x8b\x08\x00garbage",
        content_type="application/json",
        headers={"Content-Encoding": "gzip"},
    )
    assert status == 400, answer
    assert "Error processing webhook" not in caplog.text


async def test_abrp_stop_without_is_parked_keeps_disconnected(
    hass: HomeAssistant, post: Post, freezer: FrozenDateTimeFactory
) -> None:
    """WiCAN sends no is_parked: a red light (speed 0, not charging) does not flip the cable."""
    for speed in (48, 0, 48):
        freezer.tick(timedelta(seconds=10))
        utc = int(dt_util.utcnow().timestamp())
        body = urlencode({"utc": utc, "soc": 60, "speed": speed, "is_charging": 0})
        assert (await post(body, content_type=FORM))[0] == 200
        assert state(hass, "sensor.model_y_charge_state") == "disconnected"
        assert state(hass, "binary_sensor.model_y_plugged_in") == STATE_OFF


@pytest.mark.parametrize("encoding", ["gzip", "deflate"])
async def test_a_body_that_is_not_in_its_content_encoding_gets_400_without_an_error_logged(
    hass: HomeAssistant, post: Post, caplog: pytest.LogCaptureFixture, encoding: str
) -> None:
    """aiohttp refuses to read it at all: 400 naming the problem, no traceback from Car Bridge."""
    status, answer = await post(
        b"not compressed", content_type="application/json", headers={"Content-Encoding": encoding}
    )
    assert status == 400, answer
    assert answer["code"] == "bad_encoding"
    assert "Error processing webhook" not in caplog.text


@pytest.mark.parametrize(
    "body", [{"tlm": {}}, {"tlm": {"tlm": {"soc": 5}}}, {"tlm": {"model": "Y", "tlm_type": "api"}}]
)
async def test_an_abrp_tlm_without_any_telemetry_field_gets_400_not_ok(
    hass: HomeAssistant, post: Post, body: dict[str, Any]
) -> None:
    status, answer = await post(body)
    assert status == 400, answer
    assert answer["code"] == "no_values"


@pytest.mark.parametrize(
    "request_kwargs",
    [
        {"query": [("id", "car"), ("lat", "52.38"), ("lon", "4.9"), ("speed", "300")]},
        {"body": {"location": {"coords": {"latitude": 52.38, "longitude": 4.9, "speed": 150}}}},
    ],
    ids=["osmand_300_knots", "traccar_150_ms"],
)
async def test_a_speed_beyond_any_car_in_the_senders_unit_is_refused(
    hass: HomeAssistant, post: Post, request_kwargs: dict[str, Any]
) -> None:
    """556 km/h in knots, 540 km/h in m/s: past the one gate's 500 km/h, never shown."""
    status, answer = await post(**request_kwargs)
    assert status == 400, answer
    assert answer["code"] == "out_of_range"
    assert state(hass, "sensor.model_y_speed") == STATE_UNKNOWN
