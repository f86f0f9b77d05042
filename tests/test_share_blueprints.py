"""The share and music blueprints, in real automations, with Android- and iOS-shaped shares."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_capture_events,
    async_mock_service,
)

from custom_components.car_bridge.const import DOMAIN, EVENT_CAR_BRIDGE
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr, entity_registry as er
from homeassistant.setup import async_setup_component

from .conftest import HOME_LAT, HOME_LON, send_destination, vehicle_device_id
from .test_blueprints import stop_automations
from .test_mirror import TRACKER, _add, set_tracker

PLACE_LAT, PLACE_LON = HOME_LAT + 0.03, HOME_LON + 0.02
GOOGLE = (
    f"https://www.google.com/maps/place/Rijksmuseum/@{PLACE_LAT},{PLACE_LON},17z"
    f"/data=!4m6!3m5!1s0x0:0x0!8m2!3d{PLACE_LAT}!4d{PLACE_LON}"
)
ANDROID_ID, IOS_ID = "5c1c6e4a3e0d4f8b", "A1B2C3D4-E5F6-4711-8899-AABBCCDDEEFF"


def android_share(text: str, device_id: str = ANDROID_ID) -> dict[str, Any]:
    """What the Android app's ShareActivity fires (caller, subject, text or url, device_id)."""
    return {
        "caller": "android-app://com.google.android.apps.maps",
        "subject": text.splitlines()[0],
        "text": text,
        "device_id": device_id,
    }


def ios_share(url: str, text: str) -> dict[str, Any]:
    """What the iOS app's share extension fires (text, url, entered, the device's ids)."""
    return {
        "text": text,
        "url": url,
        "entered": "",
        "sourceDeviceID": "iphone",
        "sourceDeviceName": "iPhone",
        "sourceDevicePermanentID": IOS_ID,
    }


async def _phones(hass: HomeAssistant) -> tuple[str, str]:
    entry = MockConfigEntry(domain="mobile_app")
    entry.add_to_hass(hass)
    registry = dr.async_get(hass)
    pixel = registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("mobile_app", ANDROID_ID)}, name="Pixel 8"
    )
    iphone = registry.async_get_or_create(
        config_entry_id=entry.entry_id, identifiers={("mobile_app", IOS_ID)}, name="iPhone"
    )
    return pixel.id, iphone.id


async def _share_blueprint(hass: HomeAssistant, vehicle: str, phones: list[str]) -> None:
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": f"{DOMAIN}/share_place.yaml",
                    "input": {"vehicle": vehicle, "phones": phones},
                }
            }
        },
    )
    await hass.async_block_till_done()


async def _share(hass: HomeAssistant, data: dict[str, Any]) -> None:
    hass.bus.async_fire("mobile_app.share", data)
    await hass.async_block_till_done()


@pytest.fixture
async def mirrored_car(hass: HomeAssistant, home_zone: None) -> MockConfigEntry:
    """A mirrored car with a lock and a destination script that records its variables."""
    assert await async_setup_component(
        hass, "input_boolean", {"input_boolean": {"car_locked": {"initial": True}}}
    )
    toggle = "input_boolean.turn_{}"
    assert await async_setup_component(
        hass,
        "template",
        {
            "template": [
                {
                    "lock": [
                        {
                            "name": "Car doors",
                            "state": "{{ is_state('input_boolean.car_locked', 'on') }}",
                            "lock": {
                                "action": toggle.format("on"),
                                "target": {"entity_id": "input_boolean.car_locked"},
                            },
                            "unlock": {
                                "action": toggle.format("off"),
                                "target": {"entity_id": "input_boolean.car_locked"},
                            },
                        }
                    ]
                }
            ]
        },
    )
    fields = ("latitude", "longitude", "name", "address", "text")
    assert await async_setup_component(
        hass,
        "script",
        {
            "script": {
                "car_navigate": {
                    "fields": {field: {} for field in fields},
                    "sequence": [
                        {
                            "event": "car_navigation",
                            "event_data": {field: f"{{{{ {field} }}}}" for field in fields},
                        }
                    ],
                }
            }
        },
    )
    set_tracker(hass, 3.0, speed=0)
    await hass.async_block_till_done()
    result = await _add(
        hass, tracker=TRACKER, lock="lock.car_doors", destination_script="script.car_navigate"
    )
    entry: MockConfigEntry = result["result"]
    return entry


async def _car_unlocked(hass: HomeAssistant, unlocked: bool = True) -> None:
    action = "turn_off" if unlocked else "turn_on"
    await hass.services.async_call(
        "input_boolean", action, {"entity_id": "input_boolean.car_locked"}, blocking=True
    )
    await hass.async_block_till_done()


async def test_android_share_reaches_the_car_once_when_it_is_unlocked(
    hass: HomeAssistant, mirrored_car: MockConfigEntry
) -> None:
    pixel, iphone = await _phones(hass)
    notified = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    navigation = async_capture_events(hass, "car_navigation")
    await _share_blueprint(hass, vehicle_device_id(hass, mirrored_car), [pixel, iphone])

    text = f"Rijksmuseum\nMuseumstraat 1, 1071 XX Amsterdam\n{GOOGLE}"
    await _share(hass, android_share(text))
    destination = hass.states.get("sensor.model_y_destination")
    assert destination.state == "Rijksmuseum"
    assert destination.attributes["status"] == "pending"
    assert destination.attributes["address"] == "Museumstraat 1, 1071 XX Amsterdam"
    assert len(notified) == 1
    assert "Rijksmuseum, Museumstraat 1" in notified[0].data["message"]
    assert "next trip" in notified[0].data["message"]
    # Parked and locked: nothing is sent, whatever the tracker does while it stands.
    set_tracker(hass, 3.0, speed=0, gps_accuracy=12)
    await hass.async_block_till_done()
    assert navigation == []

    # A restart in between loses nothing.
    assert await hass.config_entries.async_reload(mirrored_car.entry_id)
    await hass.async_block_till_done()
    assert hass.states.get("sensor.model_y_destination").attributes["status"] == "pending"

    await _car_unlocked(hass)
    assert len(navigation) == 1
    sent = navigation[0].data
    assert float(sent["latitude"]) == pytest.approx(PLACE_LAT)
    assert float(sent["longitude"]) == pytest.approx(PLACE_LON)
    assert sent["name"] == "Rijksmuseum"
    assert sent["address"] == "Museumstraat 1, 1071 XX Amsterdam"
    assert GOOGLE in sent["text"]
    assert hass.states.get("sensor.model_y_destination").attributes["status"] == "sent"
    await _car_unlocked(hass, False)
    await _car_unlocked(hass)
    set_tracker(hass, 6.0, speed=40)
    await hass.async_block_till_done()
    assert len(navigation) == 1
    await stop_automations(hass)


async def test_ios_share_and_a_newer_one_replaces_it(
    hass: HomeAssistant, mirrored_car: MockConfigEntry
) -> None:
    pixel, iphone = await _phones(hass)
    notified = async_mock_service(hass, "notify", "mobile_app_iphone")
    navigation = async_capture_events(hass, "car_navigation")
    await _share_blueprint(hass, vehicle_device_id(hass, mirrored_car), [pixel, iphone])
    await _share(hass, ios_share(GOOGLE, "Rijksmuseum"))
    await _share(
        hass, ios_share("https://maps.apple.com/?ll=52.3731,4.8922&q=Dam%20Square", "Dam Square")
    )
    assert hass.states.get("sensor.model_y_destination").state == "Dam Square"
    assert len(notified) == 2
    await _car_unlocked(hass)
    assert [e.data["name"] for e in navigation] == ["Dam Square"]
    await stop_automations(hass)


async def test_other_phones_and_unplaceable_shares_send_nothing(
    hass: HomeAssistant, mirrored_car: MockConfigEntry
) -> None:
    pixel, _ = await _phones(hass)
    notified = async_mock_service(hass, "notify", "mobile_app_pixel_8")
    events = async_capture_events(hass, EVENT_CAR_BRIDGE)
    await _share_blueprint(hass, vehicle_device_id(hass, mirrored_car), [pixel])
    await _share(hass, ios_share(GOOGLE, "Rijksmuseum"))  # the iPhone was not chosen
    await _share(hass, android_share(GOOGLE, device_id="someone-else"))
    assert notified == []
    await _share(hass, android_share("Dinner at Anna's\nhttps://example.com/menu"))
    assert len(notified) == 1
    assert notified[0].data["message"].startswith("Nothing was sent: This link has no coordinates")
    assert hass.states.get("sensor.model_y_destination").state == "unknown"
    await _car_unlocked(hass)
    assert not [e for e in events if e.data["type"] == "destination_sent"]
    await stop_automations(hass)


async def test_find_place_says_what_and_why(
    hass: HomeAssistant, mirrored_car: MockConfigEntry
) -> None:
    found = await hass.services.async_call(
        DOMAIN,
        "find_place",
        {"text": "geo:52.3731,4.8922?q=52.3731,4.8922(Dam)"},
        blocking=True,
        return_response=True,
    )
    assert found == {
        "found": True,
        "name": "Dam",
        "address": None,
        "latitude": 52.3731,
        "longitude": 4.8922,
        "source": "geo",
        "converted_from": None,
    }
    amap = await hass.services.async_call(
        DOMAIN,
        "find_place",
        {"text": "https://uri.amap.com/marker?position=116.403694,39.910001"},
        blocking=True,
        return_response=True,
    )
    assert amap is not None
    assert amap["converted_from"] == "gcj02"
    missing = await hass.services.async_call(
        DOMAIN, "find_place", {"text": "geo:91,0"}, blocking=True, return_response=True
    )
    assert missing == {
        "found": False,
        "error": "place_out_of_range",
        "message": "These coordinates are outside the map.",
    }


# --- Take the music with you --------------------------------------------------

HOME_PLAYERS = ["media_player.living_room", "media_player.kitchen"]
CAR = "media_player.car"


def _players(hass: HomeAssistant, living_room: str = "playing", car: str = "idle") -> None:
    hass.states.async_set(
        HOME_PLAYERS[0],
        living_room,
        {"media_content_id": "spotify:playlist:road", "media_content_type": "playlist"},
    )
    hass.states.async_set(HOME_PLAYERS[1], "idle", {})
    hass.states.async_set(
        CAR, car, {"media_content_id": "spotify:playlist:road", "media_content_type": "playlist"}
    )


async def _music_blueprint(hass: HomeAssistant, entry: MockConfigEntry) -> dict[str, list[Any]]:
    calls = {
        "play": async_mock_service(hass, "media_player", "play_media"),
        "pause": async_mock_service(hass, "media_player", "media_pause"),
        "transfer": async_mock_service(hass, "music_assistant", "transfer_queue"),
    }
    assert await async_setup_component(
        hass,
        "automation",
        {
            "automation": {
                "use_blueprint": {
                    "path": f"{DOMAIN}/music_follows.yaml",
                    "input": {
                        "vehicle": vehicle_device_id(hass, entry),
                        "home_players": HOME_PLAYERS,
                        "car_player": CAR,
                    },
                }
            }
        },
    )
    await hass.async_block_till_done()
    return calls


@pytest.mark.parametrize("start_distance", [0.0])
async def test_music_moves_once_per_departure_and_arrival(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    _players(hass)
    calls = await _music_blueprint(hass, init_integration)
    await send_destination(hass, latitude=HOME_LAT + 0.05, longitude=HOME_LON)
    await tick(1200)
    assert [(c.data["entity_id"], c.data["media_content_id"]) for c in calls["play"]] == [
        ([CAR], "spotify:playlist:road")
    ]
    assert [c.data["entity_id"] for c in calls["pause"]] == [[HOME_PLAYERS[0]]]
    _players(hass, living_room="paused", car="playing")
    await send_destination(hass, zone="zone.home")
    await tick(1200)
    assert [c.data["entity_id"] for c in calls["play"]] == [[CAR], [HOME_PLAYERS[0]]]
    assert [c.data["entity_id"] for c in calls["pause"]] == [[HOME_PLAYERS[0]], [CAR]]
    assert calls["transfer"] == []
    await stop_automations(hass)


@pytest.mark.parametrize("start_distance", [0.0])
@pytest.mark.parametrize("entry_options", [{"gps_noise": 60.0}])
async def test_music_stays_home_on_gps_jitter(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    _players(hass)
    calls = await _music_blueprint(hass, init_integration)
    await tick(900)
    assert calls["play"] == []
    assert calls["pause"] == []
    await stop_automations(hass)


@pytest.mark.parametrize("start_distance", [0.0])
async def test_music_assistant_transfers_the_queue(
    hass: HomeAssistant, init_integration: MockConfigEntry, tick: Callable[..., Any]
) -> None:
    # integration_entities() finds Music Assistant's players through their
    # config entry here (by its title), through their platform in a real home.
    ma = MockConfigEntry(domain="music_assistant", title="music_assistant")
    ma.add_to_hass(hass)
    registry = er.async_get(hass)
    for entity_id in (HOME_PLAYERS[0], CAR):
        registry.async_get_or_create(
            "media_player",
            "music_assistant",
            entity_id,
            config_entry=ma,
            suggested_object_id=entity_id.split(".")[1],
        )
    _players(hass)
    calls = await _music_blueprint(hass, init_integration)
    await send_destination(hass, latitude=HOME_LAT + 0.05, longitude=HOME_LON)
    await tick(1200)
    assert [(c.data["entity_id"], c.data["source_player"]) for c in calls["transfer"]] == [
        ([CAR], HOME_PLAYERS[0])
    ]
    assert calls["play"] == []
    await stop_automations(hass)
