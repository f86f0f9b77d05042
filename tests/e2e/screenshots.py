"""The README's pictures, from a real Home Assistant and headless Chromium.

Run only by `script/screenshots` (it names this file; `script/test` never
collects it, as it is not a test_*.py module), because it rewrites the
tracked pictures in docs/. The demo home is config/'s: Amsterdam, km and °C.
Along the way it checks what the pictures are meant to show.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
import json
import re
import time
from typing import Any

import aiohttp
from playwright.sync_api import Browser, Page, expect
import pytest

from .conftest import ARTIFACTS, ROOT, Hass, wait_for, wait_for_entry_loaded
from .test_01_ui_setup import (  # noqa: F401
    TIMEOUT_MS,
    browser,
    confirm_http_settings,
    log_in,
    open_add_car_bridge,
)
from .test_02_drive import ensure_vehicle
from .test_04_share import (
    SHARE_AUTOMATION_ID,
    add_share_automation,
    phone_device_id,
    register_phone,
    share_place,
)

DOCS = ROOT / "docs"
TRIGGERS_EN = (
    "SU7 comes within a distance of home",
    "SU7 goes beyond a distance from home",
    "SU7 arrives home",
    "SU7 leaves home",
    "SU7 is less than a number of minutes from home",
)
#: The sixth, not in the list searched for "home".
DEPARTURE_EN = "SU7 is expected to leave within a number of minutes"
TRIGGERS_ZH = ("SU7 进入离家指定距离内", "SU7 到家", "SU7 距到家少于指定分钟数")


def new_page(browser: Browser, language: str = "en") -> Page:  # noqa: F811 - the fixture's value
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    # The frontend keeps the chosen language in local storage.
    context.add_init_script(
        f"localStorage.setItem('selectedLanguage', {json.dumps(json.dumps(language))})"
    )
    return context.new_page()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:  # noqa: F811 - the fixture's value
    page = new_page(browser)
    yield page
    page.context.close()


async def ws_call(hass: Hass, message: dict[str, Any]) -> Any:
    async with aiohttp.ClientSession() as session, session.ws_connect(hass.ws_url) as ws:
        assert (await ws.receive_json())["type"] == "auth_required"
        await ws.send_json({"type": "auth", "access_token": hass.token})
        assert (await ws.receive_json())["type"] == "auth_ok"
        await ws.send_json({"id": 1, **message})
        result = await ws.receive_json()
        assert result["success"], result
        return result["result"]


def wait_until(hass: Hass, check: Any, what: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


def add_car_in_the_ui(hass: Hass, page: Page) -> None:
    open_add_car_bridge(page, hass)
    page.get_by_text("Simulated car (no car account needed)").click()
    expect(page.get_by_text("Start distance from home")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(DOCS / "config_flow.png"))
    page.get_by_role("button", name=re.compile("^Submit$", re.I)).click()
    wait_until(hass, lambda: hass.state("sensor.su7_battery") is not None, "the car's entities")
    page.get_by_role("button", name=re.compile("finish", re.I)).click()


def drive_home_fast(hass: Hass) -> None:
    """Time factor 10, then home: stop half way, with distance, direction and time to home."""
    entry = next(
        e
        for e in hass.api("/api/config/config_entries/entry?domain=car_bridge")
        if e["title"] == "SU7"
    )
    flow = hass.api("/api/config/config_entries/options/flow", {"handler": entry["entry_id"]})
    result = hass.api(
        f"/api/config/config_entries/options/flow/{flow['flow_id']}", {"time_factor": 10}
    )
    assert result["type"] == "create_entry", result
    hass.api(
        "/api/services/car_bridge/send_destination",
        {"entity_id": "device_tracker.su7", "zone": "zone.home"},
    )

    def half_way() -> bool:
        distance = hass.state("sensor.su7_distance_to_home")
        eta = hass.state("sensor.su7_time_to_home")
        return (
            distance is not None
            and eta is not None
            and eta["state"] not in ("unknown", "unavailable")
            and float(distance["state"]) < 5.5
        )

    wait_until(hass, half_way, "the car half way home")
    # Freeze the picture: cruise on at real time.
    flow = hass.api("/api/config/config_entries/options/flow", {"handler": entry["entry_id"]})
    hass.api(f"/api/config/config_entries/options/flow/{flow['flow_id']}", {"time_factor": 1})


def test_readme_pictures(hass_server: Hass, browser: Browser, page: Page) -> None:  # noqa: F811
    hass = hass_server
    DOCS.mkdir(exist_ok=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_in(page, hass)
    add_car_in_the_ui(hass, page)
    drive_home_fast(hass)

    # The Car dashboard of script/develop, in km.
    page.goto(f"{hass.url}/car-bridge/su7")
    expect(page.get_by_text("On the way home")).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d km")).first).to_be_visible()
    page.wait_for_timeout(2000)
    page.screenshot(path=str(DOCS / "dashboard.png"))

    device_id = hass.api("/api/template", {"template": "{{ device_id('device_tracker.su7') }}"})
    page.goto(f"{hass.url}/config/devices/device/{device_id}")
    expect(page.get_by_text("Distance to home", exact=True).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"°C")).first).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "device_page.png"), full_page=True)

    # An automation with the six device triggers exactly as the editor lists them.
    # Playwright's sync API runs an event loop in this thread: talk from another.
    with ThreadPoolExecutor(1) as pool:
        message = {"type": "device_automation/trigger/list", "device_id": device_id}
        triggers = pool.submit(asyncio.run, ws_call(hass, message)).result()
    ours = [t for t in triggers if t["domain"] == "car_bridge"]
    assert len(ours) == 6
    for trigger in ours:
        trigger["trigger"] = trigger.pop("platform")
        if trigger["type"] in ("approaching", "leaving"):
            trigger["distance"] = 5 if trigger["type"] == "approaching" else 1
        elif trigger["type"] == "time_to_home_below":
            trigger["minutes"] = 15
        elif trigger["type"] == "departure_expected":
            trigger["minutes_before"] = 30
    result = hass.api(
        "/api/config/automation/config/car_bridge_triggers",
        {"alias": "Car Bridge device triggers", "triggers": ours, "actions": []},
    )
    assert result == {"result": "ok"}
    page.goto(f"{hass.url}/config/automation/edit/car_bridge_triggers")
    for name in (*TRIGGERS_EN, DEPARTURE_EN):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "device_triggers.png"), full_page=True)

    # The list the editor offers for the vehicle: open one trigger's picker.
    page.get_by_role("heading", name="SU7 arrives home", exact=True).click()
    # the picker's value, in the side panel (the row's title comes first)
    page.get_by_text("SU7 arrives home", exact=True).last.click()
    # the list also holds the entities' own triggers: search for the vehicle's
    page.get_by_placeholder("Search", exact=True).last.fill("home")
    page.wait_for_timeout(1000)
    for name in TRIGGERS_EN:
        expect(page.get_by_text(name, exact=True).last).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(DOCS / "device_trigger_list.png"))
    page.keyboard.press("Escape")

    # The same in Chinese (checked, kept with the suite's artifacts).
    chinese = new_page(browser, "zh-Hans")
    log_in(chinese, hass)
    chinese.goto(f"{hass.url}/config/automation/edit/car_bridge_triggers")
    for name in TRIGGERS_ZH:
        expect(chinese.get_by_role("heading", name=name, exact=True)).to_be_visible()
    chinese.wait_for_timeout(1000)
    chinese.screenshot(path=str(ARTIFACTS / "device_triggers_zh-Hans.png"), full_page=True)
    chinese.context.close()

    # The mirror source's form, with its filtered entity pickers.
    mirror = new_page(browser)
    log_in(mirror, hass)
    mirror.goto(f"{hass.url}/config/integrations/dashboard")
    mirror.get_by_role("button", name=re.compile("Add integration", re.I)).click()
    mirror.get_by_placeholder(re.compile("Search", re.I)).last.fill("Car Bridge")
    # The dialog's own result, not the "Car Bridge" card behind it (which
    # matches too once an entry exists, and is covered by the dialog).
    mirror.locator("ha-integration-list-item", has_text="Car Bridge").first.click()
    mirror.get_by_text(re.compile("Use entities you already have")).click()
    expect(mirror.get_by_text("Destination script").first).to_be_visible()
    mirror.wait_for_timeout(500)
    mirror.screenshot(path=str(DOCS / "mirror_step.png"))
    mirror.context.close()


def test_share_pictures(hass_server: Hass, page: Page) -> None:
    """The share blueprint in the editor, and the place it holds for the next trip."""
    hass = hass_server
    DOCS.mkdir(exist_ok=True)
    # The car of test_readme_pictures (still on its way home), or a new one.
    entry_id = ensure_vehicle(hass)
    wait_for_entry_loaded(hass, entry_id, 60)
    vehicle = hass.api("/api/template", {"template": "{{ device_id('device_tracker.su7') }}"})
    webhook_id = register_phone(hass)
    add_share_automation(hass, vehicle, phone_device_id(hass), notify=True)
    wait_for(hass, "automation.share_a_place_to_the_su7", "on", 30)
    log_in(page, hass)

    page.goto(f"{hass.url}/config/automation/edit/{SHARE_AUTOMATION_ID}")
    confirm_http_settings(page)  # done already if test_readme_pictures ran
    blueprint = page.get_by_text("Car Bridge: Share a place to the car", exact=True)
    expect(blueprint.filter(visible=True)).to_be_visible()
    for name in ("Vehicle", "Phones", "When", "Tell the phone"):
        expect(page.get_by_text(name, exact=True).filter(visible=True)).to_be_visible()
    # the picked vehicle and phone, and notify on
    for picked in ("SU7", "Pixel 8"):
        expect(page.get_by_text(picked, exact=True).filter(visible=True).first).to_be_visible()
    expect(page.get_by_role("switch")).to_be_checked()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "share_blueprint.png"), full_page=True)

    # A place shared from Google Maps: held (pending) until the car is next in use.
    share_place(hass, webhook_id)
    wait_for(
        hass,
        "sensor.su7_destination",
        lambda s: s["state"] == "Westergasfabriek" and s["attributes"]["status"] == "pending",
        30,
    )
    # The more-info dialog's details: the state and every attribute.
    page.goto(
        f"{hass.url}/car-bridge/su7?more-info-entity-id=sensor.su7_destination&more-info-view=details"
    )
    # (the rows' texts are not in the DOM's text, only in the accessibility tree)
    expect(page.get_by_role("dialog")).to_match_aria_snapshot(
        """
        - list "Entity":
          - listitem: State Westergasfabriek
        - list "Attributes":
          - listitem: Address Polonceaukade 27, Amsterdam
          - listitem: Status Waiting for the next trip
        """
    )
    page.wait_for_timeout(1000)
    page.screenshot(path=str(DOCS / "destination_sensor.png"))
