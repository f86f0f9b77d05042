"""send_destination with what a phone shares: now or on the next trip, short links, errors."""

from __future__ import annotations

from collections.abc import Callable
import copy
from datetime import datetime, timedelta
import json
import logging
from pathlib import Path
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_fire_time_changed,
)

from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from homeassistant.config_entries import ConfigEntryState
from homeassistant.core import HomeAssistant
from homeassistant.exceptions import ServiceValidationError

from .conftest import HOME_LAT, HOME_LON, send_destination
from .test_options_live import set_options
from .test_power_cut import _restart_from

EN = json.loads(
    (Path(__file__).parent.parent / "custom_components/car_bridge/translations/en.json").read_text()
)
TARGET_LAT, TARGET_LON = HOME_LAT + 0.02, HOME_LON + 0.01
GOOGLE = (
    f"https://www.google.com/maps/place/Rijksmuseum/@{TARGET_LAT},{TARGET_LON - 0.002},17z"
    f"/data=!4m6!3m5!1s0x0:0x0!8m2!3d{TARGET_LAT}!4d{TARGET_LON}"
)
ANDROID_TEXT = f"Rijksmuseum\nMuseumstraat 1, 1071 XX Amsterdam\n{GOOGLE}"


def destination(hass: HomeAssistant) -> Any:
    state = hass.states.get("sensor.su7_destination")
    assert state is not None
    return state


async def _unlock(hass: HomeAssistant) -> None:
    await hass.services.async_call("lock", "unlock", {"entity_id": "lock.su7_doors"}, blocking=True)
    await hass.async_block_till_done()


@pytest.mark.usefixtures("init_integration")
async def test_android_share_waits_for_the_unlock_then_drives_there(
    hass: HomeAssistant, tick: Callable[..., Any]
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, text=ANDROID_TEXT, when="next_trip")
    state = destination(hass)
    assert state.state == "Rijksmuseum"
    assert state.attributes["status"] == "pending"
    assert state.attributes["address"] == "Museumstraat 1, 1071 XX Amsterdam"
    assert state.attributes["source"] == "google_place"
    assert state.attributes["latitude"] == pytest.approx(TARGET_LAT)
    assert hass.states.get("lock.su7_doors").state == "locked"
    await tick(120)
    assert hass.states.get("sensor.su7_speed").state == "0.0"
    assert not [e for e in events if e.data["type"] == "destination_sent"]

    await _unlock(hass)
    sent = [e for e in events if e.data["type"] == "destination_sent"]
    assert len(sent) == 1
    assert sent[0].data["name"] == "Rijksmuseum"
    assert sent[0].data["when"] == "next_trip"
    assert destination(hass).attributes["status"] == "sent"
    await tick(30)
    assert hass.states.get("binary_sensor.su7_moving").state == "on"
    await tick(3600, until=lambda: hass.states.get("sensor.su7_speed").state == "0.0")
    tracker = hass.states.get("device_tracker.su7")
    assert tracker.attributes["latitude"] == pytest.approx(TARGET_LAT, abs=0.002)
    assert tracker.attributes["longitude"] == pytest.approx(TARGET_LON, abs=0.002)
    await hass.services.async_call("lock", "lock", {"entity_id": "lock.su7_doors"}, blocking=True)
    await _unlock(hass)
    assert len([e for e in events if e.data["type"] == "destination_sent"]) == 1


async def test_a_restart_in_between_loses_nothing(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, text=ANDROID_TEXT, when="next_trip")
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert destination(hass).attributes["status"] == "pending"
    await _unlock(hass)
    assert len([e for e in events if e.data["type"] == "destination_sent"]) == 1
    assert await hass.config_entries.async_reload(init_integration.entry_id)
    await hass.async_block_till_done()
    assert destination(hass).attributes["status"] == "sent"
    assert len([e for e in events if e.data["type"] == "destination_sent"]) == 1


async def test_a_power_cut_right_after_a_delivery_does_not_send_it_again(
    hass: HomeAssistant, init_integration: MockConfigEntry, hass_storage: dict[str, Any]
) -> None:
    hass.data["car_bridge_test_storage"] = hass_storage
    key = f"{DOMAIN}.{init_integration.entry_id}"
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, text=ANDROID_TEXT, when="next_trip")
    await _unlock(hass)
    assert len([e for e in events if e.data["type"] == "destination_sent"]) == 1
    # The file as the power cut leaves it: no unload, no later save.
    await _restart_from(hass, init_integration, copy.deepcopy(hass_storage[key]))
    assert destination(hass).attributes["status"] == "sent"
    await hass.services.async_call("lock", "lock", {"entity_id": "lock.su7_doors"}, blocking=True)
    await _unlock(hass)
    assert len([e for e in events if e.data["type"] == "destination_sent"]) == 1


@pytest.mark.usefixtures("init_integration")
async def test_newer_replaces_and_clear_forgets(hass: HomeAssistant) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, url=GOOGLE, when="next_trip")
    await send_destination(hass, text="geo:52.3731,4.8922?q=52.3731,4.8922(Dam)", when="next_trip")
    assert destination(hass).state == "Dam"
    await hass.services.async_call(
        DOMAIN, "clear_destination", {"entity_id": "device_tracker.su7"}, blocking=True
    )
    assert destination(hass).state == "unknown"
    await hass.services.async_call(
        DOMAIN, "clear_destination", {"entity_id": "device_tracker.su7"}, blocking=True
    )
    await _unlock(hass)
    assert not [e for e in events if e.data["type"] == "destination_sent"]


@pytest.mark.usefixtures("init_integration")
async def test_expires(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await send_destination(hass, url=GOOGLE, when="next_trip", expires_after={"hours": 2})
    freezer.tick(timedelta(hours=2, minutes=1))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert destination(hass).attributes["status"] == "expired"
    assert [e.data["name"] for e in events if e.data["type"] == "destination_expired"] == [
        "Rijksmuseum"
    ]
    await _unlock(hass)
    assert not [e for e in events if e.data["type"] == "destination_sent"]


@pytest.mark.usefixtures("init_integration")
async def test_now_sends_at_once_with_a_name(
    hass: HomeAssistant, caplog: pytest.LogCaptureFixture
) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    caplog.set_level(logging.INFO, logger="custom_components.car_bridge")
    await send_destination(hass, text=GOOGLE, name="Museum", address="Amsterdam")
    # Every delivery is announced, a "now" one too (with the place, never in INFO logs).
    sent = [e.data for e in events if e.data["type"] == "destination_sent"]
    assert len(sent) == 1
    assert {k: sent[0][k] for k in ("name", "address", "source", "status", "when")} == {
        "name": "Museum",
        "address": "Amsterdam",
        "source": "google_place",
        "status": "sent",
        "when": "now",
    }
    assert sent[0]["latitude"] == pytest.approx(TARGET_LAT)
    assert "Museum" in caplog.text
    logged = [r.getMessage() for r in caplog.records if r.levelno > logging.DEBUG]
    assert not [m for m in logged if f"{TARGET_LAT:.3f}" in m or f"{TARGET_LON:.3f}" in m]
    state = destination(hass)
    assert (state.state, state.attributes["status"]) == ("Museum", "sent")
    await send_destination(hass, latitude=TARGET_LAT, longitude=TARGET_LON, expires_after=3)
    assert destination(hass).state == f"{TARGET_LAT:.5f}, {TARGET_LON:.5f}"


# Short links: tests/test_short_links.py asks a real redirect server on loopback.


@pytest.mark.usefixtures("init_integration")
@pytest.mark.parametrize(
    ("data", "key"),
    [
        ({"text": "Dinner at Anna's"}, "place_no_coordinates"),
        ({"text": "https://www.google.com/maps/search/?api=1&query=pizza"}, "place_no_coordinates"),
        ({"text": "geo:91,0"}, "place_out_of_range"),
        ({"text": "geo:52,4;crs=epsg:28992"}, "place_unknown_datum"),
        ({"text": "   "}, "invalid_destination"),
        ({"text": GOOGLE, "latitude": 52.0, "longitude": 4.0}, "invalid_destination"),
        ({"text": GOOGLE, "zone": "zone.home"}, "invalid_destination"),
        ({"text": GOOGLE, "url": GOOGLE}, "invalid_destination"),
        ({"text": 5}, "invalid_destination"),
        ({"text": GOOGLE, "name": ["x"]}, "invalid_destination"),
        ({"text": GOOGLE, "when": "later"}, "invalid_when"),
        (
            {"text": GOOGLE, "when": "next_trip", "expires_after": {"days": 30}},
            "invalid_expires_after",
        ),
        ({"text": GOOGLE, "when": "next_trip", "expires_after": {"x": 1}}, "invalid_expires_after"),
        ({"text": GOOGLE, "when": "next_trip", "expires_after": -1}, "invalid_expires_after"),
        ({"text": GOOGLE, "when": "next_trip", "expires_after": True}, "invalid_expires_after"),
    ],
)
async def test_bad_input_sends_nothing(hass: HomeAssistant, data: dict[str, Any], key: str) -> None:
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    with pytest.raises(ServiceValidationError) as err:
        await send_destination(hass, **data)
    assert err.value.translation_key == key
    # The user reads the translated message, not the key.
    message = EN["exceptions"][key]["message"]
    shown = message.format(**(err.value.translation_placeholders or {}))
    assert str(err.value).rstrip(".") == shown.rstrip(".")
    assert destination(hass).state == "unknown"
    assert not events


@pytest.mark.usefixtures("init_integration")
async def test_zone_destination_keeps_the_zone_name(hass: HomeAssistant) -> None:
    await send_destination(hass, zone="zone.home", when="next_trip")
    assert destination(hass).state == hass.states.get("zone.home").name
    assert destination(hass).attributes["source"] == "zone"


@pytest.mark.parametrize("entry_options", [{"destination_expiry": 1.0}])
@pytest.mark.usefixtures("init_integration")
async def test_the_vehicle_option_sets_the_expiry(
    hass: HomeAssistant, freezer: FrozenDateTimeFactory
) -> None:
    await send_destination(hass, url=GOOGLE, when="next_trip")
    freezer.tick(timedelta(minutes=61))
    async_fire_time_changed(hass)
    await hass.async_block_till_done()
    assert destination(hass).attributes["status"] == "expired"


async def test_expiry_option_applies_live_and_is_checked(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    await set_options(hass, init_integration, destination_expiry=2.0)
    assert init_integration.options["destination_expiry"] == 2.0
    assert init_integration.state is ConfigEntryState.LOADED
    await send_destination(hass, url=GOOGLE, when="next_trip")
    attributes = destination(hass).attributes
    held = datetime.fromisoformat(attributes["expires"]) - datetime.fromisoformat(
        attributes["requested"]
    )
    assert held == timedelta(hours=2)
    await set_options(hass, init_integration, destination_expiry=12.0)
    assert "destination_expiry" not in init_integration.options  # the default is not stored
    result = await hass.config_entries.options.async_init(init_integration.entry_id)
    result = await hass.config_entries.options.async_configure(
        result["flow_id"], {"destination_expiry": 500.0}
    )
    assert result["errors"] == {"destination_expiry": "out_of_range"}


@pytest.mark.usefixtures("init_integration")
async def test_a_name_longer_than_a_state_is_shown_cut_at_255(hass: HomeAssistant) -> None:
    """A shared text's first line can be any length; the sensor shows what a state can hold."""
    long_name = "Museum " * 60
    await send_destination(hass, text=f"{long_name}\n{GOOGLE}", when="next_trip")
    state = destination(hass)
    assert len(state.state) == 255
    assert long_name.startswith(state.state)
    assert state.attributes["status"] == "pending"
