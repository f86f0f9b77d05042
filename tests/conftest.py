"""Shared fixtures: a real Home Assistant with Car Bridge loaded."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import timedelta
import gc
import logging
import math
import re
import time
from typing import Any

from freezegun.api import FrozenDateTimeFactory
import pytest
from pytest_homeassistant_custom_component.common import (
    MockConfigEntry,
    async_fire_time_changed,
)
from pytest_homeassistant_custom_component.syrupy import HomeAssistantSnapshotExtension
from syrupy.assertion import SnapshotAssertion

from custom_components.car_bridge.const import (
    COMMON_DEFAULT_OPTIONS,
    CONF_LOCAL_ONLY,
    CONF_SOURCE,
    CONF_START_DISTANCE,
    CONF_WEBHOOK_ID,
    CONF_ZONE,
    DOMAIN,
    SIMULATOR_DEFAULT_OPTIONS,
    SOURCE_SIMULATOR,
    SOURCE_WEBHOOK,
    WEBHOOK_DEFAULT_OPTIONS,
)
from homeassistant.const import CONF_NAME
from homeassistant.core import HomeAssistant
from homeassistant.helpers import device_registry as dr
from homeassistant.setup import async_setup_component

HOME_LAT = 52.3676
HOME_LON = 4.9041
HOME_RADIUS = 100.0
#: The generated unique id of the test vehicle (never made from its name).
VEHICLE_ID = "0d5a3c1e9b7f4e2a8c6b4d2f0e1a3c5b"
#: Every option of a simulated car, at its default.
SIMULATOR_OPTIONS = {**SIMULATOR_DEFAULT_OPTIONS, **COMMON_DEFAULT_OPTIONS}


#: asyncio's own threshold for a slow callback (debug mode).
SLOW_CALLBACK_S = 0.1
SLOW_CALLBACKS: list[str] = []
_handle_run = asyncio.events.Handle._run
_CURRENT_TEST = [""]


_GC_CPU = [0.0, 0.0]  # total CPU spent collecting garbage, start of the current pass


def _gc_timer(phase: str, info: dict[str, Any]) -> None:
    if phase == "start":
        _GC_CPU[1] = time.thread_time()
    else:
        _GC_CPU[0] += time.thread_time() - _GC_CPU[1]


gc.callbacks.append(_gc_timer)


def _timed_run(handle: asyncio.Handle) -> None:
    # CPU time of the loop's thread: what the callback itself cost, whatever
    # the frozen clock says and however busy the machine is. (Blocking I/O in
    # the loop, which costs no CPU, is caught by HA's own blocking-call check.)
    # A garbage collection pass lands on whichever callback allocates last,
    # so its time is reported but not held against the callback.
    handle._loop.slow_callback_duration = math.inf  # asyncio's frozen-clock report
    started, gc_before = time.thread_time(), _GC_CPU[0]
    _handle_run(handle)
    gc_took = _GC_CPU[0] - gc_before
    took = time.thread_time() - started - gc_took
    if took >= SLOW_CALLBACK_S:
        message = (
            f"{_CURRENT_TEST[0]}: executing {handle!r} took {took:.3f} s of CPU"
            f" (+{gc_took:.3f} s collecting garbage)"
        )
        SLOW_CALLBACKS.append(message)
        logging.getLogger("asyncio").warning(message)


@pytest.fixture(autouse=True)
def slow_callbacks_timed_by_cpu(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Report callbacks that block the event loop, timed without the frozen clock.

    phcc runs the loop in debug mode, whose slow-callback report times each
    callback with ``loop.time()``. Under ``freezer`` that clock only moves
    when a test moves it, so the report misses real blocking and blames the
    test step that ticks the clock ("took 1.000 seconds"). Each callback is
    timed here instead, and asyncio's misleading report is switched off.
    """
    _CURRENT_TEST[0] = request.node.nodeid
    monkeypatch.setattr(asyncio.events.Handle, "_run", _timed_run)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say how many callbacks blocked the loop, and list them."""
    terminalreporter.write_line(
        f"slow callbacks (>= {SLOW_CALLBACK_S * 1000:.0f} ms of CPU): {len(SLOW_CALLBACKS)}"
    )
    for message in SLOW_CALLBACKS:
        terminalreporter.write_line(f"  {message}")


@pytest.fixture(autouse=True)
def auto_enable_custom_integrations(request: pytest.FixtureRequest) -> None:
    """Load Car Bridge from custom_components (the e2e suite runs a real hass instead)."""
    if "e2e" not in request.node.path.parts:
        request.getfixturevalue("enable_custom_integrations")


DEPRECATION = re.compile(r"deprecat|will stop working|should use", re.IGNORECASE)


@pytest.fixture(autouse=True)
def no_deprecation_warnings(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail any test during which Home Assistant warns that Car Bridge uses something deprecated."""
    yield
    found = [
        message
        for record in caplog.get_records("call") + caplog.get_records("setup")
        if record.levelno >= logging.WARNING
        and re.search(r"car_bridge|CarBridge", message := record.getMessage())
        and DEPRECATION.search(message)
    ]
    assert not found, found


@pytest.fixture
def snapshot(snapshot: SnapshotAssertion) -> SnapshotAssertion:
    """Snapshots with Home Assistant's serializer (registry ids and times as ANY), as core's.

    phcc's own override sits beside syrupy's fixture as a plugin and loses to it.
    """
    return snapshot.use_extension(HomeAssistantSnapshotExtension)


@pytest.fixture
def hass_config_dir(hass_tmp_config_dir: str) -> str:
    """Give each test its own config directory (blueprints are written there)."""
    return hass_tmp_config_dir


@pytest.fixture
async def home_zone(hass: HomeAssistant) -> None:
    """Put home at a fixed place with a 100 m zone."""
    await hass.config.async_update(latitude=HOME_LAT, longitude=HOME_LON, radius=HOME_RADIUS)
    assert await async_setup_component(hass, "zone", {})
    await hass.async_block_till_done()


async def send_destination(hass: HomeAssistant, **data: Any) -> None:
    """Send the test vehicle somewhere through the public action."""
    await hass.services.async_call(
        DOMAIN, "send_destination", {"entity_id": "device_tracker.su7", **data}, blocking=True
    )


def vehicle_device_id(hass: HomeAssistant, entry: MockConfigEntry) -> str:
    """Return the device id of the test vehicle."""
    device = dr.async_get(hass).async_get_device_by_identifier(
        (DOMAIN, entry.unique_id or entry.entry_id), entry.entry_id
    )
    assert device is not None
    return device.id


@pytest.fixture
def start_distance() -> float:
    """Distance from home the car starts at (km)."""
    return 8.0


@pytest.fixture
def entry_options() -> dict[str, Any]:
    """Options of the test vehicle."""
    return {}


@pytest.fixture
def mock_config_entry(start_distance: float, entry_options: dict[str, Any]) -> MockConfigEntry:
    """A simulated SU7."""
    return MockConfigEntry(
        domain=DOMAIN,
        title="SU7",
        unique_id=VEHICLE_ID,
        version=2,
        data={
            CONF_SOURCE: SOURCE_SIMULATOR,
            CONF_NAME: "SU7",
            CONF_ZONE: "zone.home",
            CONF_START_DISTANCE: start_distance,
        },
        options={**SIMULATOR_OPTIONS, **entry_options},
    )


def webhook_vehicle_entry(title: str, webhook_id: str, unique_id: str) -> MockConfigEntry:
    """A vehicle that posts to a webhook, with the default options."""
    return MockConfigEntry(
        domain=DOMAIN,
        title=title,
        unique_id=unique_id,
        version=2,
        data={
            CONF_SOURCE: SOURCE_WEBHOOK,
            CONF_NAME: title,
            CONF_ZONE: "zone.home",
            CONF_WEBHOOK_ID: webhook_id,
            CONF_LOCAL_ONLY: False,
        },
        options={**WEBHOOK_DEFAULT_OPTIONS, **COMMON_DEFAULT_OPTIONS},
    )


@pytest.fixture
async def init_integration(
    hass: HomeAssistant, home_zone: None, mock_config_entry: MockConfigEntry
) -> MockConfigEntry:
    """Set up the test vehicle."""
    mock_config_entry.add_to_hass(hass)
    assert await hass.config_entries.async_setup(mock_config_entry.entry_id)
    await hass.async_block_till_done()
    return mock_config_entry


@pytest.fixture
def tick(hass: HomeAssistant, freezer: FrozenDateTimeFactory) -> Callable[..., Any]:
    """Advance Home Assistant's clock one tick (one second) at a time."""

    async def _tick(
        seconds: int = 1, until: Callable[[], bool] | None = None, *, settle: bool = True
    ) -> int:
        """Tick; ``settle=False`` only lets due callbacks run, for automations
        that sit in a ``delay`` (which ``async_block_till_done`` would wait out).
        """
        for n in range(1, seconds + 1):
            freezer.tick(timedelta(seconds=1))
            async_fire_time_changed(hass)
            if settle:
                await hass.async_block_till_done()
            else:
                for _ in range(10):
                    await asyncio.sleep(0)
            if until is not None and until():
                return n
        return seconds

    return _tick
