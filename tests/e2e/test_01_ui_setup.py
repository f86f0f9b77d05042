"""A newcomer's path in the real UI: log in, add Car Bridge, open the device."""

from __future__ import annotations

from collections.abc import Iterator
import re

from playwright.sync_api import (
    Browser,
    Page,
    TimeoutError as PlaywrightTimeoutError,
    expect,
    sync_playwright,
)
import pytest

from .conftest import ARTIFACTS, Hass, wait_for

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    yield page
    context.close()


def log_in(page: Page, hass: Hass) -> None:
    page.goto(hass.url)
    page.locator("input[name='username']").fill(hass.username)
    page.locator("input[name='password']").fill(hass.password)
    page.locator("input[name='password']").press("Enter")
    page.wait_for_url(re.compile(r"/(lovelace|home|map|energy)"), timeout=TIMEOUT_MS)


def confirm_http_settings(page: Page) -> None:
    """HA asks once to confirm the HTTP settings from configuration.yaml (port, address)."""
    dialog = page.get_by_text("Confirm new HTTP server configuration")
    try:
        dialog.wait_for(timeout=5000)
    except PlaywrightTimeoutError:
        return
    page.get_by_role("button", name="Confirm", exact=True).click()
    dialog.wait_for(state="hidden")


def open_add_car_bridge(page: Page, hass: Hass) -> None:
    """Settings > Devices & services > Add integration > Car Bridge: its menu of sources."""
    page.goto(f"{hass.url}/config/integrations/dashboard")
    confirm_http_settings(page)
    page.get_by_role("button", name=re.compile("Add integration", re.I)).click()
    page.get_by_placeholder(re.compile("Search", re.I)).last.fill("Car Bridge")
    # The dialog's own result, not the "Car Bridge" card behind it (which
    # matches too once an entry exists, and is covered by the dialog).
    page.locator("ha-integration-list-item", has_text="Car Bridge").first.click()


def test_add_car_bridge_in_the_ui(hass_server: Hass, page: Page) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_in(page, hass_server)

    open_add_car_bridge(page, hass_server)

    # The user step is a menu of sources.
    page.get_by_text("Simulated car (no car account needed)").click()
    expect(page.get_by_text("Start distance from home")).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "config_flow.png"))
    page.get_by_role("button", name=re.compile("^Submit$", re.I)).click()

    # The entry is created and its entities appear.
    state = wait_for(hass_server, "sensor.su7_battery", lambda s: True, TIMEOUT_MS / 1000 * 4)
    assert state["state"] == "80.0"
    expect(page.get_by_text("Simulated vehicle")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "device_created.png"))
    page.get_by_role("button", name=re.compile("finish", re.I)).click()

    device_id = hass_server.api(
        "/api/template", {"template": "{{ device_id('device_tracker.su7') }}"}
    )
    page.goto(f"{hass_server.url}/config/devices/device/{device_id}")
    expect(page.get_by_text("SU7").first).to_be_visible()
    for name in ("Battery", "Cabin temperature", "Charge state", "Distance to home", "Range"):
        expect(page.get_by_text(name, exact=True).first).to_be_visible()
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "device_page.png"), full_page=True)


def test_mirror_step_in_the_ui(hass_server: Hass, page: Page) -> None:
    """The mirror source's form, with its filtered entity pickers (screenshot for the README)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log_in(page, hass_server)
    open_add_car_bridge(page, hass_server)
    page.get_by_text(re.compile("Use entities you already have")).click()
    expect(page.get_by_text("Destination script").first).to_be_visible()
    for field in ("Location", "Battery level", "Charging state", "Lock"):
        expect(page.get_by_text(field, exact=True).first).to_be_visible()
    page.wait_for_timeout(500)
    page.screenshot(path=str(ARTIFACTS / "mirror_step.png"))
