"""End to end: a place shared from a phone reaches the simulated car on its next trip."""

from __future__ import annotations

import asyncio
import math
import time

from .conftest import Hass, wait_for, wait_for_entry_loaded
from .test_02_drive import ensure_vehicle, set_time_factor

PHONE_ID = "e2e-pixel-8"
SHARE_AUTOMATION_ID = "car_bridge_e2e_share"
# About 3 km north-east of the demo home (Amsterdam), as Google Maps shares a place.
PLACE_LAT, PLACE_LON = 52.3900, 4.9300
SHARED = (
    "Westergasfabriek\nPolonceaukade 27, Amsterdam\n"
    f"https://www.google.com/maps/place/Westergasfabriek/@{PLACE_LAT},{PLACE_LON - 0.003},17z"
    f"/data=!4m6!3m5!1s0x0:0x0!8m2!3d{PLACE_LAT}!4d{PLACE_LON}"
)


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return 6371000 * math.hypot(x, math.radians(lat2 - lat1))


def register_phone(hass: Hass) -> str:
    """Register an Android phone as the Companion app does; return its webhook id."""
    registration = hass.api(
        "/api/mobile_app/registrations",
        {
            "device_id": PHONE_ID,
            "app_id": "io.homeassistant.companion.android",
            "app_name": "Home Assistant",
            "app_version": "2026.11.1-full",
            "device_name": "Pixel 8",
            "manufacturer": "Google",
            "model": "Pixel 8",
            "os_name": "Android",
            "os_version": "15",
            "supports_encryption": False,
            "app_data": {},
        },
    )
    return str(registration["webhook_id"])


def phone_device_id(hass: Hass) -> str:
    """Return the device id of the phone register_phone() registered."""
    # device_id() also takes a device's name.
    phone = hass.api("/api/template", {"template": "{{ device_id('Pixel 8') or '' }}"})
    assert phone, "the registered phone has no device"
    return str(phone)


def add_share_automation(hass: Hass, vehicle: str, phone: str, *, notify: bool = False) -> None:
    """Create automation.share_a_place_to_the_su7 from the share_place blueprint."""
    result = hass.api(
        f"/api/config/automation/config/{SHARE_AUTOMATION_ID}",
        {
            "alias": "Share a place to the SU7",
            "use_blueprint": {
                "path": "car_bridge/share_place.yaml",
                "input": {"vehicle": vehicle, "phones": [phone], "notify": notify},
            },
        },
    )
    assert result == {"result": "ok"}


def share_place(hass: Hass, webhook_id: str) -> None:
    """What the Android app's share sheet sends, through the phone's own webhook."""
    hass.api(
        f"/api/webhook/{webhook_id}",
        {
            "type": "fire_event",
            "data": {
                "event_type": "mobile_app.share",
                "event_data": {
                    "caller": "android-app://com.google.android.apps.maps",
                    "subject": "Westergasfabriek",
                    "text": SHARED,
                    "device_id": PHONE_ID,
                },
            },
        },
    )


async def test_a_shared_link_makes_the_car_drive_there_on_its_next_trip(hass_server: Hass) -> None:
    hass = hass_server
    entry_id = await asyncio.to_thread(ensure_vehicle, hass)
    set_time_factor(hass, entry_id, 60)
    await asyncio.to_thread(wait_for_entry_loaded, hass, entry_id, 60)
    vehicle = hass.api("/api/template", {"template": "{{ device_id('device_tracker.su7') }}"})
    hass.api("/api/services/lock/lock", {"entity_id": "lock.su7_doors"})
    await asyncio.to_thread(wait_for, hass, "lock.su7_doors", "locked", 30)
    # A drive of an earlier test has ended.
    await asyncio.to_thread(wait_for, hass, "binary_sensor.su7_moving", "off", 600)

    webhook_id = register_phone(hass)
    add_share_automation(hass, vehicle, phone_device_id(hass))
    await asyncio.to_thread(wait_for, hass, "automation.share_a_place_to_the_su7", "on", 30)

    share_place(hass, webhook_id)
    pending = await asyncio.to_thread(
        wait_for,
        hass,
        "sensor.su7_destination",
        lambda s: s["state"] == "Westergasfabriek" and s["attributes"]["status"] == "pending",
        30,
    )
    assert pending["attributes"]["address"] == "Polonceaukade 27, Amsterdam"
    await asyncio.sleep(3)
    assert hass.state("binary_sensor.su7_moving")["state"] == "off"  # parked and locked: held

    hass.api("/api/services/lock/unlock", {"entity_id": "lock.su7_doors"})
    await asyncio.to_thread(wait_for, hass, "binary_sensor.su7_moving", "on", 60)
    sent = hass.state("sensor.su7_destination")
    assert sent["attributes"]["status"] == "sent"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        tracker = hass.state("device_tracker.su7")["attributes"]
        if _metres(tracker["latitude"], tracker["longitude"], PLACE_LAT, PLACE_LON) < 150:
            break
        await asyncio.sleep(1)
    else:
        raise AssertionError(f"the car did not get there: {hass.state('device_tracker.su7')}")
    problems = [
        line
        for line in hass.log().splitlines()
        if ("ERROR" in line or "WARNING" in line) and "custom_components.car_bridge" in line
    ]
    assert problems == []
