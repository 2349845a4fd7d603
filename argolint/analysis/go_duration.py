"""Go's ``time.ParseDuration`` syntax (``1h30m``, ``300ms``, ``-1.5h``), which Argo uses for
``timeout``, retry backoff and ``@every`` schedules."""

from __future__ import annotations

import re

_UNIT = r"(?:ns|us|µs|μs|ms|s|m|h)"
_DURATION = re.compile(rf"[-+]?(?:(?:\d+\.?\d*|\.\d+){_UNIT})+\Z")
_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_PART = re.compile(rf"(\d+\.?\d*|\.\d+)({_UNIT})")


def is_go_duration(text: str) -> bool:
    """True for what ``time.ParseDuration`` accepts (``0`` alone included)."""
    return text == "0" or text in ("+0", "-0") or bool(_DURATION.match(text))


def seconds(text: str) -> float | None:
    """The duration in seconds, or None if it is not a Go duration."""
    if not is_go_duration(text):
        return None
    sign = -1 if text.startswith("-") else 1
    return sign * sum(float(n) * _SECONDS[u] for n, u in _PART.findall(text))
