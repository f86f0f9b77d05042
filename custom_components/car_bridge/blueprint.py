"""Install the bundled automation blueprints into the user's config."""

from __future__ import annotations

from pathlib import Path
import shutil

from homeassistant.core import HomeAssistant

from .const import DOMAIN, LOGGER

BUNDLED = Path(__file__).parent / "blueprints" / "automation" / DOMAIN


def _install(target: Path) -> list[str]:
    target.mkdir(parents=True, exist_ok=True)
    installed = []
    for source in sorted(BUNDLED.glob("*.yaml")):
        destination = target / source.name
        if destination.exists():
            continue  # never overwrite the user's (possibly edited) copy
        shutil.copyfile(source, destination)
        installed.append(source.name)
    return installed


async def async_install_blueprints(hass: HomeAssistant) -> None:
    """Copy missing bundled blueprints to ``<config>/blueprints/automation/car_bridge``."""
    target = Path(hass.config.path("blueprints", "automation", DOMAIN))
    try:
        installed = await hass.async_add_executor_job(_install, target)
    except OSError as err:
        LOGGER.warning("Could not install the Car Bridge blueprints into %s: %s", target, err)
        return
    if installed:
        LOGGER.info("Installed blueprints: %s", ", ".join(installed))
