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
from custom_components.car_bridge.device_trigger import TRIGGER_TYPES
from homeassistant.core import HomeAssistant

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "custom_components" / DOMAIN
#: hacs.json as HACS's action validates it (hacs/integration,
#: custom_components/hacs/utils/validate.py, HACS_MANIFEST_JSON_SCHEMA, extra=PREVENT_EXTRA):
#: every allowed key with its type; "name" is the only required one.
HACS_JSON_TYPES: dict[str, type] = {
    "name": str,
    "content_in_root": bool,
    "country": object,  # a country code or a list of them
    "filename": str,
    "hacs": str,
    "hide_default_branch": bool,
    "homeassistant": str,
    "persistent_directory": str,
    "render_readme": bool,
    "zip_release": bool,
}
#: The manifest keys HACS requires of an integration (same file,
#: INTEGRATION_MANIFEST_JSON_SCHEMA); it allows any other key.
HACS_MANIFEST_KEYS = {"codeowners", "documentation", "domain", "issue_tracker", "name", "version"}
#: Keys hassfest accepts in a custom integration's manifest (home-assistant/core,
#: script/hassfest/manifest.py, CUSTOM_INTEGRATION_MANIFEST_SCHEMA, 2026.11): unknown keys fail.
HASSFEST_MANIFEST_KEYS = {
    "domain", "name", "integration_type", "config_flow", "mqtt", "zeroconf", "ssdp",
    "bluetooth", "homekit", "dhcp", "usb", "documentation", "quality_scale", "requirements",
    "dependencies", "after_dependencies", "codeowners", "loggers", "disabled", "iot_class",
    "single_config_entry", "preview_features", "version", "issue_tracker", "import_executor",
}  # fmt: skip
#: hassfest's translation-key rule (script/hassfest/translations.py, RE_TRANSLATION_KEY).
TRANSLATION_KEY = re.compile(r"^(?!.+[_-]{2})(?![_-])[a-z0-9-_]+(?<![_-])$")


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
    """hacs.json passes HACS's schema and names the oldest tested Home Assistant."""
    hacs = load(ROOT / "hacs.json")
    assert set(hacs) <= set(HACS_JSON_TYPES), set(hacs) - set(HACS_JSON_TYPES)
    for key, value in hacs.items():
        assert isinstance(value, HACS_JSON_TYPES[key]), key
    assert hacs["name"] == "Car Bridge"
    # hacsjson check: a zip release must name its file
    assert not hacs.get("zip_release") or hacs.get("filename")
    # the integration lives in custom_components/<domain>, not at the root
    assert not hacs.get("content_in_root")
    requirements = (ROOT / "requirements_test.txt").read_text()
    tested = re.search(r"homeassistant==([\d.]+)", requirements)
    pinned = "2026.10.4" if tested is None else tested.group(1)
    assert hacs["homeassistant"] == pinned


def test_hacs_repository_layout() -> None:
    """What HACS's action reads from the repository tree (validate/*.py there)."""
    # HACS installs the first directory under custom_components: there must be one only
    packages = [
        path.name
        for path in (ROOT / "custom_components").iterdir()
        if path.is_dir() and path.name != "__pycache__"
    ]
    assert packages == [DOMAIN]
    # integration_manifest: the keys HACS requires, with real URLs
    manifest = load(COMPONENT / "manifest.json")
    assert set(manifest) >= HACS_MANIFEST_KEYS
    assert isinstance(manifest["codeowners"], list)
    for key in ("documentation", "issue_tracker"):
        assert re.fullmatch(r"https://[\w.-]+/\S*", manifest[key]), key
    # brands: local brand assets at custom_components/<domain>/brand/icon.png
    assert (COMPONENT / "brand" / "icon.png").is_file()
    # information: a README at the root
    assert (ROOT / "README.md").read_text(encoding="utf-8").startswith("# Car Bridge")
    # license: GitHub must detect an OSI-approved licence; ours is MIT
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_manifest_passes_hassfest_custom_schema() -> None:
    """The values hassfest checks for a custom integration."""
    manifest = load(COMPONENT / "manifest.json")
    assert set(manifest) <= HASSFEST_MANIFEST_KEYS, set(manifest) - HASSFEST_MANIFEST_KEYS
    assert manifest["integration_type"] in {
        "device", "entity", "hardware", "helper", "hub", "service", "system",
    }  # fmt: skip
    assert manifest["quality_scale"] in {"bronze", "silver", "gold", "platinum", "custom"}
    assert manifest["codeowners"]  # silver and above need a code owner
    # custom integrations document themselves, not on www.home-assistant.io/integrations
    assert manifest["documentation"].startswith("https://")
    assert not manifest["documentation"].startswith("https://www.home-assistant.io/integrations")
    assert all(isinstance(item, str) for item in manifest["dependencies"])


@pytest.mark.parametrize("name", ["strings.json", "translations/en.json"])
def test_translations_follow_hassfest_value_rules(name: str) -> None:
    """hassfest's translation_value_validator and key rules, on the files it reads."""
    strings = load(COMPONENT / name)
    for where, text in flatten(strings).items():
        assert isinstance(text, str), where
        assert text == text.strip(), where
        assert not re.search(r"<[a-z].*?>", text, re.IGNORECASE), where  # no HTML
        assert not re.search(r"'{\w+}'", text), where  # no single-quoted placeholders
        assert not re.search(r"(.+\[%)|(%\].+)", text), where  # no combined references
    for platform, entities in strings["entity"].items():
        for key, entity in entities.items():
            assert TRANSLATION_KEY.match(key), (platform, key)
            for state in entity.get("state", {}):
                assert TRANSLATION_KEY.match(state), (platform, key, state)
    for action in strings["services"].values():
        for field in action.get("fields", {}):
            assert TRANSLATION_KEY.match(field), field
    # hassfest's exceptions schema: each key holds a "message" (a bare string is never shown)
    for key, exception in strings["exceptions"].items():
        assert TRANSLATION_KEY.match(key), key
        assert isinstance(exception, dict), key
        assert set(exception) == {"message"}, key
    for flow in ("config", "options"):
        # a flow's errors and aborts are plain strings (a {"message"} is never shown there)
        for section in ("error", "abort"):
            for key, text in strings[flow].get(section, {}).items():
                assert isinstance(text, str), (flow, section, key)
        for step in strings[flow]["step"].values():
            # data_description only for fields the step has
            assert set(step.get("data_description", {})) <= set(step.get("data", {}))


def test_icons_follow_hassfest_rules() -> None:
    """script/hassfest/icons.py: Material Design Icons, no state icon equal to the default."""
    icons = load(COMPONENT / "icons.json")
    for where, icon in flatten(icons).items():
        assert icon.startswith("mdi:"), where
    for platform, entities in icons["entity"].items():
        for key, entity in entities.items():
            assert TRANSLATION_KEY.match(key), (platform, key)
            for state, icon in entity.get("state", {}).items():
                assert icon != entity.get("default"), (platform, key, state)


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
    actions = "\n".join(
        (COMPONENT / n).read_text() for n in ("services.py", "coordinator.py", "zone.py")
    )
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
    section = readme.split("## Device triggers", 1)[1].split("\n## ", 1)[0]
    for trigger in TRIGGER_TYPES:  # every type the editor offers, from the code
        assert f"`{trigger}`" in section, trigger
