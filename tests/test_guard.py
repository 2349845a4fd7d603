"""The engine's guard: a failing rule, analysis, loader or suppression reader becomes one
``internal-error`` finding (exit code 2) and everything else still runs."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import lint_text

from argolint import rules
from argolint.cli import main
from argolint.config import Config
from argolint.engine import Input, run
from argolint.finding import Finding, Severity

WORKFLOW = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: guard-
spec:
  entrypoint: main
  templates:
    - name: main
      container:
        image: alpine:3.20
"""


def _broken_analysis(ctx: object) -> object:
    raise ValueError("analysis exploded")


def _crash(ctx: object) -> Iterator[Finding]:
    raise RuntimeError("rule exploded")


def _crash_midway(ctx) -> Iterator[Finding]:
    yield ctx.finding(ctx.doc.root, "first finding survives")
    raise KeyError("later")


def _needs_analysis(ctx) -> Iterator[Finding]:
    ctx.analysis(_broken_analysis)
    yield ctx.finding(ctx.doc.root, "never reached")


@pytest.fixture
def injected():
    """Register rules for one test, and remove them afterwards."""
    added: list[str] = []

    def add(rule_id: str, check) -> None:
        rules._REGISTRY[rule_id] = rules.Rule(rule_id, "test", Severity.WARNING, "test", check)
        added.append(rule_id)

    yield add
    for rule_id in added:
        del rules._REGISTRY[rule_id]


def test_crashing_rule_is_an_internal_error_and_other_rules_still_run(injected):
    injected("crashing-rule", _crash)
    findings = lint_text(WORKFLOW).findings
    [crash] = [f for f in findings if f.rule == "internal-error"]
    assert "rule `crashing-rule`" in crash.message and "RuntimeError" in crash.message
    assert "rule exploded" in crash.details and "Traceback" in crash.details
    assert crash.span.line == 1 and crash.severity is Severity.ERROR
    assert any(f.rule == "missing-service-account" for f in findings)


def test_findings_before_a_crash_are_kept(injected):
    injected("half-rule", _crash_midway)
    findings = lint_text(WORKFLOW).findings
    assert [f.message for f in findings if f.rule == "half-rule"] == ["first finding survives"]
    assert sum(f.rule == "internal-error" for f in findings) == 1


def test_a_failed_analysis_is_reported_once_naming_every_rule_that_needed_it(injected):
    injected("needs-a", _needs_analysis)
    injected("needs-b", _needs_analysis)
    findings = lint_text(WORKFLOW + "---\n" + WORKFLOW).findings
    errors = [f for f in findings if f.rule == "internal-error"]
    assert len(errors) == 2  # one per document, not one per rule
    assert {e.span.line for e in errors} == {1, 12}
    for error in errors:
        assert "_broken_analysis" in error.message
        assert "`needs-a`, `needs-b`" in error.message
        assert "analysis exploded" in error.details
    assert not any(f.rule in ("needs-a", "needs-b") for f in findings)


def test_loader_failure_loses_only_its_file(monkeypatch):
    import argolint.engine as engine

    real = engine.load_bytes

    def flaky(data, path, *args, **kwargs):
        if path == "bad.yaml":
            raise MemoryError("pretend")
        return real(data, path, *args, **kwargs)

    monkeypatch.setattr(engine, "load_bytes", flaky)
    result = run([Input("bad.yaml", b"a: 1\n"), Input("good.yaml", WORKFLOW.encode())], Config())
    by_path = {(f.path, f.rule) for f in result.findings}
    assert ("bad.yaml", "internal-error") in by_path
    assert ("good.yaml", "missing-service-account") in by_path


def test_cli_exit_code_is_2_on_an_internal_error(injected, tmp_path: Path):
    injected("crashing-rule", _crash)
    (tmp_path / "wf.yaml").write_text(WORKFLOW)
    outcome = CliRunner().invoke(main, [str(tmp_path / "wf.yaml"), "--format", "json"])
    assert outcome.exit_code == 2
    assert "internal-error" in outcome.stdout


def test_cli_exit_code_is_2_when_the_engine_itself_fails(monkeypatch, tmp_path: Path):
    import argolint.engine as engine

    def broken_run(*args, **kwargs):
        raise RuntimeError("engine exploded")

    monkeypatch.setattr(engine, "run", broken_run)
    (tmp_path / "wf.yaml").write_text(WORKFLOW)
    outcome = CliRunner().invoke(main, [str(tmp_path / "wf.yaml")])
    assert outcome.exit_code == 2
    assert "engine exploded" in outcome.stderr
