"""Go's ``time.ParseDuration`` syntax (``1h30m``, ``300ms``, ``-1.5h``), which Argo uses for
``timeout`` and ``@every`` schedules, and Argo's ``ParseStringToDuration`` (a whole number of
seconds, else a Go duration), which it uses for retry backoff, suspend and the pod GC delay."""

from __future__ import annotations

import re

_UNIT = r"(?:ns|us|µs|μs|ms|s|m|h)"
_DURATION = re.compile(rf"[-+]?(?:(?:\d+\.?\d*|\.\d+){_UNIT})+\Z")
_SECONDS = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "μs": 1e-6, "ms": 1e-3, "s": 1, "m": 60, "h": 3600}
_PART = re.compile(rf"(\d+\.?\d*|\.\d+)({_UNIT})")


def is_go_duration(text: str) -> bool:
    """True for what ``time.ParseDuration`` accepts (``0`` alone included)."""
    return text == "0" or text in ("+0", "-0") or bool(_DURATION.match(text))


_WHOLE = re.compile(r"[-+]?\d+\Z")


def is_argo_duration(text: str) -> bool:
    """True for what Argo's ``ParseStringToDuration`` accepts: ``strconv.Atoi`` first (a
    whole number is seconds), then ``time.ParseDuration``."""
    return bool(_WHOLE.match(text)) or is_go_duration(text)


def seconds(text: str) -> float | None:
    """The duration in seconds, or None if it is not a Go duration."""
    if not is_go_duration(text):
        return None
    sign = -1 if text.startswith("-") else 1
    return sign * sum(float(n) * _SECONDS[u] for n, u in _PART.findall(text))
