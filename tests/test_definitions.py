"""Template definitions, names, loops, fields by type, time limits, retry, arguments,
parameters and artifacts: Argo's validator checks, each at its node."""

from __future__ import annotations

from conftest import lint_text
from parity_helpers import fixture_text, spans

DEFINITION_RULES = (
    "invalid-name",
    "duplicate-name",
    "template-type",
    "missing-image",
    "invalid-loop",
    "misplaced-field",
    "invalid-time-limit",
    "invalid-retry-strategy",
)
ARGUMENT_RULES = ("missing-argument", "unknown-argument", "invalid-parameter", "invalid-artifact")


def test_bad_definitions() -> None:
    assert spans(fixture_text("templates/bad-definitions.yaml"), *DEFINITION_RULES) == sorted(
        [
            ("misplaced-field", 11, 7, 11, 28),
            ("invalid-loop", 16, 13, 16, 22),
            ("duplicate-name", 17, 19, 17, 20),
            ("invalid-loop", 19, 40, 19, 43),
            ("invalid-name", 20, 19, 20, 24),
            ("misplaced-field", 23, 7, 23, 18),
            ("invalid-time-limit", 24, 16, 24, 20),
            ("invalid-time-limit", 25, 30, 25, 32),
            ("invalid-retry-strategy", 28, 16, 28, 18),
            ("invalid-retry-strategy", 29, 29, 29, 40),
            ("missing-image", 30, 7, 30, 16),
            ("template-type", 35, 7, 35, 13),
            ("template-type", 38, 13, 38, 20),
            ("duplicate-name", 40, 13, 40, 17),
            ("misplaced-field", 42, 7, 42, 14),
        ]
    )


def test_a_misspelt_retry_policy_is_reported_once_by_the_schema() -> None:
    text = fixture_text("templates/bad-definitions.yaml")
    rules = ("schema-value", "invalid-retry-strategy")
    assert [s for s in spans(text, *rules) if s[1] == 27] == [("schema-value", 27, 22, 27, 30)]
    without_schema = spans(text, *rules, ignore={"schema-value"})
    assert [s for s in without_schema if s[1] == 27] == [("invalid-retry-strategy", 27, 22, 27, 30)]


def test_a_retry_policy_or_pod_gc_strategy_written_as_a_variable_is_rejected() -> None:
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: variable-policy-
spec:
  entrypoint: main
  arguments:
    parameters:
      - {name: gc, value: OnPodSuccess}
  podGC:
    strategy: "{{workflow.parameters.gc}}"
  templates:
    - name: main
      inputs:
        parameters:
          - {name: policy, value: Always}
      retryStrategy:
        retryPolicy: "{{inputs.parameters.policy}}"
      container:
        image: alpine:3.20
"""
    result = lint_text(text)
    found = [(f.rule, f.span.line, f.span.column, f.span.end_column) for f in result.findings]
    assert ("invalid-pod-gc", 11, 15, 43) in found
    assert ("invalid-retry-strategy", 18, 22, 52) in found
    assert not [f for f in result.findings if f.rule == "schema-value"]


def test_good_definitions() -> None:
    assert spans(fixture_text("templates/good-definitions.yaml"), *DEFINITION_RULES) == []


def test_bad_arguments() -> None:
    assert spans(fixture_text("arguments/bad-arguments.yaml"), *ARGUMENT_RULES) == sorted(
        [
            ("missing-argument", 8, 3, 8, 12),
            ("invalid-parameter", 11, 16, 11, 18),
            ("invalid-artifact", 18, 13, 18, 17),
            ("invalid-parameter", 22, 25, 22, 29),
            ("missing-argument", 26, 13, 26, 22),
            ("missing-argument", 26, 13, 26, 22),
            ("unknown-argument", 28, 25, 28, 31),
            ("missing-argument", 32, 13, 32, 22),
            ("unknown-argument", 34, 25, 34, 29),
            ("invalid-parameter", 35, 31, 35, 35),
            ("invalid-artifact", 37, 25, 37, 29),
            ("unknown-argument", 37, 25, 37, 29),
            ("invalid-artifact", 44, 13, 44, 17),
            ("invalid-parameter", 50, 13, 50, 22),
            ("invalid-parameter", 52, 25, 52, 33),
        ]
    )


def test_good_arguments() -> None:
    assert spans(fixture_text("arguments/good-arguments.yaml"), *ARGUMENT_RULES) == []


def test_unknown_argument_suggests_the_input() -> None:
    from conftest import findings_of

    found = findings_of(fixture_text("arguments/bad-arguments.yaml"), "unknown-argument")
    assert "`message`" in (found[0].suggestion or "")
    assert found[0].severity.name == "WARNING"


def test_names_with_tags_are_checked_by_their_literal_parts() -> None:
    text = fixture_text("templates/good-definitions.yaml").replace("b-{{item}}", "b_{{item}}")
    assert spans(text, "invalid-name") == [("invalid-name", 18, 19, 18, 29)]


def test_cron_workflow_arguments_need_values() -> None:
    cron = """\
apiVersion: argoproj.io/v1alpha1
kind: CronWorkflow
metadata:
  name: nightly
spec:
  schedules: ["0 1 * * *"]
  workflowSpec:
    entrypoint: main
    arguments:
      parameters:
        - name: day
    templates:
      - name: main
        container:
          image: alpine
"""
    assert spans(cron, "invalid-parameter") == [("invalid-parameter", 11, 17, 11, 20)]
    assert spans(cron.replace("kind: CronWorkflow", "kind: Workflow"), "invalid-parameter") == []


def test_malformed_shapes_do_not_crash() -> None:
    from conftest import lint_text

    for body in (
        "templates: null",
        "templates: [1, 'x', {name: a, steps: [[null, 3]]}]",
        "templates: [{name: a, dag: {tasks: 5}}, {name: b, inputs: {parameters: x}}]",
        "templates: [{name: a, steps: [[{name: s, template: a, arguments: 1, withItems: 2}]]}]",
        "arguments: {parameters: [{name: p, enum: 3}], artifacts: [{name: a, git: 1}]}",
    ):
        head = "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: x}\n"
        text = f"{head}spec:\n  {body}\n"
        result = lint_text(text)
        assert not [f for f in result.findings if f.rule == "internal-error"], body


EXIT_WF = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: exit-
spec:
  entrypoint: main
  onExit: notify
  arguments:
    parameters:
      - name: who
  templates:
    - name: main
      inputs:
        parameters:
          - name: who
            default: world
      container:
        image: alpine
    - name: notify
      inputs:
        parameters:
          - name: channel
      container:
        image: alpine
"""


def test_workflow_arguments_reach_entrypoint_and_exit_handler() -> None:
    from conftest import findings_of

    found = findings_of(EXIT_WF, "missing-argument")
    assert [(f.severity.name, f.span.line, f.span.column) for f in found] == [
        ("ERROR", 8, 3),  # `channel` of the exit handler is supplied by nothing
        ("WARNING", 10, 15),  # `who` listed without a value overrides the input's default
    ]
    assert "channel" in found[0].message and "`notify`" in found[0].message
    fixed = EXIT_WF.replace("      - name: who\n", "      - name: who\n        value: you\n")
    fixed = fixed.replace("- name: channel\n", "- name: channel\n            default: ops\n")
    assert findings_of(fixed, "missing-argument") == []


def test_pod_resources_and_archive_location() -> None:
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: res-
spec:
  entrypoint: main
  podResources:
    limits: {cpu: "2", nvidia.com/gpu: "1"}
  templates:
    - name: main
      podResources:
        requests: {memory: 1Gi, hugepages-2Mi: 64Mi}
        claims: [{name: gpu}]
      archiveLocation:
        git: {revision: main}
      container:
        image: alpine
"""
    assert spans(text, "invalid-pod-resources", "invalid-artifact") == [
        ("invalid-artifact", 15, 9, 15, 12),
        ("invalid-pod-resources", 8, 24, 8, 38),
        ("invalid-pod-resources", 13, 9, 13, 15),
    ]


SEQUENCES = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: sequences-
spec:
  entrypoint: main
  arguments:
    parameters:
    - name: n
      value: "3"
  templates:
  - name: main
    steps:
    - - name: empty
        template: echo
        withSequence: {format: "w-%02d"}
      - name: words
        template: echo
        withSequence: {start: "one", end: "3"}
      - name: fraction
        template: echo
        withSequence: {count: "2.5"}
      - name: fine
        template: echo
        withSequence: {start: "1", end: 5, format: "%03d"}
      - name: tagged
        template: echo
        withSequence: {count: "{{workflow.parameters.n}}"}
      - name: signed
        template: echo
        withSequence: {start: "-2", count: "+3"}
  - name: echo
    container: {image: "alpine:3", command: [echo, "{{item}}"]}
"""


def test_a_sequence_argo_cannot_expand() -> None:
    """Argo's `expandSequence` needs `count` or `end` and reads them, and `start`, with
    `strconv.Atoi`: it fails the step otherwise (the validator does not look)."""
    assert spans(SEQUENCES, "invalid-loop") == [
        ("invalid-loop", 16, 9, 16, 21),
        ("invalid-loop", 19, 31, 19, 36),
        ("invalid-loop", 22, 31, 22, 36),
    ]


def test_a_pod_template_deadline_of_zero() -> None:
    """A template's activeDeadlineSeconds becomes its pod's, which Kubernetes wants >= 1; the
    workflow's may be 0 (that is how a workflow is stopped)."""
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: zero-
spec:
  entrypoint: main
  serviceAccountName: runner
  activeDeadlineSeconds: 0
  templates:
    - name: main
      activeDeadlineSeconds: 0
      container:
        image: alpine:3.20
    - name: quoted
      activeDeadlineSeconds: "0"
      script:
        image: alpine:3.20
        source: echo
    - name: wait
      activeDeadlineSeconds: 0
      suspend: {}
"""
    assert spans(text, "invalid-time-limit") == [
        ("invalid-time-limit", 11, 30, 11, 31),
        ("invalid-time-limit", 15, 30, 15, 33),
    ]


def test_a_suspend_duration_argo_cannot_read() -> None:
    """suspend.duration goes through ParseStringToDuration when the step runs: seconds or a
    Go duration (no `d`); the workflow errors there, so it is reported now."""
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: pause-
spec:
  entrypoint: main
  templates:
    - name: main
      suspend:
        duration: "1d"
    - name: ok
      suspend:
        duration: "20"
    - name: ok2
      suspend:
        duration: 1h30m
    - name: tag
      inputs:
        parameters: [{name: d, value: "5"}]
      suspend:
        duration: "{{inputs.parameters.d}}"
"""
    assert spans(text, "invalid-time-limit") == [("invalid-time-limit", 10, 19, 10, 23)]


def test_a_memoize_max_age_argo_cannot_read() -> None:
    """memoize.maxAge goes through time.ParseDuration (a unit is needed, no `d`)."""
    text = """\
apiVersion: argoproj.io/v1alpha1
kind: Workflow
metadata:
  generateName: memo-
spec:
  entrypoint: main
  templates:
    - name: main
      memoize:
        key: k
        maxAge: "1d"
        cache: {configMap: {name: c}}
      container: {image: alpine:3.20}
    - name: ok
      memoize:
        key: k
        maxAge: "180s"
        cache: {configMap: {name: c}}
      container: {image: alpine:3.20}
"""
    assert spans(text, "invalid-time-limit") == [("invalid-time-limit", 11, 17, 11, 21)]
