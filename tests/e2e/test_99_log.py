"""Last in the suite: the real hass's log after everything above ran.

A newcomer's `script/develop` log must be clean, and Home Assistant's
deprecation notices about Car Bridge show up here first (on the newest release
in .venv-next before the test harness's pin sees them).
"""

from __future__ import annotations

import re

from .conftest import Hass

LEVEL = re.compile(r"^\S+ \S+ (ERROR|CRITICAL|WARNING) \((\S+)\) \[([^\]]+)\] (.*)$")
#: Warnings a demo home on this machine prints that are not about Car Bridge.
KNOWN_WARNINGS = (
    # aiohttp's optional zlib accelerators are not installed (performance note).
    "zlib_ng and isal are not available",
    # The demo integration sets up a legacy device tracker platform.
    "legacy device tracker platform demo.device_tracker",
    # The end-to-end suite starts hass with --skip-pip.
    "Skipping pip installation of required modules",
    # HA's own note that a custom integration is loaded.
    "We found a custom integration car_bridge which has not been tested",
)


def problems(log: str) -> list[str]:
    """Return the log's errors, and warnings that are not known to be harmless."""
    found = []
    for line in log.splitlines():
        match = LEVEL.match(line)
        if match is None:
            continue
        level, message = match.group(1), match.group(4)
        if level == "WARNING" and any(known in message for known in KNOWN_WARNINGS):
            continue
        found.append(line[:300])
    return found


def test_log_has_no_errors_and_no_deprecations(hass_server: Hass) -> None:
    """No error at all, and no warning about Car Bridge (deprecations included)."""
    log = hass_server.log()
    assert "Setting up car_bridge" in log or "car_bridge" in log
    assert problems(log) == []
