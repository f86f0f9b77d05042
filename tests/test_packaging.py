"""Packaging checks: HACS, hassfest's manifest rules, icons, actions and translations."""

from __future__ import annotations

import json
from pathlib import Path
import re
import struct
import sys
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry
import yaml

from custom_components.car_bridge.const import DOMAIN
from homeassistant.core import HomeAssistant

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "custom_components" / DOMAIN
HACS_KEYS = {
    "name",
    "content_in_root",
    "zip_release",
    "filename",
    "hide_default_branch",
    "country",
    "homeassistant",
    "persistent_directory",
    "hacs",
}


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        if isinstance(value, dict):
            out.update(flatten(value, f"{prefix}{key}."))
        else:
            out[f"{prefix}{key}"] = value
    return out


def test_hacs_json() -> None:
    hacs = load(ROOT / "hacs.json")
    assert set(hacs) <= HACS_KEYS
    assert hacs["name"] == "Car Bridge"
    requirements = (ROOT / "requirements_test.txt").read_text()
    tested = re.search(r"homeassistant==([\d.]+)", requirements)
    pinned = "2026.10.4" if tested is None else tested.group(1)
    assert hacs["homeassistant"] == pinned


def test_manifest_keys_in_hassfest_order() -> None:
    manifest = load(COMPONENT / "manifest.json")
    keys = list(manifest)
    assert keys[:2] == ["domain", "name"]
    assert keys[2:] == sorted(keys[2:])
    for key in (
        "codeowners",
        "config_flow",
        "documentation",
        "integration_type",
        "iot_class",
        "issue_tracker",
        "requirements",
        "version",
    ):
        assert key in manifest, key
    assert manifest["domain"] == COMPONENT.name == DOMAIN
    assert manifest["name"] == "Car Bridge"
    assert manifest["iot_class"] == "local_push"
    assert manifest["config_flow"] is True
    assert re.fullmatch(r"\d+\.\d+\.\d+", manifest["version"])


@pytest.mark.parametrize(("name", "size"), [("icon.png", 256), ("icon@2x.png", 512)])
def test_brand_icons(name: str, size: int) -> None:
    data = (COMPONENT / "brand" / name).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    assert (width, height) == (size, size)


async def test_services_yaml_matches_registered_actions(
    hass: HomeAssistant, init_integration: MockConfigEntry
) -> None:
    services_yaml = yaml.safe_load((COMPONENT / "services.yaml").read_text())
    registered = hass.services.async_services_for_domain(DOMAIN)
    assert set(services_yaml) == set(registered)
    strings = load(COMPONENT / "strings.json")["services"]
    assert set(strings) == set(services_yaml)
    for action, spec in services_yaml.items():
        assert set(strings[action]["fields"]) == set(spec["fields"])
        schema = registered[action].schema
        assert schema is not None
        schema_fields = {str(key) for key in schema.schema}
        assert set(spec["fields"]) <= schema_fields
    icons = load(COMPONENT / "icons.json")
    assert set(icons["services"]) == set(services_yaml)


def test_english_translation_is_resolved_strings() -> None:
    sys.path.insert(0, str(ROOT / "script"))
    try:
        from translations import resolve  # noqa: PLC0415 - script module, found at run time
    finally:
        sys.path.pop(0)
    strings = load(COMPONENT / "strings.json")
    assert load(COMPONENT / "translations" / "en.json") == resolve(strings)


@pytest.mark.parametrize("language", ["en", "zh-Hans"])
def test_translation_has_every_key(language: str) -> None:
    strings = flatten(load(COMPONENT / "strings.json"))
    translation = flatten(load(COMPONENT / "translations" / f"{language}.json"))
    assert set(translation) == set(strings)
    for key, text in translation.items():
        assert text.strip(), key
        assert "[%key" not in text, key
        assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", strings[key])), key


def test_code_uses_only_translated_keys() -> None:
    strings = load(COMPONENT / "strings.json")
    actions = "\n".join((COMPONENT / n).read_text() for n in ("services.py", "coordinator.py"))
    used = set(re.findall(r'_error\("(\w+)"', actions)) | set(
        re.findall(r'translation_key="(\w+)"', actions)
    )
    used.remove("home_zone_missing")  # the repair issue
    assert "home_zone_missing" in strings["issues"]
    model = (COMPONENT / "vehicle" / "model.py").read_text()
    used |= set(re.findall(r'key = "(\w+)"', model))
    assert used <= set(strings["exceptions"])
    for platform in ("sensor", "binary_sensor", "climate", "switch", "number", "lock"):
        code = (COMPONENT / f"{platform}.py").read_text()
        for key in re.findall(r'translation_key="(\w+)"', code):
            assert key in strings["entity"][platform], (platform, key)


#: Every rule of Home Assistant's Integration Quality Scale, by tier, as hassfest
#: knows them (script/hassfest/quality_scale.py, ALL_RULES, Home Assistant 2026.10).
HASSFEST_RULES = {
    "bronze": [
        "action-setup", "appropriate-polling", "brands", "common-modules", "config-flow",
        "config-flow-test-coverage", "dependency-transparency", "docs-actions", "docs-conditions",
        "docs-high-level-description", "docs-installation-instructions",
        "docs-removal-instructions", "docs-triggers", "entity-event-setup", "entity-unique-id",
        "has-entity-name", "runtime-data", "test-before-configure", "test-before-setup",
        "unique-config-entry",
    ],
    "silver": [
        "action-exceptions", "config-entry-unloading", "docs-configuration-parameters",
        "docs-installation-parameters", "entity-unavailable", "integration-owner",
        "log-when-unavailable", "parallel-updates", "reauthentication-flow", "test-coverage",
    ],
    "gold": [
        "devices", "diagnostics", "discovery", "discovery-update-info", "docs-data-update",
        "docs-examples", "docs-known-limitations", "docs-supported-devices",
        "docs-supported-functions", "docs-troubleshooting", "docs-use-cases", "dynamic-devices",
        "entity-category", "entity-device-class", "entity-disabled-by-default",
        "entity-translations", "exception-translations", "icon-translations",
        "reconfiguration-flow", "repair-issues", "stale-devices",
    ],
    "platinum": ["async-dependency", "inject-websession", "strict-typing"],
}  # fmt: skip


def test_quality_scale_is_complete_and_honest() -> None:
    """The file names exactly hassfest's rules; all done, or exempt with a reason."""
    rules = yaml.safe_load((COMPONENT / "quality_scale.yaml").read_text())["rules"]
    expected = {rule for tier in HASSFEST_RULES.values() for rule in tier}
    assert set(rules) == expected, (set(rules) - expected, expected - set(rules))
    manifest = json.loads((COMPONENT / "manifest.json").read_text())
    assert manifest["quality_scale"] == "platinum"
    for name, rule in rules.items():
        status = rule if isinstance(rule, str) else rule["status"]
        assert status in {"done", "exempt"}, name
        if status == "exempt":
            assert isinstance(rule, dict), name
            assert rule.get("comment", "").strip(), name


def test_readme_documents_triggers_and_conditions() -> None:
    """docs-triggers: every device trigger type is described in the README."""
    readme = (ROOT / "README.md").read_text()
    assert "## Device triggers" in readme
    for trigger in ("approaching", "leaving", "arrived_home", "left_home", "time_to_home_below"):
        assert f"`{trigger}`" in readme, trigger
