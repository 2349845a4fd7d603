"""Configuration: which rules run, at what severity, where, with which options.

Read from ``.argolint.yaml`` (or ``.argolint.yml``) or ``[tool.argolint]`` in
``pyproject.toml``, the first found walking up from the working directory, or from
``--config``. Problems in the configuration (an unknown rule id, a bad value) become
``config-error`` / ``unknown-rule`` findings at the offending line.
"""

from __future__ import annotations

import fnmatch
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argolint.finding import Finding, Severity
from argolint.source.loader import Limits, load_text
from argolint.source.nodes import YMapping, YNode
from argolint.span import Span

CONFIG_FILES = (".argolint.yaml", ".argolint.yml")
NEVER = "never"


class ConfigError(Exception):
    """A configuration that cannot be used at all (unreadable file, not a mapping)."""


@dataclass
class Config:
    select: set[str] | None = None  # None: every rule enabled by default
    extend_select: set[str] = field(default_factory=set)  # opt-in rules to add
    ignore: set[str] = field(default_factory=set)
    severity: dict[str, Severity] = field(default_factory=dict)
    per_path_ignores: dict[str, set[str]] = field(default_factory=dict)  # glob -> rule ids
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    fail_on: Severity | None = Severity.ERROR  # None: never fail on findings
    workflow_defaults: dict[str, Any] | None = None
    template_paths: list[str] = field(default_factory=list)
    external_templates: list[str] = field(default_factory=list)
    argo_version: str | None = None
    limits: Limits = field(default_factory=Limits)
    path: str | None = None  # the file this came from
    base_dir: Path = field(default_factory=Path.cwd)
    problems: list[Finding] = field(default_factory=list)

    def enabled(self, rule: Any, path: str | None = None) -> bool:
        rid = rule.id
        if rid in self.ignore:
            return False
        if self.select is not None:
            on = rid in self.select or rule.category in self.select or "all" in self.select
        else:
            on = rule.default_enabled
        on = on or rid in self.extend_select
        if on and path is not None and self.per_path_ignores:
            for pattern, ids in self.per_path_ignores.items():
                if (rid in ids or "all" in ids) and _path_matches(path, pattern):
                    return False
        return on

    def severity_of(self, rule: Any) -> Severity:
        return self.severity.get(rule.id, rule.severity)

    def rule_option(self, rule: Any, name: str) -> Any:
        options = self.rule_options.get(rule.id, {})
        if name in options:
            return options[name]
        return rule.options[name]


def _path_matches(path: str, pattern: str) -> bool:
    path = path.replace("\\", "/")
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*/{pattern}")


def find_config_file(start: Path) -> Path | None:
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file() and "[tool.argolint]" in pyproject.read_text(errors="replace"):
            return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The configuration at ``path``, or the one found from ``start``, or the defaults."""
    if path is None:
        path = find_config_file(start or Path.cwd())
    if path is None:
        return Config()
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ConfigError(f"cannot read configuration {path}: {err}") from err
    display = str(path)
    if path.name == "pyproject.toml":
        data, locate = _read_toml(text, display)
    else:
        data, locate = _read_yaml(text, display)
    config = Config(path=display, base_dir=path.parent.resolve())
    _apply(config, data, locate)
    return config


def _read_toml(text: str, display: str) -> tuple[dict[str, Any], Any]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        data = tomllib.loads(text).get("tool", {}).get("argolint", {})
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{display}: invalid TOML: {err}") from err
    lines = text.splitlines()

    def locate(path: tuple, needle: str | None = None) -> Span:
        target = needle or (str(path[-1]) if path else "argolint")
        for number, line in enumerate(lines, start=1):
            column = line.find(target)
            if column >= 0:
                return Span(number, column + 1, number, column + 1 + len(target))
        return Span.point(1, 1)

    return data, locate


def _read_yaml(text: str, display: str) -> tuple[dict[str, Any], Any]:
    result = load_text(text, display)
    if result.findings and not result.documents:
        raise ConfigError(f"{display}: {result.findings[0].message}")
    root = result.documents[0].root if result.documents else None
    if root is None or (root.is_scalar() and root.value is None):
        return {}, lambda path, needle=None: Span.point(1, 1)
    if not isinstance(root, YMapping):
        raise ConfigError(f"{display}: the configuration must be a mapping")

    def locate(path: tuple, needle: str | None = None) -> Span:
        node: YNode | None = root
        for part in path:
            if isinstance(node, YMapping) and str(part) in node.keys:
                node = node.keys[str(part)][0 if part == path[-1] and needle is None else 1]
            else:
                break
        if needle is not None and node is not None and node.is_sequence():
            for item in node.items:
                if item.is_scalar() and item.value == needle:
                    return item.span
        return node.span if node is not None else Span.point(1, 1)

    return root.to_python(), locate


_KEYS = {
    "select", "extend_select", "ignore", "severity", "per_path_ignores", "rules", "fail_on",
    "workflow_defaults", "template_paths", "external_templates", "argo_version",
    "max_file_size", "max_aliases", "max_depth",
}  # fmt: skip


def _apply(config: Config, data: dict[str, Any], locate: Any) -> None:
    from argolint import rules

    known = rules.all_rules()
    categories = {r.category for r in known.values()}

    def problem(rule: str, message: str, path: tuple, needle: str | None = None) -> None:
        config.problems.append(
            Finding(
                rule,
                Severity.ERROR if rule == "config-error" else Severity.WARNING,
                message,
                config.path or "<config>",
                locate(path, needle),
            )
        )

    def rule_ids(key: str, allow_categories: bool = False) -> set[str]:
        value = data.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            problem("config-error", f"`{key}` must be a list of rule ids", (key,))
            return set()
        out = set()
        for rid in map(str, value):
            if rid in known or rid == "all" or (allow_categories and rid in categories):
                out.add(rid)
            else:
                problem("unknown-rule", f"unknown rule `{rid}` in `{key}`", (key,), rid)
        return out

    if not isinstance(data, dict):
        raise ConfigError(f"{config.path}: the configuration must be a mapping")
    for key in data:
        if key not in _KEYS:
            problem("config-error", f"unknown configuration key `{key}`", (key,))
    if "select" in data:
        config.select = rule_ids("select", allow_categories=True)
    config.extend_select = rule_ids("extend_select", allow_categories=False)
    config.ignore = rule_ids("ignore")
    for rid, level in (data.get("severity") or {}).items():
        if rid not in known:
            problem("unknown-rule", f"unknown rule `{rid}` in `severity`", ("severity", rid))
            continue
        try:
            config.severity[rid] = Severity.parse(str(level))
        except ValueError as err:
            problem("config-error", str(err), ("severity", rid))
    for pattern, ids in (data.get("per_path_ignores") or {}).items():
        ids = [ids] if isinstance(ids, str) else list(ids or [])
        for rid in ids:
            if rid not in known and rid != "all":
                problem(
                    "unknown-rule",
                    f"unknown rule `{rid}` in `per_path_ignores`",
                    ("per_path_ignores", pattern),
                    rid,
                )
        config.per_path_ignores[str(pattern)] = set(map(str, ids))
    for rid, options in (data.get("rules") or {}).items():
        rule = known.get(rid)
        if rule is None:
            problem("unknown-rule", f"unknown rule `{rid}` in `rules`", ("rules", rid))
            continue
        if not isinstance(options, dict):
            problem("config-error", f"options of `{rid}` must be a mapping", ("rules", rid))
            continue
        for name in options:
            if name not in rule.options:
                valid = ", ".join(f"`{o}`" for o in rule.options) or "none"
                problem(
                    "config-error",
                    f"rule `{rid}` has no option `{name}` (options: {valid})",
                    ("rules", rid, name),
                )
        config.rule_options[rid] = {k: v for k, v in options.items() if k in rule.options}
    if "fail_on" in data:
        set_fail_on(
            config, str(data["fail_on"]), lambda msg: problem("config-error", msg, ("fail_on",))
        )
    if data.get("workflow_defaults") is not None:
        if isinstance(data["workflow_defaults"], dict):
            config.workflow_defaults = data["workflow_defaults"]
        else:
            problem("config-error", "`workflow_defaults` must be a mapping", ("workflow_defaults",))
    for key in ("template_paths", "external_templates"):
        value = data.get(key) or []
        if isinstance(value, list):
            setattr(config, key, [str(v) for v in value])
        else:
            problem("config-error", f"`{key}` must be a list", (key,))
    if data.get("argo_version") is not None:
        config.argo_version = str(data["argo_version"])
    limits = {k: data[k] for k in ("max_file_size", "max_aliases", "max_depth") if k in data}
    for key, value in limits.items():
        if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
            problem("config-error", f"`{key}` must be a positive integer", (key,))
            return
    if limits:
        config.limits = Limits(**{**config.limits.__dict__, **limits})


def set_fail_on(config: Config, value: str, on_error: Any) -> None:
    if value.lower() == NEVER:
        config.fail_on = None
        return
    try:
        config.fail_on = Severity.parse(value)
    except ValueError:
        on_error(f"`fail_on` must be error, warning, info or never, not `{value}`")
