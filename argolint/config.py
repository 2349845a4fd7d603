"""Configuration: which rules run, at what severity, where, with which options.

Read from ``.argolint.yaml`` (or ``.argolint.yml``) or ``[tool.argolint]`` in
``pyproject.toml``, the first found walking up from the working directory, or from
``--config``. Problems in the configuration (an unknown rule id, a bad value) become
``config-error`` / ``unknown-rule`` findings at the offending line.
"""

from __future__ import annotations

import fnmatch
import json
import os
import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argolint.finding import Finding, Severity
from argolint.source.loader import Limits, load_text
from argolint.source.nodes import AliasLimitExceeded, YMapping, YNode
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
        """Whether ``rule`` runs (on ``path``): select/extend_select/ignore accept rule ids,
        categories and ``all``; per-path ignores are globs relative to the config's folder."""
        rid, category = rule.id, rule.category
        if rid in self.ignore or category in self.ignore or "all" in self.ignore:
            return False
        if self.select is not None:
            on = rid in self.select or category in self.select or "all" in self.select
        else:
            on = rule.default_enabled
        on = on or rid in self.extend_select or category in self.extend_select
        if on and path is not None and self.per_path_ignores:
            ignored = self._ignored_at(path)
            return not (rid in ignored or category in ignored or "all" in ignored)
        return on

    def _ignored_at(self, path: str) -> frozenset[str]:
        """Rule ids and categories the per-path globs ignore at ``path`` (memoised per path,
        outside the dataclass fields so that it is no part of the configuration's identity)."""
        memo: dict[str, frozenset[str]] | None = self.__dict__.get("_ignored_memo")
        if memo is None:
            memo = self.__dict__["_ignored_memo"] = {}
        cached = memo.get(path)
        if cached is None:
            forms = {path.replace("\\", "/")}
            try:
                relative = os.path.relpath(os.path.abspath(path), self.base_dir)
            except ValueError:  # another drive on Windows
                relative = None
            if relative is not None and not relative.startswith(".."):
                forms.add(relative.replace("\\", "/"))
            cached = frozenset(
                rid
                for pattern, ids in self.per_path_ignores.items()
                if any(_path_matches(form, pattern) for form in forms)
                for rid in ids
            )
            memo[path] = cached
        return cached

    def severity_of(self, rule: Any) -> Severity:
        return self.severity.get(rule.id, rule.severity)

    def rule_option(self, rule: Any, name: str) -> Any:
        options = self.rule_options.get(rule.id, {})
        if name in options:
            return options[name]
        return rule.options[name]


def _path_matches(path: str, pattern: str) -> bool:
    """A glob where ``*`` also crosses folders; a pattern without a folder part matches at any
    depth (``*.gen.yaml``), and ``dir/**`` covers everything under ``dir``."""
    pattern = pattern.replace("\\", "/").removeprefix("./")
    return fnmatch.fnmatch(path, pattern) or fnmatch.fnmatch(path, f"*/{pattern}")


_TOOL_TABLE = re.compile(r"^\s*\[\s*tool\.argolint\s*[\].]", re.MULTILINE)


def find_config_file(start: Path) -> Path | None:
    """The nearest ``.argolint.yaml``/``.yml``, or ``pyproject.toml`` with a
    ``[tool.argolint]`` table, in ``start`` or a directory above it."""
    start = start.resolve()
    for directory in (start, *start.parents):
        for name in CONFIG_FILES:
            candidate = directory / name
            if candidate.is_file():
                return candidate
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            try:
                text = pyproject.read_text(encoding="utf-8", errors="replace")
            except OSError:
                continue
            if _TOOL_TABLE.search(text):
                return pyproject
    return None


def load_config(path: Path | None = None, start: Path | None = None) -> Config:
    """The configuration at ``path``, or the one found from ``start``, or the defaults.
    Raises ``ConfigError`` when the file cannot be used at all."""
    if path is None:
        path = find_config_file(start or Path.cwd())
    if path is None:
        return Config()
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as err:
        raise ConfigError(f"cannot read configuration {path}: {err.strerror or err}") from err
    except UnicodeDecodeError as err:
        raise ConfigError(f"cannot read configuration {path}: not valid UTF-8 ({err})") from err
    from argolint.source.discover import display_path

    display = display_path(path)
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        data, locate = _read_toml(text, display, tool_table=path.name == "pyproject.toml")
    else:
        data, locate = _read_yaml(text, display)
    config = Config(path=display, base_dir=path.parent.resolve())
    _apply(config, data, locate)
    return config


Locate = Callable[..., Span]  # locate(path, needle=None, value=False) -> Span


def _read_toml(text: str, display: str, tool_table: bool = True) -> tuple[Any, Locate]:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{display}: invalid TOML: {err}") from err
    if tool_table:
        tool = document.get("tool")
        if not isinstance(tool, dict) or "argolint" not in tool:
            raise ConfigError(f"{display}: no [tool.argolint] table")
        data = tool["argolint"]
    else:
        data = document
    lines = text.splitlines()
    table = next(
        (n for n, line in enumerate(lines) if _TOOL_TABLE.match(line)), 0
    )  # search from the [tool.argolint] table on

    def locate(path: tuple, needle: str | None = None, value: bool = False) -> Span:
        target = needle or (str(path[-1]) if path else "argolint")
        for number in range(table, len(lines)):
            column = lines[number].find(target)
            if column >= 0:
                return Span(number + 1, column + 1, number + 1, column + 1 + len(target))
        return Span.point(1, 1)

    return data, locate


def _read_yaml(text: str, display: str) -> tuple[Any, Locate]:
    result = load_text(text, display)
    if result.findings:
        first = result.findings[0]
        raise ConfigError(f"{display}:{first.span.line}:{first.span.column}: {first.message}")
    root = result.documents[0].root if result.documents else None
    if root is None or (root.is_scalar() and root.value is None):
        return {}, lambda path, needle=None, value=False: Span.point(1, 1)
    if not isinstance(root, YMapping):
        raise ConfigError(f"{display}: the configuration must be a mapping of settings")

    def locate(path: tuple, needle: str | None = None, value: bool = False) -> Span:
        node: YNode = root
        for depth, part in enumerate(path):
            entry = node.keys.get(str(part)) if isinstance(node, YMapping) else None
            if entry is None:
                break
            last = depth == len(path) - 1
            node = entry[0] if last and needle is None and not value else entry[1]
        if needle is not None and node.is_sequence():
            for item in node.items:  # type: ignore[attr-defined]
                if item.is_scalar() and str(item.value) == needle:
                    return item.span
        return node.span

    try:
        return root.to_python([Limits.max_aliases]), locate
    except AliasLimitExceeded as err:
        raise ConfigError(f"{display}: too many aliases to expand") from err


_KEYS = {
    "select", "extend_select", "ignore", "severity", "per_path_ignores", "rules", "fail_on",
    "workflow_defaults", "template_paths", "external_templates", "argo_version",
    "max_file_size", "max_aliases", "max_depth",
}  # fmt: skip
_LIMIT_KEYS = ("max_file_size", "max_aliases", "max_depth")


class _Reader:
    """Applies a configuration's data to a ``Config``, turning every mistake into a finding
    at its place in the file (never an exception: a bad configuration is reported, not fatal)."""

    def __init__(self, config: Config, data: dict[str, Any], locate: Locate) -> None:
        from argolint import rules

        self.config = config
        self.data = data
        self.locate = locate
        self.known = rules.all_rules()
        self.categories = {r.category for r in self.known.values()}

    def problem(
        self, rule: str, message: str, path: tuple, needle: str | None = None, value: bool = False
    ) -> None:
        self.config.problems.append(
            Finding(
                rule,
                Severity.ERROR if rule == "config-error" else Severity.WARNING,
                message,
                self.config.path or "<config>",
                self.locate(path, needle, value),
            )
        )

    def unknown_rule(self, rid: str, where: str, path: tuple, needle: str | None = None) -> None:
        import difflib

        close = difflib.get_close_matches(rid, list(self.known), n=1)
        hint = f"; did you mean `{close[0]}`?" if close else ""
        self.problem("unknown-rule", f"unknown rule `{rid}` in `{where}`{hint}", path, needle)

    def mapping(self, key: str) -> dict[Any, Any]:
        value = self.data.get(key)
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.problem("config-error", f"`{key}` must be a mapping", (key,), value=True)
            return {}
        return value

    def rule_ids(self, key: str, value: Any, path: tuple, categories: bool) -> set[str]:
        if value is None:
            return set()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            self.problem("config-error", f"`{key}` must be a list of rule ids", path, value=True)
            return set()
        out = set()
        for rid in map(str, value):
            if rid in self.known or rid == "all" or (categories and rid in self.categories):
                out.add(rid)
            else:
                self.unknown_rule(rid, key, path, rid)
        return out

    def apply(self) -> None:
        config, data = self.config, self.data
        for key in data:
            if key not in _KEYS:
                import difflib

                close = difflib.get_close_matches(str(key), sorted(_KEYS), n=1)
                hint = f"; did you mean `{close[0]}`?" if close else ""
                self.problem("config-error", f"unknown configuration key `{key}`{hint}", (key,))
        if "select" in data:
            config.select = self.rule_ids("select", data["select"], ("select",), True)
        for key in ("extend_select", "ignore"):
            setattr(config, key, self.rule_ids(key, data.get(key), (key,), True))
        self._severity()
        self._per_path_ignores()
        self._rule_options()
        if data.get("fail_on") is not None:
            set_fail_on(
                config,
                str(data["fail_on"]),
                lambda msg: self.problem("config-error", msg, ("fail_on",), value=True),
            )
        if data.get("workflow_defaults") is not None:
            defaults = self.mapping("workflow_defaults")
            config.workflow_defaults = defaults or None
        for key in ("template_paths", "external_templates"):
            value = data.get(key)
            if isinstance(value, str):
                value = [value]
            if isinstance(value, list):
                setattr(config, key, [str(v) for v in value])
            elif value is not None:
                self.problem("config-error", f"`{key}` must be a list", (key,), value=True)
        version = data.get("argo_version")
        if isinstance(version, (str, int, float)) and not isinstance(version, bool):
            config.argo_version = str(version)
        elif version is not None:
            message = "`argo_version` must be a version such as `4.1` or `v4.1.2`"
            self.problem("config-error", message, ("argo_version",), value=True)
        self._limits()

    def _severity(self) -> None:
        for rid, level in self.mapping("severity").items():
            if rid not in self.known:
                self.unknown_rule(str(rid), "severity", ("severity", rid))
                continue
            try:
                self.config.severity[rid] = Severity.parse(str(level))
            except ValueError as err:
                self.problem("config-error", str(err), ("severity", rid), value=True)

    def _per_path_ignores(self) -> None:
        for pattern, ids in self.mapping("per_path_ignores").items():
            path = ("per_path_ignores", pattern)
            valid = self.rule_ids("per_path_ignores", ids, path, categories=True)
            if valid:
                self.config.per_path_ignores[str(pattern)] = valid

    def _rule_options(self) -> None:
        for rid, options in self.mapping("rules").items():
            rule = self.known.get(rid)
            if rule is None:
                self.unknown_rule(str(rid), "rules", ("rules", rid))
                continue
            if not isinstance(options, dict):
                message = f"options of `{rid}` must be a mapping"
                self.problem("config-error", message, ("rules", rid), value=True)
                continue
            chosen = {}
            for name, value in options.items():
                if name not in rule.options:
                    valid = ", ".join(f"`{o}`" for o in rule.options) or "none"
                    self.problem(
                        "config-error",
                        f"rule `{rid}` has no option `{name}` (options: {valid})",
                        ("rules", rid, name),
                    )
                    continue
                expected = _kind_of(rule.options[name])
                if expected is not None and _kind_of(value) not in _ACCEPTS[expected]:
                    self.problem(
                        "config-error",
                        f"option `{name}` of `{rid}` must be {expected}, not "
                        f"{_kind_of(value) or type(value).__name__} (default: "
                        f"{json.dumps(rule.options[name], default=str)})",
                        ("rules", rid, name),
                        value=True,
                    )
                    continue
                chosen[name] = value
            self.config.rule_options[rid] = chosen

    def _limits(self) -> None:
        limits = {}
        for key in _LIMIT_KEYS:
            value = self.data.get(key)
            if value is None:
                continue
            if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
                message = f"`{key}` must be a positive integer"
                self.problem("config-error", message, (key,), value=True)
            else:
                limits[key] = value
        if limits:
            self.config.limits = Limits(**{**self.config.limits.__dict__, **limits})


#: What a value given for an option may be, by the kind of the option's default.
_ACCEPTS = {
    "a boolean": {"a boolean"},
    "an integer": {"an integer"},
    "a number": {"a number", "an integer"},
    "a string": {"a string"},
    "a list": {"a list"},
    "a mapping": {"a mapping"},
}


def _kind_of(value: Any) -> str | None:
    """The kind of an option value (``None``: a default of no particular kind)."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple, set, frozenset)):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return None


def _apply(config: Config, data: Any, locate: Locate) -> None:
    if not isinstance(data, dict):
        raise ConfigError(f"{config.path}: the configuration must be a mapping of settings")
    _Reader(config, data, locate).apply()


def set_fail_on(config: Config, value: str, on_error: Any) -> None:
    if value.lower() == NEVER:
        config.fail_on = None
        return
    try:
        config.fail_on = Severity.parse(value)
    except ValueError:
        on_error(f"`fail_on` must be error, warning, info or never, not `{value}`")
