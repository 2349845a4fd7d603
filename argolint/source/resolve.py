"""YAML 1.1 scalar resolution as Kubernetes applies it (go-yaml v2 via sigs.k8s.io/yaml).

ruamel.yaml resolves plain scalars by YAML 1.2, where ``yes`` is a string and ``0755`` is
755; the cluster sees ``true`` and 493. Rules must see what the cluster sees.
"""

from __future__ import annotations

import math
import re
from typing import Any

_BOOL = {
    **dict.fromkeys(
        ("y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"), True
    ),
    **dict.fromkeys(
        ("n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"), False
    ),
}
_NULL = frozenset(("", "~", "null", "Null", "NULL"))
_INT = re.compile(r"[-+]?(?:0b[01_]+|0x[0-9a-fA-F_]+|0o?[0-7_]+|[1-9][0-9_]*|0)\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOAT = {
    ".inf": math.inf, ".Inf": math.inf, ".INF": math.inf,
    "+.inf": math.inf, "+.Inf": math.inf, "+.INF": math.inf,
    "-.inf": -math.inf, "-.Inf": -math.inf, "-.INF": -math.inf,
    ".nan": math.nan, ".NaN": math.nan, ".NAN": math.nan,
}  # fmt: skip

#: Plain scalars that YAML 1.1 turns into booleans although a reader may mean a word.
YAML11_BOOLEAN_WORDS = frozenset(_BOOL) - {"true", "True", "TRUE", "false", "False", "FALSE"}


def _parse_int(text: str) -> int | None:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-").replace("_", "")
    try:
        if body.startswith("0b"):
            return sign * int(body[2:], 2)
        if body.startswith("0x"):
            return sign * int(body[2:], 16)
        if body.startswith("0o"):
            return sign * int(body[2:], 8)
        if len(body) > 1 and body.startswith("0"):
            return sign * int(body, 8)
        return sign * int(body)
    except ValueError:
        return None


def resolve_plain(text: str) -> Any:
    """The value of a plain (unquoted, untagged) scalar under YAML 1.1."""
    if text in _NULL:
        return None
    first = text[0]
    if first in "yYnNtTfFoO":
        if text in _BOOL:
            return _BOOL[text]
        return text
    if first in "0123456789+-.":
        if _INT.match(text):
            value = _parse_int(text)
            if value is not None:
                return value
        if text in _SPECIAL_FLOAT:
            return _SPECIAL_FLOAT[text]
        if any(c.isdigit() for c in text) and _FLOAT.match(text):
            try:
                return float(text.replace("_", ""))
            except ValueError:
                return text
    return text
