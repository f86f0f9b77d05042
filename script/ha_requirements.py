"""Print the runtime requirements of the integrations a `hass` configuration loads.

Run with the Python of the venv whose Home Assistant is meant: the pins come from
that version's own manifests, so a new Home Assistant pin brings its own
requirements and nothing here rots. Home Assistant installs these at first
start; installing them up front lets the end-to-end tests run `hass --skip-pip`
and lets `script/develop` start without runtime installs.

Usage: python script/ha_requirements.py CONFIGURATION_YAML [EXTRA_DOMAIN ...]
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
from typing import Any

from homeassistant import bootstrap
import homeassistant.components

COMPONENTS = Path(homeassistant.components.__path__[0])
#: Top-level keys of configuration.yaml that are not integrations.
NOT_DOMAINS = {"homeassistant", "default_config"}


def configured_domains(configuration: Path) -> set[str]:
    """Return the integrations named at the top level of a configuration.yaml."""
    domains = set()
    for line in configuration.read_text().splitlines():
        if match := re.match(r"^([a-z0-9_]+):", line):
            domains.add(match.group(1))
    if "default_config" in domains:
        sys.exit("default_config is not supported here: list the integrations instead")
    return domains - NOT_DOMAINS


def closure(domains: set[str]) -> dict[str, dict[str, Any]]:
    """Return the manifests of ``domains`` and everything they depend on."""
    manifests: dict[str, dict[str, Any]] = {}
    todo = sorted(domains)
    while todo:
        domain = todo.pop()
        if domain in manifests or not (COMPONENTS / domain / "manifest.json").exists():
            continue  # custom integrations have their own requirements (Car Bridge has none)
        manifest = json.loads((COMPONENTS / domain / "manifest.json").read_text())
        manifests[domain] = manifest
        todo.extend(str(dep) for dep in manifest.get("dependencies", []))
    return manifests


def main() -> None:
    """Print one requirement per line, sorted."""
    domains = configured_domains(Path(sys.argv[1])) | set(sys.argv[2:])
    # What Home Assistant sets up on every start, whatever the configuration says.
    domains |= set(bootstrap.DEFAULT_INTEGRATIONS) | set(bootstrap.CORE_INTEGRATIONS)
    requirements = {
        str(req)
        for manifest in closure(domains).values()
        for req in manifest.get("requirements", [])
    }
    print("\n".join(sorted(requirements, key=str.lower)))


if __name__ == "__main__":
    main()
