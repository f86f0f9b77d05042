"""Install and update the bundled automation blueprints in the user's config.

The user owns ``<config>/blueprints/automation/car_bridge``: they may edit or
delete what we put there. A small Store remembers the hash of what we last
wrote for each file, so that on every start

- a blueprint we never installed is installed, unless a file of that name is
  already there (it is the user's);
- one we installed and the user left alone is updated when the bundled copy
  changed;
- one the user edited is never overwritten, and one they deleted stays deleted.
"""

from __future__ import annotations

from hashlib import sha256
from pathlib import Path
import shutil
from typing import Any

from homeassistant.core import HomeAssistant
from homeassistant.exceptions import HomeAssistantError
from homeassistant.helpers.storage import Store

from .const import DOMAIN, LOGGER

BUNDLED = Path(__file__).parent / "blueprints" / "automation" / DOMAIN
STORE_KEY = f"{DOMAIN}.blueprints"
STORE_VERSION = 1


def _hash(path: Path) -> str:
    return sha256(path.read_bytes()).hexdigest()


def _sync(bundled: Path, target: Path, written: dict[str, str]) -> dict[str, list[str]]:
    """Bring ``target`` up to date; update ``written`` (name → hash we wrote)."""
    target.mkdir(parents=True, exist_ok=True)
    done: dict[str, list[str]] = {"installed": [], "updated": [], "kept": []}
    for source in sorted(bundled.glob("*.yaml")):
        name, new = source.name, _hash(source)
        destination = target / name
        ours = written.get(name)
        if not destination.exists():
            if ours is None:  # never installed: install it
                shutil.copyfile(source, destination)
                written[name] = new
                done["installed"].append(name)
            continue  # else the user deleted it: leave it deleted
        current = _hash(destination)
        if current == new:
            written[name] = new  # up to date (or the user's copy equals ours)
        elif ours is not None and current == ours:
            shutil.copyfile(source, destination)  # unedited: update it
            written[name] = new
            done["updated"].append(name)
        else:
            done["kept"].append(name)  # edited, or the user's own file
    return done


async def async_install_blueprints(hass: HomeAssistant) -> None:
    """Install or update the bundled blueprints as described above."""
    store: Store[dict[str, Any]] = Store(hass, STORE_VERSION, STORE_KEY)
    try:
        saved: Any = await store.async_load()
    except (HomeAssistantError, KeyError, TypeError, ValueError) as err:
        # A damaged record only means files are treated as never installed.
        LOGGER.warning("Ignoring the damaged record of installed blueprints: %s", err)
        saved = None
    written: dict[str, str] = {}
    if isinstance(saved, dict) and isinstance(saved.get("written"), dict):
        written = {k: v for k, v in saved["written"].items() if isinstance(v, str)}
    target = Path(hass.config.path("blueprints", "automation", DOMAIN))
    try:
        done = await hass.async_add_executor_job(_sync, BUNDLED, target, written)
    except OSError as err:
        LOGGER.warning("Could not install the Car Bridge blueprints into %s: %s", target, err)
        return
    await store.async_save({"written": written})
    if done["installed"]:
        LOGGER.info("Installed blueprints: %s", ", ".join(done["installed"]))
    if done["updated"]:
        LOGGER.info("Updated blueprints: %s", ", ".join(done["updated"]))
    if done["kept"]:
        LOGGER.debug("Kept edited blueprints: %s", ", ".join(done["kept"]))
