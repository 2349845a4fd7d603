"""The rule registry. A rule is declared in a module under ``argolint/checks`` with the
``rule`` decorator, a family of rules that share one analysis with ``family`` (or
``declare`` for findings that the loader or engine emits itself); modules there are
discovered, so adding a rule is one module plus one catalogue page."""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from argolint.finding import Finding, Severity
from argolint.source.loader import ARGO_KINDS

if TYPE_CHECKING:
    from argolint.context import Context

CheckFn = Callable[["Context"], Iterable[Finding]]
_ID = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+(?:\.[0-9]+)*)*\Z")  # yaml-1.1-boolean


@dataclass(frozen=True)
class Rule:
    id: str
    category: str
    severity: Severity
    summary: str
    check: CheckFn | None = None  # None: emitted by the loader or the engine
    kinds: frozenset[str] = ARGO_KINDS
    options: dict[str, Any] = field(default_factory=dict)  # option name -> default
    default_enabled: bool = True  # opt-in rules are off until selected


_REGISTRY: dict[str, Rule] = {}
_DISCOVERED = False


def _register(rule: Rule) -> Rule:
    if not _ID.match(rule.id):
        raise ValueError(f"rule id {rule.id!r} is not kebab-case")
    if rule.id in _REGISTRY and _REGISTRY[rule.id].check is not rule.check:
        raise ValueError(f"rule {rule.id!r} is declared twice")
    _REGISTRY[rule.id] = rule
    return rule


def rule(
    id: str,
    *,
    category: str,
    severity: str,
    summary: str,
    kinds: Iterable[str] = ARGO_KINDS,
    options: dict[str, Any] | None = None,
    default_enabled: bool = True,
) -> Callable[[CheckFn], CheckFn]:
    """Register ``check(ctx)`` as rule ``id``; it yields findings made with ``ctx.finding``."""

    def wrap(check: CheckFn) -> CheckFn:
        _register(
            Rule(
                id,
                category,
                Severity.parse(severity),
                summary,
                check,
                frozenset(kinds),
                dict(options or {}),
                default_enabled,
            )
        )
        return check

    return wrap


@dataclass(frozen=True)
class RuleSpec:
    """The registry entry of one member of a ``family``: everything ``rule`` takes."""

    id: str
    category: str
    severity: str
    summary: str
    kinds: Iterable[str] = ARGO_KINDS
    options: dict[str, Any] | None = None
    default_enabled: bool = True


def family(compute: Callable[[Context], list[Finding]], *members: RuleSpec) -> None:
    """Register one rule per member, each reporting the findings of ``ctx.analysis(compute)``
    that carry its id. ``compute`` walks the document once for the whole family and must
    tag every finding with ``rule=`` (it runs under whichever member asks first)."""
    for spec in members:
        rule(
            spec.id,
            category=spec.category,
            severity=spec.severity,
            summary=spec.summary,
            kinds=spec.kinds,
            options=spec.options,
            default_enabled=spec.default_enabled,
        )(_member_check(compute, spec.id))


def _member_check(compute: Callable[[Context], list[Finding]], rule_id: str) -> CheckFn:
    def check(ctx: Context) -> Iterator[Finding]:
        yield from (f for f in ctx.analysis(compute) if f.rule == rule_id)

    check.__qualname__ = check.__name__ = f"check[{rule_id}]"
    check.__module__ = compute.__module__
    return check


def declare(
    id: str, *, category: str, severity: str, summary: str, default_enabled: bool = True
) -> Rule:
    """Register a rule whose findings come from the loader or the engine, not a check."""
    return _register(
        Rule(
            id, category, Severity.parse(severity), summary, None, frozenset(), {}, default_enabled
        )
    )


def discover() -> None:
    global _DISCOVERED
    if _DISCOVERED:
        return
    import argolint.checks as package

    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        importlib.import_module(f"{package.__name__}.{info.name}")
    _DISCOVERED = True


def all_rules() -> dict[str, Rule]:
    discover()
    return dict(sorted(_REGISTRY.items()))


def get(rule_id: str) -> Rule | None:
    discover()
    return _REGISTRY.get(rule_id)
