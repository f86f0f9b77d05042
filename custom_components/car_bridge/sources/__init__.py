"""Kinds of vehicle source, as plug-ins.

``async_setup_entry`` and the config flow look a kind up here by the entry's
``source``; nothing else knows which kind a vehicle uses. A new kind is one
module that defines a :class:`SourceKind` and one line in :data:`KINDS`.
"""

from __future__ import annotations

from .base import SourceKind
from .mirror_kind import MIRROR
from .simulator import SIMULATOR
from .webhook import WEBHOOK

KINDS: dict[str, SourceKind] = {kind.key: kind for kind in (SIMULATOR, MIRROR, WEBHOOK)}
