"""CronWorkflow settings that Argo's validator checks: the schedules parse as robfig/cron
reads them (``invalid-cron-schedule``), ``timezone`` is a real IANA zone
(``invalid-timezone``), ``concurrencyPolicy`` is Allow, Forbid or Replace
(``invalid-concurrency-policy``: a variable there; a misspelling is ``schema-value``'s unless
that rule does not run).

Zones come from Python's ``zoneinfo``: the system database, else the ``tzdata`` package (a
dependency, so Windows and slim containers know the same zones). Should neither be present,
the timezone check stays silent rather than call every zone invalid.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache

from argolint.analysis.cron import parse_schedule
from argolint.analysis.refs import closest
from argolint.checks.literal_enums import unknown_literal
from argolint.context import Context
from argolint.finding import Finding
from argolint.rules import rule
from argolint.source.nodes import YMapping, YScalar, YSequence

POLICIES = ("Allow", "Forbid", "Replace")


def _spec(ctx: Context) -> YMapping | None:
    root = ctx.manifest.root
    return root.mapping("spec") if root is not None else None


def _schedules(spec: YMapping) -> list[YScalar]:
    out: list[YScalar] = []
    seq = spec.get("schedules")
    if isinstance(seq, YSequence):
        out += [n for n in seq if isinstance(n, YScalar) and n.value is not None]
    single = spec.get("schedule")
    if isinstance(single, YScalar) and single.value is not None and single.text:
        out.append(single)
    return out


@rule(
    "invalid-cron-schedule",
    category="correctness",
    severity="error",
    summary="A CronWorkflow has no schedule, or one that Argo's cron parser rejects.",
    kinds=("CronWorkflow",),
)
def check_schedule(ctx: Context) -> Iterator[Finding]:
    spec = _spec(ctx)
    if spec is None:
        return
    schedules = _schedules(spec)
    if not schedules:
        yield ctx.finding(
            spec.key_node("schedules") or ctx.manifest.root.key_node("spec") or spec,
            "the CronWorkflow has no schedule, so it never runs",
            suggestion='add `schedules: ["0 * * * *"]`',
        )
        return
    timezone = _timezone_field(spec)
    for node in schedules:
        if "{{" in node.text:
            continue
        parsed = parse_schedule(node.text)
        if parsed.problem is not None:
            p = parsed.problem
            yield ctx.finding(
                node.sub_span(p.start, p.end),
                f"schedule `{node.text}` is malformed: {p.message}",
                suggestion="five fields `minute hour day-of-month month day-of-week`, "
                "e.g. `*/15 * * * *`, or `@hourly`, `@daily`, `@every 1h30m`",
            )
        if parsed.timezone is not None:
            yield from _zone(ctx, parsed.timezone, node, parsed.timezone_start)
            if timezone:
                yield _double_zone(ctx, node, timezone)


def _timezone_field(spec: YMapping) -> str | None:
    node = spec.get("timezone")
    if isinstance(node, YScalar) and isinstance(node.value, str) and node.value.strip():
        return node.value
    return None


def _double_zone(ctx: Context, node: YScalar, timezone: str) -> Finding:
    """The controller schedules ``CRON_TZ=<timezone> <schedule>`` (``GetSchedulesWithTimezone``);
    robfig takes only the first prefix, so this schedule's own becomes a sixth field and the
    job is never added. ``argo lint`` parses the schedules without the timezone and passes it."""
    start = len(node.text) - len(node.text.lstrip())
    head = node.text.strip().split(" ", 1)[0]
    return ctx.finding(
        node.sub_span(start, start + len(head)),
        f"`timezone: {timezone}` makes the controller schedule `CRON_TZ={timezone} "
        f"{node.text.strip()}`, where this schedule's own `{head}` is a sixth field: the "
        "cron parser rejects it and the CronWorkflow never runs",
        suggestion="keep one: remove this prefix (and let `timezone` apply) or remove `timezone`",
    )


@lru_cache(maxsize=1024)
def zone_problem(name: str) -> str | None:
    """Why Go's ``time.LoadLocation(name)`` would fail, or None (also when no database)."""
    import zoneinfo

    if name in ("", "UTC", "Local"):
        return None
    if not _have_database():
        return None
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, OSError):
        return "is not an IANA time zone"
    return None


@lru_cache(maxsize=1)
def _have_database() -> bool:
    import zoneinfo

    try:
        zoneinfo.ZoneInfo("America/New_York")
    except Exception:
        return False
    return True


@lru_cache(maxsize=1)
def _zone_names() -> list[str]:
    import zoneinfo

    try:
        return sorted(zoneinfo.available_timezones())
    except Exception:
        return []


def _zone(ctx: Context, name: str, node: YScalar, start: int = -1) -> Iterator[Finding]:
    why = zone_problem(name)
    if not why:
        return
    near = closest(name, _zone_names())
    span = node.sub_span(start, start + len(name)) if start >= 0 else node.span
    yield ctx.finding(
        span,
        f"`{name}` {why}",
        suggestion=f"did you mean `{near}`?" if near else "use a name like `Europe/Paris`",
        rule="invalid-timezone",
    )


@rule(
    "invalid-timezone",
    category="correctness",
    severity="error",
    summary="A CronWorkflow's timezone is not an IANA time zone name.",
    kinds=("CronWorkflow",),
)
def check_timezone(ctx: Context) -> Iterator[Finding]:
    spec = _spec(ctx)
    node = spec.get("timezone") if spec is not None else None
    if isinstance(node, YScalar) and node.value is not None and "{{" not in node.text:
        yield from _zone(ctx, node.text, node)


@rule(
    "invalid-concurrency-policy",
    category="correctness",
    severity="error",
    summary="A CronWorkflow's concurrencyPolicy is not Allow, Forbid or Replace.",
    kinds=("CronWorkflow",),
)
def check_policy(ctx: Context) -> Iterator[Finding]:
    spec = _spec(ctx)
    node = spec.get("concurrencyPolicy") if spec is not None else None
    if isinstance(node, YScalar) and node.text and node.text not in POLICIES:
        yield from unknown_literal(
            ctx, node, POLICIES, "a concurrency policy", "spec.concurrencyPolicy"
        )
