"""Bundled blueprints reach users who did not edit them, and never undo the user's choices."""

from __future__ import annotations

from pathlib import Path
import shutil
from typing import Any

import pytest

from custom_components.car_bridge import blueprint
from custom_components.car_bridge.blueprint import BUNDLED, async_install_blueprints
from custom_components.car_bridge.const import DOMAIN
from homeassistant.core import HomeAssistant

NAMES = sorted(p.name for p in BUNDLED.glob("*.yaml"))


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the bundled blueprints that a test can change, as a new release would."""
    copy = tmp_path / "bundled"
    shutil.copytree(BUNDLED, copy)
    monkeypatch.setattr(blueprint, "BUNDLED", copy)
    return copy


def _target(hass: HomeAssistant) -> Path:
    return Path(hass.config.path("blueprints", "automation", DOMAIN))


def _release(bundled: Path, name: str) -> str:
    """Change a bundled blueprint as a fix in a new release would."""
    text = (bundled / name).read_text() + "# fixed in a new release\n"
    (bundled / name).write_text(text)
    return text


async def test_first_start_installs_all(hass: HomeAssistant, bundled: Path) -> None:
    await async_install_blueprints(hass)
    target = _target(hass)
    assert sorted(p.name for p in target.iterdir()) == NAMES
    for name in NAMES:
        assert (target / name).read_bytes() == (bundled / name).read_bytes()


async def test_unedited_copy_is_updated(hass: HomeAssistant, bundled: Path) -> None:
    await async_install_blueprints(hass)
    fixed = _release(bundled, "left_home.yaml")
    await async_install_blueprints(hass)
    assert (_target(hass) / "left_home.yaml").read_text() == fixed
    # and again on the release after that
    fixed = _release(bundled, "left_home.yaml")
    await async_install_blueprints(hass)
    assert (_target(hass) / "left_home.yaml").read_text() == fixed


async def test_edited_copy_is_never_overwritten(hass: HomeAssistant, bundled: Path) -> None:
    await async_install_blueprints(hass)
    edited = _target(hass) / "arrived_home.yaml"
    edited.write_text(edited.read_text() + "# my own edit\n")
    mine = edited.read_text()
    _release(bundled, "arrived_home.yaml")
    await async_install_blueprints(hass)
    await async_install_blueprints(hass)
    assert edited.read_text() == mine


async def test_deleted_copy_stays_deleted(hass: HomeAssistant, bundled: Path) -> None:
    await async_install_blueprints(hass)
    (_target(hass) / "plug_in_reminder.yaml").unlink()
    await async_install_blueprints(hass)
    _release(bundled, "plug_in_reminder.yaml")
    await async_install_blueprints(hass)
    assert not (_target(hass) / "plug_in_reminder.yaml").exists()
    assert len(list(_target(hass).iterdir())) == len(NAMES) - 1


async def test_users_own_file_of_the_same_name_is_kept(hass: HomeAssistant, bundled: Path) -> None:
    target = _target(hass)
    target.mkdir(parents=True)
    (target / "time_to_home.yaml").write_text("# mine\n")
    await async_install_blueprints(hass)
    _release(bundled, "time_to_home.yaml")
    await async_install_blueprints(hass)
    assert (target / "time_to_home.yaml").read_text() == "# mine\n"


async def test_new_bundled_blueprint_is_installed_later(hass: HomeAssistant, bundled: Path) -> None:
    await async_install_blueprints(hass)
    shutil.copyfile(bundled / "left_home.yaml", bundled / "new_one.yaml")
    await async_install_blueprints(hass)
    assert (_target(hass) / "new_one.yaml").exists()


@pytest.mark.parametrize(
    "record",
    [
        {"version": 1, "data": [1]},
        {"version": 1, "data": {"written": "x"}},
        {"version": 1, "data": {"written": {"left_home.yaml": 3}}},
        {"version": "1", "data": {}},
        {"version": 9, "data": {}},
    ],
)
async def test_damaged_record_is_ignored(
    hass: HomeAssistant, bundled: Path, hass_storage: dict[str, Any], record: dict[str, Any]
) -> None:
    hass_storage[f"{DOMAIN}.blueprints"] = {"key": "k", **record}
    await async_install_blueprints(hass)
    assert sorted(p.name for p in _target(hass).iterdir()) == NAMES
