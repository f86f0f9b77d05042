"""Write translations/en.json from strings.json, resolving [%key:...%] references.

Home Assistant resolves these references only for core integrations, so a
custom integration ships them resolved. Run with the project's venv:
    .venv/bin/python script/translations.py
"""

from __future__ import annotations

import json
from pathlib import Path
import re
import sys
from typing import Any

import homeassistant

ROOT = Path(__file__).resolve().parent.parent
COMPONENT = ROOT / "custom_components" / "car_bridge"
REFERENCE = re.compile(r"\[%key:([a-z0-9_:.\-]+)%\]", re.IGNORECASE)


def lookup(tree: dict[str, Any], path: str) -> str:
    node: Any = tree
    for part in path.split("::"):
        node = node[part]
    assert isinstance(node, str), path
    return node


def resolve(strings: dict[str, Any]) -> dict[str, Any]:
    core = json.loads((Path(homeassistant.__file__).parent / "strings.json").read_text())
    tree = {**core, "component": {"car_bridge": strings}}

    def walk(node: Any) -> Any:
        if isinstance(node, dict):
            return {key: walk(value) for key, value in node.items()}
        if isinstance(node, str):
            return REFERENCE.sub(lambda m: walk(lookup(tree, m.group(1))), node)
        return node

    resolved: dict[str, Any] = walk(strings)
    return resolved


def main() -> int:
    strings = json.loads((COMPONENT / "strings.json").read_text())
    text = json.dumps(resolve(strings), indent=2, ensure_ascii=False) + "\n"
    (COMPONENT / "translations" / "en.json").write_text(text)
    print("wrote translations/en.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
