"""JSON text for reports: indented down to a depth, each deeper value on one line.

``json.dumps(indent=2)`` runs the encoder in pure Python, about ten times slower than the
compact C encoder: for a SARIF log of 15,000 results that is most of a second. Indenting
only the outer levels keeps the file readable (one finding or result per line, which also
suits ``grep``) and leaves the bulk to the C encoder."""

from __future__ import annotations

import json
from typing import Any

#: One encoder for every value (``json.dumps`` builds a new one per call when asked for
#: ``ensure_ascii=False``).
_ENCODE = json.JSONEncoder(ensure_ascii=False).encode


def dumps(value: Any, depth: int) -> str:
    """``value`` as JSON text, containers indented by two spaces for ``depth`` levels."""
    return _dumps(value, depth, 0) + "\n"


def _dumps(value: Any, depth: int, level: int) -> str:
    if level >= depth or not isinstance(value, (dict, list)) or not value:
        return _ENCODE(value)
    inner = "  " * (level + 1)
    if isinstance(value, dict):
        items = [
            f"{inner}{_ENCODE(str(key))}: {_dumps(v, depth, level + 1)}" for key, v in value.items()
        ]
        return "{\n" + ",\n".join(items) + "\n" + "  " * level + "}"
    items = [inner + _dumps(v, depth, level + 1) for v in value]
    return "[\n" + ",\n".join(items) + "\n" + "  " * level + "]"
