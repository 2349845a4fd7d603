"""``rules.family``: one analysis, one registered rule per member, each seeing only its own
findings; the analysis runs once per document however many members are enabled."""

from __future__ import annotations

import pytest

from argolint import rules
from argolint.context import Context
from argolint.finding import Finding, Severity
from argolint.rules import RuleSpec, family
from tests.conftest import lint_text

_BAD_DAG = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata: {generateName: d-}
spec:
  entrypoint: main
  templates:
    - name: main
      dag:
        target: nowhere
        tasks:
          - {name: a, template: leaf, dependencies: [b]}
          - {name: b, template: leaf, dependencies: [a]}
          - {name: c, template: leaf, dependencies: [ghost]}
    - name: leaf
      container: {image: "alpine:3.19"}
"""
_DAG_RULES = {"unknown-target", "unknown-dependency", "dependency-cycle", "dag-structure"}


def test_members_keep_their_registry_entries() -> None:
    cycle, target, arg = (
        rules.get(i) for i in ("dependency-cycle", "unknown-target", "unknown-argument")
    )
    assert cycle is not None and target is not None and arg is not None
    assert (cycle.category, cycle.severity) == ("correctness", Severity.ERROR)
    assert arg.severity == Severity.WARNING
    assert cycle.check is not None and cycle.check is not target.check


def test_each_member_reports_only_its_own_findings() -> None:
    found = {
        (f.rule, f.span.line, f.span.column)
        for f in lint_text(_BAD_DAG, select=_DAG_RULES).findings
    }
    assert ("unknown-target", 9, 17) in found
    assert ("unknown-dependency", 13, 54) in found
    assert {r for r, _, _ in found} == {"unknown-target", "unknown-dependency", "dependency-cycle"}
    only = lint_text(_BAD_DAG, select={"unknown-target"}).findings
    assert [(f.rule, f.span.line) for f in only] == [("unknown-target", 9)]


@pytest.fixture
def scratch_registry(monkeypatch: pytest.MonkeyPatch) -> None:
    """A copy of the registry, so the rules a test declares vanish after it."""
    monkeypatch.setattr(rules, "_REGISTRY", dict(rules.all_rules()))


def test_one_analysis_feeds_every_member(scratch_registry: None) -> None:
    calls: list[str] = []

    def compute(ctx: Context) -> list[Finding]:
        calls.append(ctx.doc.path)
        root = ctx.doc.root
        return [
            ctx.finding(root, "first", rule="fam-one"),
            ctx.finding(root, "second", rule="fam-two"),
            ctx.finding(root, "third", rule="fam-two"),
        ]

    family(
        compute,
        RuleSpec("fam-one", category="style", severity="info", summary="One."),
        RuleSpec(
            "fam-two",
            category="style",
            severity="warning",
            summary="Two.",
            options={"limit": 3},
            default_enabled=False,
        ),
        RuleSpec(
            "fam-cron", category="style", severity="info", summary="C.", kinds=["CronWorkflow"]
        ),
    )
    one, two, cron = (rules.get(i) for i in ("fam-one", "fam-two", "fam-cron"))
    assert one is not None and two is not None and cron is not None
    assert (one.severity, two.severity) == (Severity.INFO, Severity.WARNING)
    assert two.options == {"limit": 3} and not two.default_enabled and one.default_enabled
    assert cron.kinds == frozenset({"CronWorkflow"})

    result = lint_text(_BAD_DAG, select={"fam-one", "fam-two", "fam-cron"})
    assert [(f.rule, f.message, f.severity) for f in result.findings] == [
        ("fam-one", "first", Severity.INFO),
        ("fam-two", "second", Severity.WARNING),
        ("fam-two", "third", Severity.WARNING),
    ]
    assert calls == ["test.yaml"]  # once, though two members ran

    calls.clear()
    assert [f.message for f in lint_text(_BAD_DAG, select={"fam-one"}).findings] == ["first"]
    assert calls == ["test.yaml"]
