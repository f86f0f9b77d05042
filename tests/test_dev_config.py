"""The development config: a dashboard that fits the entities; what the UI writes is ignored."""

from __future__ import annotations

from pathlib import Path
import shutil
import subprocess
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from homeassistant.core import HomeAssistant
from homeassistant.util.yaml import load_yaml, load_yaml_dict

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "config"


class _ConfigLoader(yaml.SafeLoader):
    """Reads configuration.yaml without following its !include tags."""


_ConfigLoader.add_constructor("!include", lambda loader, node: loader.construct_scalar(node))


def cards(node: Any) -> list[dict[str, Any]]:
    """Every card of a dashboard, however deeply nested."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if "type" in node and ("entity" in node or "entities" in node):
            found.append(node)
        for value in node.values():
            found += cards(value)
    elif isinstance(node, list):
        for item in node:
            found += cards(item)
    return found


def entity_ids(card: dict[str, Any]) -> list[str]:
    ids = [card["entity"]] if "entity" in card else []
    ids += [e if isinstance(e, str) else e["entity"] for e in card.get("entities", [])]
    return ids


async def test_dashboard_shows_the_car(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    configuration = yaml.load((CONFIG / "configuration.yaml").read_text(), _ConfigLoader)  # noqa: S506 - a SafeLoader
    dashboard = configuration["lovelace"]["dashboards"]["car-bridge"]
    assert dashboard["mode"] == "yaml"
    layout = load_yaml(CONFIG / dashboard["filename"])
    all_cards = cards(layout)
    maps = [c for c in all_cards if c["type"] == "map"]
    assert maps
    tracker = next(e for e in maps[0]["entities"] if isinstance(e, dict))
    assert tracker == {"entity": "device_tracker.su7", "label_mode": "icon"}
    shown = {entity_id for card in all_cards for entity_id in entity_ids(card)}
    assert {
        "sensor.su7_distance_to_home",
        "sensor.su7_direction_of_travel",
        "sensor.su7_time_to_home",
        "sensor.su7_battery",
    } <= shown
    # every Car Bridge entity it shows exists under that id
    scripts = load_yaml_dict(CONFIG / "defaults" / "scripts.yaml")
    for entity_id in shown:
        domain, object_id = entity_id.split(".")
        if domain == "script":
            assert object_id in scripts, entity_id
        elif domain != "zone":
            assert hass.states.get(entity_id) is not None, entity_id


@pytest.mark.skipif(
    shutil.which("git") is None or not (ROOT / ".git").exists(), reason="not a git checkout"
)
@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        ("config/automations.yaml", True),
        ("config/scripts.yaml", True),
        ("config/scenes.yaml", True),
        ("config/.storage/core.config", True),
        ("tests/e2e/artifacts/device_page.png", True),
        ("config/configuration.yaml", False),
        ("config/defaults/scripts.yaml", False),
        ("config/dashboards/car_bridge.yaml", False),
    ],
)
def test_files_the_ui_and_tests_write_are_ignored(path: str, ignored: bool) -> None:
    result = subprocess.run(
        ["git", "check-ignore", "--no-index", "-q", path], cwd=ROOT, check=False
    )
    assert (result.returncode == 0) is ignored


def test_defaults_cover_what_the_ui_writes() -> None:
    assert sorted(p.name for p in (CONFIG / "defaults").glob("*.yaml")) == [
        "automations.yaml",
        "scenes.yaml",
        "scripts.yaml",
    ]
    develop = (ROOT / "script" / "develop").read_text()
    assert "config/defaults/" in develop


def test_only_script_screenshots_writes_docs() -> None:
    for module in (ROOT / "tests" / "e2e").glob("*.py"):
        text = module.read_text()
        writes_docs = '"docs"' in text or "DOCS" in text
        # screenshots.py runs only when script/screenshots names it
        assert writes_docs is (module.name == "screenshots.py"), module.name
    assert "tests/e2e/screenshots.py" in (ROOT / "script" / "screenshots").read_text()
