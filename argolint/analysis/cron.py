"""Cron schedules as the robfig/cron v3 standard parser (which Argo uses) reads them:
five fields (minute, hour, day of month, month, day of week), an optional ``TZ=``/``CRON_TZ=``
prefix, or a descriptor (``@hourly``, ``@every 1h30m``...). Each problem keeps the offsets of
the part of the schedule it is about."""

from __future__ import annotations

from dataclasses import dataclass

from argolint.analysis.go_duration import is_go_duration

DESCRIPTORS = frozenset(
    ("@yearly", "@annually", "@monthly", "@weekly", "@daily", "@midnight", "@hourly")
)
_MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
MONTHS = {m: i for i, m in enumerate(_MONTH_NAMES, 1)}
DAYS = {d: i for i, d in enumerate(["sun", "mon", "tue", "wed", "thu", "fri", "sat"])}
#: (name, lowest, highest, names) of the five standard fields.
FIELDS = (
    ("minute", 0, 59, {}),
    ("hour", 0, 23, {}),
    ("day of month", 1, 31, {}),
    ("month", 1, 12, MONTHS),
    ("day of week", 0, 6, DAYS),
)


@dataclass(frozen=True)
class CronProblem:
    message: str
    start: int  # offsets inside the schedule string
    end: int


@dataclass(frozen=True)
class Schedule:
    timezone: str | None  # from a TZ=/CRON_TZ= prefix
    timezone_start: int
    problem: CronProblem | None


def parse_schedule(text: str) -> Schedule:
    """Check one schedule; the first problem (robfig stops there too)."""
    offset = len(text) - len(text.lstrip())
    body = text.strip()
    timezone, tz_start = None, -1
    if body.startswith(("TZ=", "CRON_TZ=")):
        head, _, rest = body.partition(" ")
        timezone = head.split("=", 1)[1]
        tz_start = offset + len(head) - len(timezone)
        stripped = rest.lstrip()
        offset += len(body) - len(stripped)
        body = stripped.rstrip()
    if not body:
        return Schedule(timezone, tz_start, CronProblem("empty schedule", 0, max(len(text), 1)))
    if body.startswith("@"):
        return Schedule(timezone, tz_start, _descriptor(body, offset))
    return Schedule(timezone, tz_start, _fields(body, offset))


def _descriptor(body: str, offset: int) -> CronProblem | None:
    if body.startswith("@every"):
        arg = body[len("@every") :].strip()
        if not body.startswith("@every ") or not is_go_duration(arg):
            return CronProblem(
                f"`@every` needs a duration such as `1h30m`, not `{arg}`",
                offset,
                offset + len(body),
            )
        return None
    if body in DESCRIPTORS:
        return None
    return CronProblem(
        f"unknown descriptor `{body}` (one of {', '.join(sorted(DESCRIPTORS))}, @every <duration>)",
        offset,
        offset + len(body),
    )


def _fields(body: str, offset: int) -> CronProblem | None:
    parts: list[tuple[str, int]] = []
    i = 0
    for word in body.split():
        i = body.index(word, i)
        parts.append((word, offset + i))
        i += len(word)
    if len(parts) != 5:
        return CronProblem(
            f"expected 5 fields (minute hour day-of-month month day-of-week), found {len(parts)}",
            offset,
            offset + len(body),
        )
    for (word, start), spec in zip(parts, FIELDS, strict=True):
        problem = _field(word, start, spec)
        if problem:
            return problem
    return None


def _field(word: str, start: int, spec: tuple) -> CronProblem | None:
    name, low, high, names = spec
    pos = start
    for part in word.split(","):
        problem = _range(part, pos, name, low, high, names)
        if problem:
            return problem
        pos += len(part) + 1
    return None


def _range(
    part: str, start: int, name: str, low: int, high: int, names: dict
) -> CronProblem | None:
    def bad(message: str) -> CronProblem:
        return CronProblem(f"{name}: {message}", start, start + max(len(part), 1))

    range_part, slash, step_text = part.partition("/")
    if slash and (not step_text.isdigit() or int(step_text) == 0):
        return bad(f"step `{step_text}` must be a positive number")
    if range_part in ("*", "?"):
        return None
    first, dash, last = range_part.partition("-")
    values = []
    for text in (first, last) if dash else (first,):
        value = _value(text, names)
        if value is None:
            return bad(f"`{text}` is not a number" + (" or a name" if names else ""))
        if not low <= value <= high:
            return bad(f"`{text}` is outside {low}-{high}")
        values.append(value)
    if dash and values[0] > values[1]:
        return bad(f"range `{range_part}` starts after it ends")
    return None


def _value(text: str, names: dict) -> int | None:
    lowered = text.lower()
    if lowered in names:
        return names[lowered]
    return int(text) if text.isdigit() else None
