"""The README tells the truth: its commands are the ones CI runs, its configuration
reference names exactly the keys argolint reads, and its examples load."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from argolint.config import _KEYS, load_config

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", README, re.DOTALL | re.MULTILINE)


def _try_it_commands() -> list[str]:
    section = README.split("## Try it", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```sh\n(.*?)\n```", section, re.DOTALL | re.MULTILINE)


def _steps(command: str) -> list[list[str]]:
    """A shell line's commands, without flags that only change verbosity."""
    return [
        [word for word in shlex.split(part) if word not in ("--quiet", "-q")]
        for part in command.split("&&")
    ]


def test_readme_test_command_is_what_ci_runs():
    _, test_command = _try_it_commands()
    ci_lines = [
        line.strip()
        for line in (ROOT / ".ci/run").read_text().splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    ci_steps = [[w for w in shlex.split(line) if w not in ("--quiet", "-q")] for line in ci_lines]
    position = 0
    for step in _steps(test_command):
        found = next((i for i in range(position, len(ci_steps)) if ci_steps[i] == step), None)
        assert found is not None, f".ci/run does not run `{' '.join(step)}` (in this order)"
        position = found + 1
    assert "python -m pytest -q" in test_command


def test_readme_demo_command_lints_a_bundled_example():
    demo, _ = _try_it_commands()
    last = _steps(demo)[-1]
    assert last[0] == "argolint"
    for path in last[1:]:
        assert (ROOT / path).is_file(), f"the README's demo lints {path}, which does not exist"


def test_configuration_reference_documents_every_key(tmp_path: Path):
    block = next(b for b in _blocks("yaml") if b.startswith("# .argolint.yaml"))
    documented = set(re.findall(r"^([a-z_]+):", block, re.MULTILINE))
    assert documented == set(_KEYS), (
        f"undocumented: {sorted(set(_KEYS) - documented)}; unknown: {sorted(documented - _KEYS)}"
    )
    (tmp_path / ".argolint.yaml").write_text(block)
    config = load_config(tmp_path / ".argolint.yaml")
    problems = [f"{p.span.line}: [{p.rule}] {p.message}" for p in config.problems]
    assert not problems, f"the README's configuration example has problems: {problems}"


def test_pyproject_example_loads_without_problems(tmp_path: Path):
    [block] = _blocks("toml")
    (tmp_path / "pyproject.toml").write_text(block)
    config = load_config(tmp_path / "pyproject.toml")
    assert not config.problems
    assert config.ignore == {"missing-service-account"}
    assert config.per_path_ignores == {"examples/**": {"all"}}
