"""Attacks on the save file on the disk: files Home Assistant's Store cannot use.

Each must leave the vehicle set up with one warning that tells the truth,
the file kept aside (never overwritten), and a new file the next start trusts.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

import pytest
from pytest_homeassistant_custom_component.common import MockConfigEntry

from custom_components.car_bridge.const import DOMAIN
from homeassistant.core import HomeAssistant

from .conftest import Tally, entity_problems, log_problems

pytestmark = pytest.mark.usefixtures("home_zone")

TRUSTED_WARNING = "could not be fully trusted"

#: Whole files Home Assistant's Store cannot use, as bytes on the disk.
FILES: dict[str, bytes] = {
    "null file": b"null",
    "null data": json.dumps({"version": 2, "minor_version": 1, "key": "k", "data": None}).encode(),
    "list file": b"[1, 2]",
    "list data": json.dumps({"version": 2, "minor_version": 1, "key": "k", "data": [1]}).encode(),
    "string data": json.dumps({"version": 2, "minor_version": 1, "key": "k", "data": "x"}).encode(),
    "number file": b"42",
    "empty file": b"",
    "whitespace": b"  \n",
    "truncated": b'{"version": 2, "minor_version": 1, "key": "k", "data": {"vehicle": {"lat',
    "binary": bytes(range(256)),
    "NaN in JSON": b'{"version": 2, "minor_version": 1, "data": {"battery_start": NaN}}',
    "no version": json.dumps({"data": {}}).encode(),
    "no data": json.dumps({"version": 2}).encode(),
    "version string": json.dumps({"version": "2", "data": {}}).encode(),
    "version null": json.dumps({"version": None, "data": {}}).encode(),
    "version float": json.dumps({"version": 2.5, "data": {}}).encode(),
    "future version": json.dumps({"version": 3, "minor_version": 1, "data": {}}).encode(),
    "future minor": json.dumps({"version": 2, "minor_version": 9, "data": {"new": 1}}).encode(),
    "version 1": json.dumps(
        {"version": 1, "minor_version": 1, "data": {"home": [52.3676, 4.9041, 100.0]}}
    ).encode(),
    "version 1 bad home": json.dumps(
        {"version": 1, "minor_version": 1, "data": {"home": ["x", None]}}
    ).encode(),
    "version 0": json.dumps({"version": 0, "data": {}}).encode(),
    "version -1": json.dumps({"version": -1, "data": {}}).encode(),
    "utf-16": json.dumps({"version": 2, "data": {}}).encode("utf-16"),
    "BOM": b"\xef\xbb\xbf" + json.dumps({"version": 2, "data": {}}).encode(),
    "deep": b"[" * 100_000 + b"]" * 100_000,
    "huge int": b'{"version": 2, "data": {"battery_start": ' + b"9" * 5000 + b"}}",
}


@pytest.fixture
def hass_storage() -> dict[str, Any]:
    """Real files, not phcc's in-memory mock: HA's own handling of bad files takes part."""
    return {}


async def test_files_home_assistant_cannot_use(
    hass: HomeAssistant,
    mock_config_entry: MockConfigEntry,
    caplog: pytest.LogCaptureFixture,
    tally: Tally,
) -> None:
    entry = mock_config_entry
    entry.add_to_hass(hass)
    path = Path(hass.config.path(".storage", f"{DOMAIN}.{entry.entry_id}"))
    path.parent.mkdir(parents=True, exist_ok=True)
    for name, content in FILES.items():
        for old in path.parent.glob(f"{path.name}*"):
            old.unlink()
        path.write_bytes(content)
        caplog.clear()
        problems: list[str] = []
        if not await hass.config_entries.async_setup(entry.entry_id):
            problems.append(f"setup failed: {entry.state}")
        await hass.async_block_till_done()
        problems += entity_problems(hass, entry)
        problems += log_problems(
            r
            for r in caplog.records
            # HA itself logs a file that is not JSON at ERROR and keeps it as .corrupt.
            if r.name not in ("homeassistant.util.json", "homeassistant.helpers.storage")
        )
        warnings = [
            r.getMessage()
            for r in caplog.records
            if r.name.startswith("custom_components.car_bridge") and r.levelno >= logging.WARNING
        ]
        kept = [p.name for p in path.parent.glob(f"{path.name}.*")]
        # Usable as a whole (or with one part discarded, which the part tests check).
        usable = name in (
            "future minor",
            "version 1",
            "version 1 bad home",
            "version 0",
            "version -1",
        )
        if not usable:
            if len(warnings) != 1:
                problems.append(f"{len(warnings)} warnings: {warnings}")
            if not kept and content.strip() not in (b"", b"null"):
                problems.append("the file was not kept aside")
            for w in warnings:
                if "kept as" in w and not any(k in w for k in kept):
                    problems.append(f"the warning names a file that is not there: {w} {kept}")
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        # The next start trusts what was written.
        caplog.clear()
        assert await hass.config_entries.async_setup(entry.entry_id)
        await hass.async_block_till_done()
        problems += [r.getMessage() for r in caplog.records if TRUSTED_WARNING in r.getMessage()]
        await hass.config_entries.async_unload(entry.entry_id)
        await hass.async_block_till_done()
        tally.check(f"file {name}", problems)
    tally.assert_held()
