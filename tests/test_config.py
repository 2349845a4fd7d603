"""Reading the configuration in process: every mistake is a finding at its place, never an
exception, and what is valid is applied."""

from __future__ import annotations

from pathlib import Path

import pytest

from argolint.config import ConfigError, find_config_file, load_config
from argolint.finding import Severity
from argolint.rules import get


def load(tmp_path: Path, text: str, name: str = ".argolint.yaml"):
    (tmp_path / name).write_text(text)
    return load_config(tmp_path / name)


def problems(config) -> list[tuple[str, int, int, str]]:
    return [(p.rule, p.span.line, p.span.column, p.message) for p in config.problems]


def test_option_values_must_have_the_kind_of_their_default(tmp_path: Path):
    config = load(
        tmp_path,
        "rules:\n"
        "  image-not-pinned:\n"
        "    require_digest: 'yes'\n"
        "  missing-resource-limits: {resources: memory}\n",
    )
    found = problems(config)
    assert found[0][:3] == ("config-error", 3, 21)
    assert "must be a boolean, not a string (default: false)" in found[0][3]
    assert found[1][:3] == ("config-error", 4, 40)
    assert 'must be a list, not a string (default: ["cpu", "memory"])' in found[1][3]
    assert config.rule_options == {"image-not-pinned": {}, "missing-resource-limits": {}}


def test_valid_options_are_applied(tmp_path: Path):
    config = load(tmp_path, "rules:\n  image-not-pinned: {require_digest: true}\n")
    assert config.problems == []
    assert config.rule_option(get("image-not-pinned"), "require_digest") is True


@pytest.mark.parametrize(
    "text",
    [
        "severity: [a, b]\n",
        "rules: [x]\n",
        "per_path_ignores: {'a/*': 5}\n",
        "per_path_ignores: [a]\n",
        "select: {a: 1}\n",
        "template_paths: 3\n",
        "max_depth: -1\n",
        "max_depth: true\n",
        "workflow_defaults: [1]\n",
        "fail_on: [error]\n",
        "argo_version: {x: 1}\n",
        "? [complex, key]\n: 1\n",
    ],
)
def test_odd_shapes_are_findings_never_exceptions(tmp_path: Path, text: str):
    config = load(tmp_path, text)
    assert config.problems, "a mistake went unreported"
    assert all(p.severity in (Severity.ERROR, Severity.WARNING) for p in config.problems)


def test_unknown_rule_ids_with_suggestions_and_categories_accepted(tmp_path: Path):
    config = load(tmp_path, "select: [security, yaml-sintax]\nignore: [all]\n")
    assert problems(config) == [
        (
            "unknown-rule",
            1,
            20,
            "unknown rule `yaml-sintax` in `select`; did you mean `yaml-syntax`?",
        )
    ]
    assert config.select == {"security"}


def test_pyproject_table_and_positions(tmp_path: Path):
    config = load(
        tmp_path,
        '[project]\nname = "x"\n\n[tool.argolint]\nfail_on = "sometimes"\n',
        "pyproject.toml",
    )
    [(rule, line, _, message)] = problems(config)
    assert (rule, line) == ("config-error", 5) and "`fail_on` must be" in message


def test_discovery_skips_a_pyproject_without_the_table(tmp_path: Path):
    (tmp_path / ".argolint.yml").write_text("ignore: [duplicate-key]\n")
    inner = tmp_path / "pkg" / "sub"
    inner.mkdir(parents=True)
    (tmp_path / "pkg" / "pyproject.toml").write_text("[tool.ruff]\nline-length = 100\n")
    assert find_config_file(inner) == (tmp_path / ".argolint.yml").resolve()
    (tmp_path / "pkg" / "pyproject.toml").write_text("[tool.argolint.severity]\n")
    assert find_config_file(inner) == (tmp_path / "pkg" / "pyproject.toml").resolve()


def test_unusable_files_raise_config_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="must be a mapping"):
        load(tmp_path, "- 1\n")
    with pytest.raises(ConfigError, match="YAML syntax error"):
        load(tmp_path, "a: [\n")
    (tmp_path / "bad.yaml").write_bytes(b"a: \xff\n")
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_config(tmp_path / "bad.yaml")
