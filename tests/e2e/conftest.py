"""Start a real Home Assistant (`hass`) with Car Bridge and onboard it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
import json
import os
from pathlib import Path
import shutil
import signal
import socket
import subprocess
import sys
import time
from typing import Any
import urllib.error
import urllib.parse
import urllib.request

import aiohttp
import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Where the suite writes screenshots and logs (git-ignored). Only
#: script/screenshots writes the README's pictures in docs/.
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"
START_TIMEOUT_S = 240
CLIENT_ID = "http://127.0.0.1/"

#: The demo home of script/develop (config/configuration.yaml), on a free port.
DEV_CONFIGURATION = ROOT / "config" / "configuration.yaml"
HTTP = """
http:
  server_host: 127.0.0.1
  server_port: {port}
"""


#: Onboarding storage with the location step done (Home Assistant's format, version 4).
ONBOARDING_DONE_LOCATION = {
    "version": 4,
    "minor_version": 1,
    "key": "onboarding",
    "data": {"done": ["core_config"]},
}


def configuration(port: int, extra: str = "") -> str:
    """Return the demo home's configuration served on ``port``, plus ``extra``."""
    return DEV_CONFIGURATION.read_text() + HTTP.format(port=port) + extra


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def request(
    url: str,
    data: dict[str, Any] | None = None,
    *,
    token: str | None = None,
    form: bool = False,
    method: str | None = None,
) -> Any:
    headers = {}
    body = None
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if data is not None:
        if form:
            body = urllib.parse.urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        else:
            body = json.dumps(data).encode()
            headers["Content-Type"] = "application/json"
    req = urllib.request.Request(url, data=body, headers=headers, method=method)
    with urllib.request.urlopen(req, timeout=30) as resp:
        text = resp.read().decode()
    try:
        return json.loads(text) if text else None
    except json.JSONDecodeError:
        return text  # the template API answers with plain text


@dataclass
class Hass:
    """A running Home Assistant."""

    url: str
    ws_url: str
    config_dir: Path
    token: str
    username: str
    password: str
    process: subprocess.Popen[bytes]

    def api(self, path: str, data: dict[str, Any] | None = None) -> Any:
        return request(f"{self.url}{path}", data, token=self.token)

    def state(self, entity_id: str) -> dict[str, Any] | None:
        try:
            result: dict[str, Any] = self.api(f"/api/states/{entity_id}")
        except urllib.error.HTTPError as err:
            if err.code == 404:
                return None
            raise
        return result

    def log(self) -> str:
        path = self.config_dir / "home-assistant.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _wait_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"hass exited with {process.returncode}")
        try:
            request(f"{url}/api/onboarding")
        except urllib.error.URLError, ConnectionError, TimeoutError:
            time.sleep(1)
            continue
        return
    raise TimeoutError("Home Assistant did not come up")


def _onboard(url: str) -> tuple[str, str, str]:
    username, password = "owner", "car-bridge-e2e"
    result = request(
        f"{url}/api/onboarding/users",
        {
            "client_id": CLIENT_ID,
            "name": "Owner",
            "username": username,
            "password": password,
            "language": "en",
        },
    )
    tokens = request(
        f"{url}/auth/token",
        {"grant_type": "authorization_code", "code": result["auth_code"], "client_id": CLIENT_ID},
        form=True,
    )
    token = tokens["access_token"]
    for step, data in (
        ("analytics", {}),
        ("integration", {"client_id": CLIENT_ID, "redirect_uri": f"{CLIENT_ID}?auth_callback=1"}),
    ):
        try:
            request(f"{url}/api/onboarding/{step}", data, token=token)
        except urllib.error.HTTPError as err:
            if err.code != 403:  # already done
                raise
    return token, username, password


@contextmanager
def running_hass(config_dir: Path, extra: str = "", artifacts: str = "") -> Iterator[Hass]:
    """Run a real hass with the demo home, Car Bridge and ``extra`` configuration, onboarded.

    Its logs are copied to tests/e2e/artifacts, prefixed with ``artifacts``.
    """
    port = free_port()
    (config_dir / "configuration.yaml").write_text(configuration(port, extra))
    # What script/develop puts in place: the UI's files from defaults, the dashboard.
    for default in (ROOT / "config" / "defaults").glob("*.yaml"):
        shutil.copyfile(default, config_dir / default.name)
    shutil.copytree(ROOT / "config" / "dashboards", config_dir / "dashboards")
    # As script/develop does: the location step is done by configuration.yaml.
    (config_dir / ".storage").mkdir()
    (config_dir / ".storage" / "onboarding").write_text(json.dumps(ONBOARDING_DONE_LOCATION))
    (config_dir / "custom_components").mkdir()
    (config_dir / "custom_components" / "car_bridge").symlink_to(
        ROOT / "custom_components" / "car_bridge"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    log = (config_dir / "stdout.log").open("wb")
    process = subprocess.Popen(
        [sys.executable, "-m", "homeassistant", "--config", str(config_dir), "--skip-pip"],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_up(url, process)
        token, username, password = _onboard(url)
        yield Hass(
            url=url,
            ws_url=f"ws://127.0.0.1:{port}/api/websocket",
            config_dir=config_dir,
            token=token,
            username=username,
            password=password,
            process=process,
        )
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
        log.close()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        for name in ("home-assistant.log", "stdout.log"):
            if (config_dir / name).exists():
                shutil.copyfile(config_dir / name, ARTIFACTS / f"{artifacts}{name}")


@pytest.fixture(scope="session")
def hass_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Hass]:
    """A real hass with the demo home of script/develop and Car Bridge, onboarded."""
    with running_hass(tmp_path_factory.mktemp("hass_config")) as hass:
        yield hass


@pytest.fixture(scope="session")
def chromium() -> str:
    """Debian's Chromium (installed by script/setup); never a downloaded browser."""
    path = shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is missing: run script/setup (it installs Debian's chromium)")
    return path


# -- helpers shared by the end-to-end tests ---------------------------------


def wait_for(
    hass: Hass, entity_id: str, ok: str | Callable[[dict[str, Any]], bool], timeout: float
) -> dict[str, Any]:
    """Poll until the entity is in state ``ok`` (or ``ok(state)`` holds); return its state."""
    check = ok if callable(ok) else (lambda state: state["state"] == ok)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        current = hass.state(entity_id)
        if current is not None and check(current):
            return current
        time.sleep(0.3)
    raise AssertionError(f"{entity_id} did not get there: {hass.state(entity_id)}")


def wait_for_entry_loaded(hass: Hass, entry_id: str, timeout: float) -> None:
    """Poll until the config entry is loaded (after setup, an options change or a reload)."""
    deadline = time.monotonic() + timeout
    state = None
    while time.monotonic() < deadline:
        entries = hass.api("/api/config/config_entries/entry?domain=car_bridge")
        state = next((e["state"] for e in entries if e["entry_id"] == entry_id), None)
        if state == "loaded":
            return
        time.sleep(0.3)
    raise AssertionError(f"entry {entry_id} is {state}, not loaded")


def add_approach_automation(
    hass: Hass, object_id: str, alias: str, device_id: str, light: str
) -> None:
    """Create an automation from the bundled approaching_home blueprint (5 km: light on)."""
    result = hass.api(
        f"/api/config/automation/config/{object_id}",
        {
            "alias": alias,
            "use_blueprint": {
                "path": "car_bridge/approaching_home.yaml",
                "input": {
                    "vehicle": device_id,
                    "distance": 5,
                    "actions": [{"action": "light.turn_on", "target": {"entity_id": light}}],
                },
            },
        },
    )
    assert result == {"result": "ok"}


async def watch(
    hass: Hass,
    light: str,
    seen: list[dict[str, Any]],
    ready: asyncio.Event,
    *,
    car_bridge_events: bool = False,
) -> None:
    """Record the light's off -> on transitions (kind "light"), and Car Bridge's events if asked."""
    async with aiohttp.ClientSession() as session, session.ws_connect(hass.ws_url) as ws:
        assert (await ws.receive_json())["type"] == "auth_required"
        await ws.send_json({"type": "auth", "access_token": hass.token})
        assert (await ws.receive_json())["type"] == "auth_ok"
        trigger = {"trigger": "state", "entity_id": light, "from": "off", "to": "on"}
        await ws.send_json({"id": 1, "type": "subscribe_trigger", "trigger": trigger})
        assert (await ws.receive_json())["success"]
        if car_bridge_events:  # message ids must increase
            await ws.send_json(
                {"id": 2, "type": "subscribe_events", "event_type": "car_bridge_event"}
            )
            assert (await ws.receive_json())["success"]
        ready.set()
        async for message in ws:
            data = message.json()
            if data.get("type") == "event":
                kind = "light" if data["id"] == 1 else data["event"]["data"]["type"]
                seen.append({"kind": kind, **data["event"]})
