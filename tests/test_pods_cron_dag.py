"""DAG structure, CronWorkflow settings, containerSet, volumes, resource templates, podGC,
metrics and object names: Argo's validator checks, each at its node."""

from __future__ import annotations

import pytest
from conftest import lint_text
from parity_helpers import fixture_text, spans

from argolint.analysis.cron import parse_schedule
from argolint.analysis.go_duration import is_go_duration, seconds

DAG_RULES = ("unknown-dependency", "dependency-cycle", "unknown-target", "dag-structure")
CRON_RULES = (
    "invalid-cron-schedule",
    "invalid-timezone",
    "invalid-concurrency-policy",
    "invalid-time-limit",
    "invalid-object-name",
)
POD_RULES = (
    "invalid-object-name",
    "invalid-pod-gc",
    "invalid-metric",
    "duplicate-mount-path",
    "unknown-volume",
    "reserved-container-name",
    "container-set",
    "invalid-resource-template",
)


def test_bad_dag() -> None:
    assert spans(fixture_text("dag/bad-dag.yaml"), *DAG_RULES) == sorted(
        [
            ("unknown-target", 11, 19, 11, 21),
            ("dependency-cycle", 15, 22, 15, 23),
            ("unknown-dependency", 15, 27, 15, 29),
            ("dag-structure", 18, 24, 18, 36),
            ("dag-structure", 22, 13, 22, 23),
            ("dag-structure", 25, 13, 25, 25),
            ("dag-structure", 26, 19, 26, 22),
            ("dag-structure", 30, 9, 30, 14),
        ]
    )


def test_cycle_message_names_the_path() -> None:
    from conftest import findings_of

    (cycle,) = findings_of(fixture_text("dag/bad-dag.yaml"), "dependency-cycle")
    assert "a -> c -> b -> a" in cycle.message
    assert len(cycle.related) == 2


def test_good_dag() -> None:
    assert spans(fixture_text("dag/good-dag.yaml"), *DAG_RULES) == []


def test_bad_cron() -> None:
    assert spans(fixture_text("cron/bad-cron.yaml"), *CRON_RULES) == sorted(
        [
            ("invalid-object-name", 4, 9, 4, 63),
            ("invalid-cron-schedule", 7, 16, 7, 17),
            ("invalid-cron-schedule", 8, 8, 8, 18),
            ("invalid-cron-schedule", 9, 8, 9, 17),
            ("invalid-cron-schedule", 10, 8, 10, 29),  # CRON_TZ= as well as timezone:
            ("invalid-timezone", 10, 16, 10, 29),
            ("invalid-timezone", 11, 13, 11, 31),
            ("invalid-time-limit", 13, 28, 13, 31),
        ]
    )


def test_good_cron() -> None:
    assert spans(fixture_text("cron/good-cron.yaml"), *CRON_RULES) == []


def test_cron_without_schedule() -> None:
    text = fixture_text("cron/good-cron.yaml")
    start = text.index("  schedules:")
    end = text.index("  timezone:")
    assert spans(text[:start] + text[end:], "invalid-cron-schedule") == [
        ("invalid-cron-schedule", 5, 1, 5, 5)
    ]


def test_cron_tz_prefix_with_timezone_field() -> None:
    """The controller prefixes `CRON_TZ=<timezone> ` to each schedule before robfig parses it,
    so a schedule that has its own prefix gets a sixth field and is never scheduled (argo lint
    passes it: it parses the schedules without the timezone)."""
    text = fixture_text("cron/good-cron.yaml").replace(
        '"0 6 1,15 * ?"', '"CRON_TZ=Europe/Paris 0 6 1,15 * ?"'
    )
    found = [f for f in lint_text(text).findings if f.rule == "invalid-cron-schedule"]
    assert [(f.span.line, f.span.column, f.span.end_line, f.span.end_column) for f in found] == [
        (11, 8, 11, 28)
    ]
    assert "America/Los_Angeles" in found[0].message
    without_field = text.replace("  timezone: America/Los_Angeles\n", "")
    assert spans(without_field, *CRON_RULES) == []


@pytest.mark.parametrize(
    "schedule",
    [
        "0 1 * * *",
        "*/5 * * * *",
        "0 0 1-15/2 * *",
        "0 0 * * sun,SAT",
        "0 0 ? * MON-FRI",
        "30 4 1 jan *",
        "@yearly",
        "@annually",
        "@monthly",
        "@weekly",
        "@daily",
        "@midnight",
        "@hourly",
        "@every 1h30m",
        "@every 500ms",
        "TZ=UTC 0 1 * * *",
        "CRON_TZ=Asia/Tokyo @daily",
    ],
)
def test_schedules_robfig_accepts(schedule: str) -> None:
    assert parse_schedule(schedule).problem is None


@pytest.mark.parametrize(
    "schedule",
    [
        "0 1 * *",
        "0 1 * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * * 13 *",
        "* * * * 7",
        "5-1 * * * *",
        "*/0 * * * *",
        "@every",
        "@every 90",
        "@reboot",
        "@Hourly",
        "a * * * *",
        "",
    ],
)
def test_schedules_robfig_rejects(schedule: str) -> None:
    assert parse_schedule(schedule).problem is not None


def test_go_durations() -> None:
    assert all(is_go_duration(d) for d in ("0", "1h30m", "300ms", "-1.5h", "2h45m10s", "1us"))
    assert not any(is_go_duration(d) for d in ("", "90", "1 h", "1d", "h", "1h-30m"))
    assert seconds("1h30m") == 5400


def test_bad_pods() -> None:
    assert spans(fixture_text("pods/bad-pods.yaml"), *POD_RULES) == sorted(
        [
            ("invalid-object-name", 4, 17, 4, 22),
            ("invalid-pod-gc", 10, 26, 10, 35),
            ("invalid-pod-gc", 13, 22, 13, 30),
            ("invalid-pod-gc", 14, 33, 14, 39),
            ("invalid-metric", 20, 15, 20, 27),
            ("invalid-metric", 21, 9, 21, 13),
            ("invalid-metric", 22, 9, 22, 14),
            ("duplicate-mount-path", 28, 19, 28, 24),
            ("unknown-volume", 34, 20, 34, 26),
            ("duplicate-mount-path", 35, 40, 35, 46),
            ("reserved-container-name", 37, 17, 37, 21),
            ("container-set", 44, 7, 44, 19),
            ("container-set", 48, 28, 48, 29),
            ("container-set", 51, 31, 51, 32),
            ("reserved-container-name", 52, 19, 52, 29),
            ("invalid-resource-template", 60, 55, 60, 56),
            ("invalid-resource-template", 65, 9, 65, 21),
            ("invalid-resource-template", 66, 28, 66, 30),
        ]
    )


def test_good_pods() -> None:
    assert spans(fixture_text("pods/good-pods.yaml"), *POD_RULES) == []


def test_unknown_volume_is_a_warning_in_a_template_library() -> None:
    from conftest import findings_of

    text = fixture_text("pods/bad-pods.yaml").replace("kind: Workflow", "kind: WorkflowTemplate")
    text = text.replace("generateName: Pods_", "name: pods")
    (found,) = findings_of(text, "unknown-volume")
    assert found.severity.name == "WARNING"


def test_missing_metadata_name() -> None:
    text = fixture_text("pods/good-pods.yaml").replace(
        "  generateName: pods-\n", "  labels: {a: b}\n"
    )
    assert spans(text, "missing-metadata-name") == [("missing-metadata-name", 3, 1, 3, 9)]


def test_looped_output_references() -> None:
    from conftest import findings_of

    found = findings_of(fixture_text("loops/bad-looped-output.yaml"), "looped-output-reference")
    assert [(f.severity.name, f.span.line, f.span.column, f.span.end_column) for f in found] == [
        ("INFO", 19, 54, 92),
        ("WARNING", 22, 28, 64),
    ]
    assert "JSON list" in found[0].message
    good = fixture_text("loops/good-looped-output.yaml")
    assert findings_of(good, "looped-output-reference") == []


REMOTE_MOUNT = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: call-
spec:
  entrypoint: main
  templates:
    - name: main
      steps:
        - - name: build
            templateRef: {name: lib, template: build}
---
apiVersion: argoproj.io/v1alpha1
kind: WorkflowTemplate
metadata:
  name: lib
spec:
  volumes:
    - name: workdir
      emptyDir: {}
  templates:
    - name: build
      container:
        image: alpine
        volumeMounts:
          - {name: workdir, mountPath: /work}
"""


def test_template_called_by_reference_needs_the_callers_volumes() -> None:
    from conftest import findings_of

    (found,) = findings_of(REMOTE_MOUNT, "unknown-volume")
    assert (found.span.line, found.span.column, found.span.end_column) == (11, 48, 53)
    assert "`workdir`" in found.message and found.severity.name == "ERROR"
    assert found.related[0].span.line == 22
    fixed = REMOTE_MOUNT.replace(
        "  entrypoint: main\n", "  entrypoint: main\n  volumes: [{name: workdir, emptyDir: {}}]\n"
    )
    assert findings_of(fixed, "unknown-volume") == []


def test_template_defaults_volumes_count() -> None:
    from conftest import findings_of

    text = fixture_text("pods/bad-pods.yaml").replace(
        "  volumes:\n",
        "  templateDefaults:\n    volumes: [{name: wrkdir, emptyDir: {}}]\n  volumes:\n",
    )
    assert findings_of(text, "unknown-volume") == []


@pytest.mark.parametrize(
    ("condition", "column"),
    [
        ("status.phase in (Failed, Error", 56),
        ("status.failed > many", 43),
        ("status.phase === Done", 42),
        ("status.succeeded > 0 status.failed > 0", 48),
    ],
)
def test_resource_conditions_parse_as_label_selectors(condition: str, column: int) -> None:
    text = f"""\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: cond-
spec:
  entrypoint: main
  templates:
    - name: main
      resource:
        action: create
        successCondition: {condition}
        manifest: "kind: ConfigMap"
"""
    found = spans(text, "invalid-resource-template")
    assert [(f[1], f[2]) for f in found] == [(11, column)]
    good = text.replace(condition, "status.succeeded > 0, status.phase in (Succeeded)")
    assert spans(good, "invalid-resource-template") == []


def test_a_misspelt_action_or_concurrency_policy_is_reported_once_by_the_schema() -> None:
    """schema-value owns enum values (with its did-you-mean); the parity rules say it only
    where schema-value does not run, so the same span is not reported twice."""
    cases = (
        ("cron/bad-cron.yaml", "invalid-concurrency-policy", 12, (12, 22, 12, 28)),
        ("pods/bad-pods.yaml", "invalid-resource-template", 56, (56, 17, 56, 23)),
    )
    for name, rule, line, span in cases:
        text = fixture_text(name)
        both = ("schema-value", rule)
        assert [s for s in spans(text, *both) if s[1] == line] == [("schema-value", *span)]
        alone = spans(text, *both, ignore={"schema-value"})
        assert [s for s in alone if s[1] == line] == [(rule, *span)]


def test_a_concurrency_policy_written_as_a_variable_is_rejected() -> None:
    """Argo checks concurrencyPolicy as written: a {{...}} there is never substituted."""
    text = fixture_text("cron/good-cron.yaml").replace(
        "concurrencyPolicy: Forbid", 'concurrencyPolicy: "{{workflow.parameters.p}}"'
    )
    found = [f for f in lint_text(text).findings if f.rule == "invalid-concurrency-policy"]
    assert [(f.span.line, f.span.column) for f in found] == [(13, 22)]
    assert "before it substitutes" in found[0].message


@pytest.mark.parametrize("delay", ['"30"', '"0"', "30s", '"1h30m"', '"+5"'])
def test_pod_gc_delay_may_be_a_number_of_seconds(delay: str) -> None:
    """Argo reads deleteDelayDuration with ParseStringToDuration: a whole number is seconds."""
    text = fixture_text("pods/good-pods.yaml").replace(
        "deleteDelayDuration: 5m", f"deleteDelayDuration: {delay}"
    )
    assert spans(text, "invalid-pod-gc") == []


def test_pod_gc_delay_that_no_reader_parses() -> None:
    text = fixture_text("pods/good-pods.yaml").replace(
        "deleteDelayDuration: 5m", 'deleteDelayDuration: "30 s"'
    )
    assert spans(text, "invalid-pod-gc") == [("invalid-pod-gc", 10, 26, 10, 32)]


def test_a_sidecar_named_main() -> None:
    """The template's own container is `main`; a sidecar of that name makes a pod with two
    containers of one name, which Kubernetes refuses (Argo's validator lets it through)."""
    text = fixture_text("pods/bad-pods.yaml").replace(
        "      sidecars:\n        - name: wait\n", "      sidecars:\n        - name: main\n"
    )
    found = [f for f in lint_text(text).findings if f.rule == "reserved-container-name"]
    at_sidecar = [f for f in found if f.span.line == 37]
    assert [(f.span.column, f.span.end_column) for f in at_sidecar] == [(17, 21)]
    assert "main container" in at_sidecar[0].message
