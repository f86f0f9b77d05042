"""Privacy: every path, with debug logging on for Car Bridge, Home Assistant and aiohttp.

No record at any level holds a webhook id (any id a vehicle ever had: the
first, a regenerated one, one given to a duplicated entry) or a sender's
token; none at INFO or above holds a coordinate near the car with three
decimals or more; diagnostics hold neither.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
import json
import logging
import re
from typing import Any
from urllib.parse import urlencode

from aiohttp.test_utils import TestClient
from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry, async_fire_time_changed

from custom_components.car_bridge.const import (
    CONF_LOCAL_ONLY,
    CONF_REGENERATE_WEBHOOK,
    CONF_WEBHOOK_ID,
    DOMAIN,
)
from custom_components.car_bridge.diagnostics import async_get_config_entry_diagnostics
from homeassistant.core import HomeAssistant
from homeassistant.setup import async_setup_component

from ..conftest import HOME_LAT, HOME_LON, send_destination, webhook_vehicle_entry
from ..test_mirror import TRACKER, _add, _at
from ..vehicle.payloads import (
    API_KEY,
    CAR_BRIDGE_FULL,
    FORM,
    OVMS_DRIVING,
    TESLAMATE_PARKED,
    TOKEN,
    TRACCAR_8_QUERY,
    TRACCAR_9_JSON,
    WICAN_FORM,
    ovms_query,
)
from .conftest import Tally, log_problems

pytestmark = pytest.mark.usefixtures("home_zone")

WEBHOOK_ID = "5ec2e75ec2e75ec2e75ec2e75ec2e75e"
NUMBER = re.compile(r"(?<![\w.:])-?\d{1,3}\.\d{3,}")  # not a time's seconds (08:00:03.99)


def _precise_coordinates(text: str) -> list[str]:
    """Numbers with 3+ decimals within a degree of home: a position, not a duration."""
    return [
        match
        for match in NUMBER.findall(text)
        if abs(float(match) - HOME_LAT) < 1 or abs(float(match) - HOME_LON) < 1
    ]


class Watch:
    """Every webhook id ever used, and the records that must not hold them."""

    def __init__(self, hass: HomeAssistant, caplog: pytest.LogCaptureFixture, tally: Tally) -> None:
        """Watch ``caplog`` for the secrets of Car Bridge's entries."""
        self.hass, self.caplog, self.tally = hass, caplog, tally
        self.secrets: set[str] = {WEBHOOK_ID, TOKEN, API_KEY}

    def note_ids(self) -> None:
        """Add every webhook id an entry holds now."""
        for entry in self.hass.config_entries.async_entries(DOMAIN):
            for source in (entry.data, entry.options):
                if webhook_id := source.get(CONF_WEBHOOK_ID):
                    self.secrets.add(webhook_id)

    def check(self, name: str) -> None:
        """Count one attack: nothing secret or precise in the log since the last one."""
        self.note_ids()
        problems: list[str] = []
        for record in self.caplog.records:
            message = record.getMessage() + (record.exc_text or "")
            problems.extend(
                f"{record.levelname} {record.name} holds a secret: {message[:200]}"
                for secret in self.secrets
                if secret in message
            )
            if record.levelno >= logging.INFO and (found := _precise_coordinates(message)):
                problems.append(f"{record.levelname} {record.name} holds {found}: {message[:200]}")
        problems += log_problems(self.caplog.records)
        self.caplog.clear()
        self.tally.check(name, problems)

    async def diagnostics(self) -> None:
        """Each entry's diagnostics hold no secret and no precise position."""
        self.note_ids()
        for entry in self.hass.config_entries.async_entries(DOMAIN):
            text = json.dumps(
                await async_get_config_entry_diagnostics(self.hass, entry), default=str
            )
            problems = [f"holds {secret[:6]}…" for secret in self.secrets if secret in text]
            if found := _precise_coordinates(text):
                problems.append(f"holds {found}")
            self.tally.check(f"diagnostics of {entry.title}", problems)


@pytest.fixture
async def watch(
    hass: HomeAssistant,
    caplog: pytest.LogCaptureFixture,
    tally: Tally,
    freezer: FrozenDateTimeFactory,
) -> Watch:
    """Debug logging everywhere."""
    for name in ("", "custom_components.car_bridge", "homeassistant", "aiohttp"):
        caplog.set_level(logging.DEBUG, logger=name or None)
    return Watch(hass, caplog, tally)


async def _tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory, seconds: int = 1) -> None:
    for _ in range(seconds):
        freezer.tick(timedelta(seconds=1))
        async_fire_time_changed(hass)
        await hass.async_block_till_done()


async def test_webhook_paths_leak_nothing(  # noqa: PLR0917 - fixtures
    hass: HomeAssistant,
    watch: Watch,
    freezer: FrozenDateTimeFactory,
    hass_client_no_auth: Callable[[], Awaitable[TestClient]],
    hass_ws_client: Callable[..., Awaitable[Any]],
    tally: Tally,
) -> None:
    # Behind a trusted proxy, so that posts can come from outside.
    assert await async_setup_component(
        hass,
        "http",
        {"http": {"use_x_forwarded_for": True, "trusted_proxies": ["127.0.0.1", "::1"]}},
    )
    entry = webhook_vehicle_entry("Attack", WEBHOOK_ID, "5ec0000000000000")
    entry.add_to_hass(hass)
    hass.config_entries.async_update_entry(entry, data={**entry.data, CONF_LOCAL_ONLY: True})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    watch.check("setup")
    ws = await hass_ws_client(hass)  # before the HTTP client freezes the router
    client = await hass_client_no_auth()

    async def post(name: str, webhook_id: str | None = None, **request: Any) -> None:
        url = f"/api/webhook/{webhook_id or entry.options.get(CONF_WEBHOOK_ID) or WEBHOOK_ID}"
        for forwarded in ("192.168.1.5", "8.8.8.8", "2001:4860::8888"):
            headers = {**request.pop("headers", {}), "X-Forwarded-For": forwarded}
            response = await client.request(
                request.pop("method", "POST"), url, headers=headers, **request
            )
            await response.text()
            await _tick(hass, freezer)
            watch.check(f"{name} from {forwarded}")
            request.setdefault("headers", {})

    senders: list[tuple[str, dict[str, Any]]] = [
        ("ovms", {"params": ovms_query(OVMS_DRIVING), "method": "GET"}),
        ("teslamate", {"json": TESLAMATE_PARKED, "params": [("token", TOKEN)]}),
        ("wican", {"data": WICAN_FORM, "headers": {"Content-Type": FORM}}),
        ("traccar 8", {"params": TRACCAR_8_QUERY}),
        ("traccar 9", {"data": json.dumps(TRACCAR_9_JSON)}),
        ("car bridge", {"json": CAR_BRIDGE_FULL}),
        ("junk", {"data": b"{nope"}),
        ("out of range", {"json": {"latitude": 91.123456, "longitude": 4.9012345}}),
        ("token in a bad form", {"data": urlencode({"token": TOKEN, "soc": "nan"}), "headers": {"Content-Type": FORM}}),  # noqa: E501
        ("too large", {"data": b"x" * 70_000}),
        ("unknown id", {"json": {"battery_level": 5}}),
    ]  # fmt: skip
    for name, request in senders:
        await post(name, **request)
    await post("a guessed id", webhook_id="0" * 32, json={"battery_level": 5})

    for n, body in enumerate(["{}", json.dumps(CAR_BRIDGE_FULL), "x" * 70_000, "{bad"]):
        await ws.send_json(
            {
                "id": n + 1,
                "type": "webhook/handle",
                "webhook_id": WEBHOOK_ID,
                "method": "POST",
                "body": body,
                "headers": {"Content-Type": "application/json"},
                "query": f"token={TOKEN}",
            }
        )
        await ws.receive_json()
        await _tick(hass, freezer)
        watch.check(f"websocket post {n}")

    # A reload in the middle: posts meanwhile get 503.
    await hass.config_entries.async_unload(entry.entry_id)
    await post("while unloaded", json={"battery_level": 5})
    assert await hass.config_entries.async_setup(entry.entry_id)
    await hass.async_block_till_done()
    watch.check("reload")

    # A new URL from the options: the old and the new id are both secrets.
    result = await hass.config_entries.options.async_init(entry.entry_id)
    watch.check("options shown")
    result = await hass.config_entries.options.async_configure(
        result["flow_id"],
        {**result["data_schema"]({}), CONF_REGENERATE_WEBHOOK: True},
    )
    await hass.async_block_till_done()
    assert entry.options[CONF_WEBHOOK_ID] != WEBHOOK_ID, result
    watch.check("webhook regenerated")
    await post("old id after regenerate", webhook_id=WEBHOOK_ID, json={"battery_level": 5})
    await post("new id", json={"battery_level": 6})

    # A duplicated entry (a restored backup): it gets a new id, which is secret too.
    twin = webhook_vehicle_entry("Twin", entry.options[CONF_WEBHOOK_ID], "5ec0000000000001")
    twin.add_to_hass(hass)
    assert await hass.config_entries.async_setup(twin.entry_id)
    await hass.async_block_till_done()
    watch.check("duplicated entry")
    await watch.diagnostics()

    # Removed: 410, and still nothing logged.
    await hass.config_entries.async_remove(entry.entry_id)
    await hass.async_block_till_done()
    await post("after removal", json={"battery_level": 5})
    tally.assert_held()


async def test_drives_home_leak_no_position(
    hass: HomeAssistant,
    watch: Watch,
    freezer: FrozenDateTimeFactory,
    mock_config_entry: MockConfigEntry,
    tally: Tally,
) -> None:
    """A simulated car and a mirrored one drive home; every event, at debug level."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    lat, lon = _at(8.0)
    hass.states.async_set(
        TRACKER, "not_home", {"latitude": lat, "longitude": lon, "gps_accuracy": 5}
    )
    await _add(hass, tracker=TRACKER)
    watch.check("setup")
    await send_destination(hass, zone="zone.home")
    for second in range(0, 700, 10):
        km = max(0.0, 8.0 - second * 0.0139)
        lat, lon = _at(km, bearing=45.0)
        hass.states.async_set(
            TRACKER,
            "home" if km == 0 else "not_home",
            {"latitude": lat, "longitude": lon, "gps_accuracy": 5, "speed": 50.0, "course": 225.0},
        )
        await _tick(hass, freezer, 10)
        watch.check(f"second {second}")
    await watch.diagnostics()
    tally.assert_held()
